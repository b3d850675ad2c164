from django.urls import path

from learnloop.sharing import newsletter_views as views

app_name = "newsletter"
urlpatterns = [
    path("", views.issue, name="issue"),
    path("download", views.download, name="download"),
]
