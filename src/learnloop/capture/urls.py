from django.urls import path

from learnloop.capture import views

app_name = "capture"
urlpatterns = [
    path("", views.product_list, name="products"),
    path("<int:pk>/", views.product_detail, name="product"),
]
