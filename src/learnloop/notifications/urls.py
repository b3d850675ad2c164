from django.urls import path

from learnloop.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all", views.read_all, name="read_all"),
    path("<int:pk>/read", views.mark_read, name="read"),
    path("<int:pk>/open", views.open_notification, name="open"),
    path("settings", views.settings_page, name="settings"),
    path("digest", views.digest_preview, name="digest"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
