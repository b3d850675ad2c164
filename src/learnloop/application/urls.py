from django.urls import path

from learnloop.application import views

app_name = "application"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/edit", views.plan_edit, name="plan_edit"),
    path("<int:pk>/steps/new", views.step_create, name="step_create"),
    path("<int:pk>/outcomes/new", views.outcome_create, name="outcome_create"),
    path("steps/<int:pk>/edit", views.step_edit, name="step_edit"),
    path("steps/<int:pk>/state", views.step_state, name="step_state"),
]
