from django.urls import path

from learnloop.capture import views

app_name = "capture"
urlpatterns = [
    path("", views.product_list, name="products"),
    path("new", views.product_create, name="product_create"),
    path("<int:pk>/", views.product_detail, name="product"),
    path("<int:pk>/edit", views.product_edit, name="product_edit"),
]
