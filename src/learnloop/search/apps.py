from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "learnloop.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from learnloop.search.ddl import on_post_migrate

        # The full-text index (FTS5 table and triggers / tsvector column and GIN index) is
        # created after every migrate, and when the test database is made without
        # migrations; see search/ddl.py.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="search-fulltext-ddl")
