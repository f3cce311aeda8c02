"""The public portal: no sign-in, aggregates only, no personal data."""

from django.urls import path

from . import views_public

app_name = "portal"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<str:code>/", views_public.commune, name="commune"),
    path(
        "<str:code>/<slug:name>.<str:fmt>",
        views_public.open_data,
        name="open_data",
    ),
]
