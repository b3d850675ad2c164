"""Knowledge brokers, mounted at /brokers/."""

from django.urls import path

from learnloop.sharing import broker_views as views

app_name = "brokers"
urlpatterns = [
    path("", views.broker_list, name="list"),
    path("me/", views.broker_me, name="me"),
    path("new", views.broker_create, name="create"),
    path("<str:username>/", views.broker_detail, name="broker"),
    path("<str:username>/edit", views.broker_edit, name="edit"),
    path("<str:username>/retire", views.broker_retire, name="retire"),
    path("<str:username>/name-again", views.broker_name_again, name="name_again"),
    path("<str:username>/audiences/new", views.audience_create, name="audience_create"),
    path("<str:username>/audiences/<int:pk>/edit", views.audience_edit, name="audience_edit"),
    path(
        "<str:username>/audiences/<int:pk>/retire",
        views.audience_retire,
        name="audience_retire",
    ),
    path(
        "<str:username>/audiences/<int:pk>/restore",
        views.audience_restore,
        name="audience_restore",
    ),
]
