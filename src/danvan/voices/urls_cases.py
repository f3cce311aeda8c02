from django.urls import path

from . import views_cases

urlpatterns = [
    path("matters/<int:matter_id>/", views_cases.matter_detail, name="matter"),
]
