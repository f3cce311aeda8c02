from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("setup/", views.two_factor_setup, name="two_factor_setup"),
    path("verify/", views.two_factor_verify, name="two_factor_verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("remove/", views.two_factor_remove, name="two_factor_remove"),
]
