from django.urls import path

from learnloop.network import views

app_name = "network"
urlpatterns = [
    path("", views.network_map, name="map"),
    path("refresh", views.refresh, name="refresh"),
]
