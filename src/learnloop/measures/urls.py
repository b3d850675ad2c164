from django.urls import path

from learnloop.measures import views

app_name = "measures"
urlpatterns = [
    path("", views.measure_list, name="list"),
    path("new", views.measure_create, name="create"),
    path("upload", views.upload, name="upload"),
    path("upload/confirm", views.upload_confirm, name="upload_confirm"),
    path("upload/template.csv", views.upload_template, name="upload_template"),
    path("link", views.link_page, name="link"),
    path("links/<int:pk>/remove", views.link_remove, name="link_remove"),
    path("points/<int:pk>/edit", views.point_edit, name="point_edit"),
    path("points/<int:pk>/delete", views.point_delete, name="point_delete"),
    path("<slug:slug>/", views.measure_detail, name="detail"),
    path("<slug:slug>/edit", views.measure_edit, name="edit"),
    path("<slug:slug>/report", views.report, name="report"),
    path("<slug:slug>/link", views.measure_link_add, name="link_add"),
    path("<slug:slug>/data.csv", views.data_csv, name="data_csv"),
    path("<slug:slug>/chart.csv", views.chart_csv, name="chart_csv"),
]
