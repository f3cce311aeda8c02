from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import scope

# Reachable before the second step: signing in and out, setting up and entering the second
# step (not turning it off or making new codes), the public pages, static files. The API
# answers 401 itself (danvan/api.py, Session).
OPEN_PREFIXES = (
    "/login/", "/logout/", "/account/two-factor/setup/", "/account/two-factor/verify/",
    "/static/", "/healthz", "/favicon.ico", "/language/", "/tra-cuu/", "/cong-khai/", "/api/",
    "/admin/login/", "/admin/logout/",
)  # fmt: skip


class TwoFactorMiddleware:
    """After the password, whoever must (or chose to) use a second factor is sent to enter
    it, or to set it up, before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES):
            step = scope.second_step(request.user)
            if step is not None:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(f'accounts:two_factor_{step}')}?{query}")
        return self.get_response(request)
