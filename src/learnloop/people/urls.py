from django.urls import path

from learnloop.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.person_list, name="people"),
    path("people/new", views.person_create, name="person_create"),
    path("people/<str:username>/", views.person_detail, name="person"),
    path("people/<str:username>/edit", views.person_edit, name="person_edit"),
    path("people/<str:username>/steward", views.person_set_steward, name="person_steward"),
    path("people/<str:username>/active", views.person_set_active, name="person_active"),
    path("tokens/new", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke", views.token_revoke, name="token_revoke"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new", views.group_create, name="group_create"),
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("groups/<slug:slug>/edit", views.group_edit, name="group_edit"),
    path("groups/<slug:slug>/archive", views.group_archive, name="group_archive"),
    path("groups/<slug:slug>/leave", views.group_leave, name="group_leave"),
    path("groups/<slug:slug>/members", views.group_member_add, name="group_member_add"),
    path(
        "groups/<slug:slug>/members/<str:username>/role",
        views.group_member_role,
        name="group_member_role",
    ),
    path(
        "groups/<slug:slug>/members/<str:username>/remove",
        views.group_member_remove,
        name="group_member_remove",
    ),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/new", views.organization_create, name="organization_create"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path("organizations/<slug:slug>/edit", views.organization_edit, name="organization_edit"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke", views.invitation_revoke, name="invitation_revoke"),
    path("join/<str:token>", views.accept_invitation, name="accept_invitation"),
    path("stewardship/", views.steward, name="steward"),
]
