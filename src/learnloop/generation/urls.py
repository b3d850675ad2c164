from django.urls import path

from learnloop.generation import views

app_name = "generation"
urlpatterns = [
    path("learnings/", views.learning_list, name="learnings"),
    path("learnings/new", views.learning_create, name="learning_create"),
    path("learnings/<int:pk>/", views.learning_detail, name="learning"),
    path("learnings/<int:pk>/edit", views.learning_edit, name="learning_edit"),
    path("test-cycles/", views.test_cycle_list, name="test_cycles"),
    path("test-cycles/new", views.test_cycle_create, name="test_cycle_create"),
    path("test-cycles/<int:pk>/", views.test_cycle_detail, name="test_cycle"),
    path("test-cycles/<int:pk>/edit", views.test_cycle_edit, name="test_cycle_edit"),
    path("test-cycles/<int:pk>/record", views.test_cycle_record_learning, name="test_cycle_record"),
    path("questions/", views.question_list, name="questions"),
    path("questions/new", views.question_create, name="question_create"),
    path("questions/<int:pk>/", views.question_detail, name="question"),
    path("questions/<int:pk>/edit", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/close", views.question_close, name="question_close"),
    path(
        "questions/<int:pk>/answers/<int:answer_pk>/accept",
        views.answer_accept,
        name="answer_accept",
    ),
    path(
        "questions/<int:pk>/answers/<int:answer_pk>/edit",
        views.answer_edit,
        name="answer_edit",
    ),
    path(
        "questions/<int:pk>/answers/<int:answer_pk>/delete",
        views.answer_delete,
        name="answer_delete",
    ),
]
