from django.urls import path

from learnloop.search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggest", views.suggest, name="suggest"),
]


def _semantic_urls() -> list:
    """/search/similar and /search/themes, when the semantic layer is installed."""
    try:
        from learnloop.search.semantic_urls import urlpatterns as semantic
    except ModuleNotFoundError as exc:
        if exc.name != "learnloop.search.semantic_urls":
            raise
        return []
    return list(semantic)


urlpatterns += _semantic_urls()
