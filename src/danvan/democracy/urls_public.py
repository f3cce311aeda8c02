"""The public portal: no sign-in, aggregates only, no personal data."""

from django.urls import path

from . import views_public

app_name = "portal"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("<str:code>/", views_public.commune, name="commune"),
    path("<str:code>/cong-khai/<int:item_id>/", views_public.disclosure, name="disclosure"),
    path("<str:code>/lay-y-kien/<int:item_id>/", views_public.consultation, name="consultation"),
    path("<str:code>/kien-nghi/<int:item_id>/", views_public.recommendation, name="recommendation"),
    path("<str:code>/tai-lieu/<int:document_id>/", views_public.document, name="document"),
    path(
        "<str:code>/<slug:name>.<str:fmt>",
        views_public.open_data,
        name="open_data",
    ),
]
