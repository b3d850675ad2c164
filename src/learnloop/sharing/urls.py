from django.urls import path

from learnloop.sharing import views

app_name = "sharing"
urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/new", views.channel_create, name="channel_create"),
    path("channels/<int:pk>/edit", views.channel_edit, name="channel_edit"),
    path("products/<int:pk>/shares/new", views.share_create, name="share_create"),
    path("shares/<int:pk>/response", views.share_response, name="share_response"),
    path("public/", views.public_index, name="public"),
    path("public/feed.atom", views.atom_feed, name="atom"),
    path("public/products/<int:pk>/", views.public_product, name="public_product"),
    path("public/ideas/", views.public_idea_list, name="public_ideas"),
    path("public/ideas/<int:pk>/", views.public_idea, name="public_idea"),
]
