from django.urls import path

from . import views

app_name = "situation"

urlpatterns = [
    path("", views.index, name="index"),
]
