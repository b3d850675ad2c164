from django.urls import path

from learnloop.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.person_list, name="people"),
    path("people/<str:username>/", views.person_detail, name="person"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path("join/<str:token>", views.accept_invitation, name="accept_invitation"),
    path("stewardship/", views.steward, name="steward"),
]
