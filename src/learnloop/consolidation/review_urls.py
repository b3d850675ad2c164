from django.urls import path

from learnloop.consolidation import review_views as views

app_name = "reviews"
urlpatterns = [
    path("ideas/<int:idea_pk>/new", views.review_create, name="create"),
    path("ideas/<int:idea_pk>/flag/resolve", views.flag_resolve, name="flag_resolve"),
    path("<int:pk>/", views.review_detail, name="review"),
    path("<int:pk>/delete", views.review_delete, name="delete"),
]
