from django.urls import path

from learnloop.consolidation import views

app_name = "consolidation"
urlpatterns = [
    path("", views.idea_list, name="ideas"),
    path("new", views.idea_create, name="idea_create"),
    path("<int:pk>/", views.idea_detail, name="idea"),
    path("<int:pk>/edit", views.idea_edit, name="idea_edit"),
    path("<int:pk>/stage", views.idea_stage, name="idea_stage"),
    path("<int:pk>/find-learnings", views.idea_find_learnings, name="idea_find"),
    path("<int:pk>/evidence", views.idea_evidence_add, name="evidence_add"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/remove",
        views.idea_evidence_remove,
        name="evidence_remove",
    ),
    path("<int:pk>/endorse", views.idea_endorse, name="endorse"),
    path("<int:pk>/endorse/withdraw", views.idea_withdraw_endorsement, name="withdraw"),
    path("link/<int:learning_pk>", views.link_learning, name="link_learning"),
]
