"""Meetings of a group and its moderator tools, under /groups/<slug>/ (namespace `meetings`)."""

from django.urls import path

from learnloop.community import meeting_views as views
from learnloop.community import moderation_views

app_name = "meetings"
urlpatterns = [
    path("groups/<slug:slug>/meetings/", views.meeting_list, name="meetings"),
    path("groups/<slug:slug>/meetings/plan", views.meeting_plan, name="plan"),
    path("groups/<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path(
        "groups/<slug:slug>/meetings/<int:pk>/agenda",
        views.meeting_agenda_add,
        name="agenda_add",
    ),
    path(
        "groups/<slug:slug>/meetings/<int:pk>/reflection",
        views.meeting_reflection,
        name="reflection",
    ),
    path(
        "groups/<slug:slug>/meetings/<int:pk>/reflection/<str:answer_id>/learning",
        views.answer_to_learning,
        name="answer_learning",
    ),
    path(
        "groups/<slug:slug>/meetings/<int:pk>/reflection/<str:answer_id>/remove",
        views.answer_remove,
        name="answer_remove",
    ),
    path("groups/<slug:slug>/moderate", moderation_views.moderate, name="moderate"),
    path("groups/<slug:slug>/moderate/nudges", moderation_views.nudge, name="nudge"),
    path(
        "groups/<slug:slug>/moderate/prompts/<str:key>/agenda",
        moderation_views.prompt_agenda,
        name="prompt_agenda",
    ),
    path(
        "groups/<slug:slug>/moderate/prompts/<str:key>/question",
        moderation_views.prompt_question,
        name="prompt_question",
    ),
]
