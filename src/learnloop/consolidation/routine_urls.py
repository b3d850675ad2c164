from django.urls import path

from learnloop.consolidation import routine_views as views

app_name = "routines"
urlpatterns = [
    path("", views.routine_list, name="routines"),
    path("summary/new", views.summary_new, name="summary_new"),
    path("synthesis/new", views.synthesis_new, name="synthesis_new"),
    path("reduction/new", views.reduction_new, name="reduction_new"),
    path("schedules", views.schedule_set, name="schedule_set"),
    path("schedules/<int:pk>", views.schedule_edit, name="schedule_edit"),
    path("<int:pk>/", views.routine_detail, name="routine"),
]
