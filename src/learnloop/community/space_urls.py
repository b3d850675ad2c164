from django.urls import path

from learnloop.community import narrative_views, space_views

app_name = "spaces"
urlpatterns = [
    path("spaces/", space_views.space_list, name="list"),
    path("spaces/following", space_views.following, name="following"),
    path("spaces/follow/<slug:slug>", space_views.follow, name="follow"),
    path("spaces/unfollow/<slug:slug>", space_views.unfollow, name="unfollow"),
    path(
        "spaces/questions/<int:pk>/suggestions",
        space_views.question_suggestions,
        name="suggestions",
    ),
    path("spaces/questions/<int:pk>/ask", space_views.ask_people, name="ask_people"),
    path("spaces/<slug:slug>/", space_views.space_detail, name="space"),
    path("spaces/<slug:slug>/ask", space_views.space_ask, name="ask"),
    path("narratives/", narrative_views.narrative_list, name="narratives"),
    path("narratives/new", narrative_views.narrative_create, name="narrative_create"),
    path("narratives/<int:pk>/", narrative_views.narrative_detail, name="narrative"),
    path("narratives/<int:pk>/edit", narrative_views.narrative_edit, name="narrative_edit"),
]
