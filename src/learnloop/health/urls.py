from django.urls import path

from learnloop.health import views

app_name = "health"
urlpatterns = [
    path("", views.health, name="health"),
    path("flows.csv", views.flows_csv, name="flows_csv"),
    path("gaps.csv", views.gaps_csv, name="gaps_csv"),
    path("settings", views.health_settings, name="settings"),
]
