from django.urls import path

from learnloop.value import views

app_name = "value"
urlpatterns = [
    path("", views.index, name="index"),
    path("convenings/", views.convening_list, name="convenings"),
    path("convenings/new", views.convening_create, name="convening_create"),
    path("convenings/<int:pk>/", views.convening_detail, name="convening"),
    path("convenings/<int:pk>/edit", views.convening_edit, name="convening_edit"),
    path("convenings.ics", views.network_ics, name="network_ics"),
    path("groups/<slug:slug>/convenings.ics", views.group_ics, name="group_ics"),
    path("calendar-token/reset", views.calendar_token_reset, name="calendar_token_reset"),
    path("stories/", views.story_list, name="stories"),
    path("stories/new", views.story_create, name="story_create"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
    path("stories/<int:pk>/edit", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/steps/new", views.step_create, name="step_create"),
    path("stories/<int:pk>/steps/<int:step_pk>/edit", views.step_edit, name="step_edit"),
    path("stories/<int:pk>/steps/<int:step_pk>/delete", views.step_delete, name="step_delete"),
    path("matrix", views.matrix, name="matrix"),
    path("matrix.csv", views.matrix_csv, name="matrix_csv"),
]
