from django.urls import path

from learnloop.consolidation import views

app_name = "consolidation"
urlpatterns = [
    path("", views.idea_list, name="ideas"),
    path("<int:pk>/", views.idea_detail, name="idea"),
    path("link/<int:learning_pk>", views.link_learning, name="link_learning"),
]
