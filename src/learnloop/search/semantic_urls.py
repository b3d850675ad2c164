"""Web addresses of the semantic layer, included in `search/urls.py` (namespace `search`):
/search/similar (htmx, while writing), /search/themes (from a synthesis), and the panels
of item pages: /search/related/<type>/<id> and /search/who-could-help/<type>/<id>."""

from django.urls import path

from learnloop.search import semantic_views as views

urlpatterns = [
    path("similar", views.similar, name="similar"),
    path("themes", views.themes_view, name="themes"),
    path("related/<str:item_type>/<int:pk>", views.related_panel, name="related"),
    path("who-could-help/<str:item_type>/<int:pk>", views.who_panel, name="who_could_help"),
]
