from django.urls import path

from learnloop.sharing import views

app_name = "sharing"
urlpatterns = [
    path("public/", views.public_index, name="public"),
    path("public/feed.atom", views.atom_feed, name="atom"),
]
