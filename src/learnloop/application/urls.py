from django.urls import path

from learnloop.application import views

app_name = "application"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("<int:pk>/", views.plan_detail, name="plan"),
]
