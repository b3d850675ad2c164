from django.urls import path

from learnloop.consolidation import standard_views as views

app_name = "standards"
urlpatterns = [
    path("", views.standards, name="standards"),
    path("propose", views.propose, name="propose"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/edit", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/submit", views.version_submit, name="submit"),
    path("versions/<int:pk>/criteria/add", views.criterion_add, name="criterion_add"),
    path(
        "versions/<int:pk>/criteria/<int:criterion_pk>/edit",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "versions/<int:pk>/criteria/<int:criterion_pk>/delete",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path(
        "versions/<int:pk>/criteria/<int:criterion_pk>/move",
        views.criterion_move,
        name="criterion_move",
    ),
]
