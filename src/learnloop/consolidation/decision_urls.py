from django.urls import path

from learnloop.consolidation import decision_views as views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="decisions"),
    path("<int:pk>/", views.decision_detail, name="decision"),
    path("<int:pk>/vote", views.decision_vote, name="vote"),
    path("<int:pk>/withdraw", views.decision_withdraw, name="withdraw"),
    path("propose/idea/<int:idea_pk>", views.decision_propose, name="propose_stage"),
]
