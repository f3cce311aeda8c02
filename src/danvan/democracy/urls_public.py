"""The public portal: no sign-in, aggregates only, no personal data."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
]
