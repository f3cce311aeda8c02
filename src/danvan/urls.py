from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from danvan.api import api
from danvan.voices.views import tracking as voices_tracking
from danvan.web import views as web_views
from danvan.web.forms import LoginForm

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("favicon.ico", web_views.favicon),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", include("danvan.accounts.urls", namespace="accounts")),
    path("emulation/", include("danvan.emulation.urls", namespace="emulation")),
    path("voices/", include("danvan.voices.urls", namespace="voices")),
    path("plans/", include("danvan.plans.urls", namespace="plans")),
    path("reports/", include("danvan.reports.urls", namespace="reports")),
    path("democracy/", include("danvan.democracy.urls", namespace="democracy")),
    path("situation/", include("danvan.situation.urls", namespace="situation")),
    path("audit/", include("danvan.web.audit", namespace="audit")),
    path("tra-cuu/", voices_tracking.track, name="track"),
    path("cong-khai/", include("danvan.democracy.urls_public", namespace="portal")),
    path("", include("danvan.web.urls")),
]

handler403 = "danvan.web.views.permission_denied"
handler404 = "danvan.web.views.not_found"
handler500 = "danvan.web.views.server_error"
