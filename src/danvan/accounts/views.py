"""Two-step sign-in pages: set up an authenticator app, enter a code, recovery codes."""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.errors import Conflict, DomainError
from danvan.core.http import safe_next

from . import services
from .forms import CodeForm

CODES_SESSION_KEY = "danvan_recovery_codes"


def _next(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next") or "")


def _secret_groups(device) -> str:
    """The key as an app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_setup(request):
    try:
        device = services.start_totp(actor=request.user)
    except Conflict:
        return redirect("web:profile")
    form = CodeForm(request.POST or None, initial={"next": _next(request)})
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp(
                actor=request.user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            django_otp.login(request, device)
            request.session[CODES_SESSION_KEY] = codes
            query = urlencode({"next": _next(request)})
            return redirect(f"{reverse('accounts:recovery_codes')}?{query}")
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, border=2, title=_("QR code for your authenticator app"))
    context = {"form": form, "qr": mark_safe(svg), "secret": _secret_groups(device)}  # noqa: S308
    return render(request, "accounts/two_factor_setup.html", context)


def two_factor_verify(request):
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None, initial={"next": _next(request)})
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(
                actor=request.user, code=form.cleaned_data["code"]
            )
        except Conflict:
            return redirect("accounts:two_factor_setup")
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            django_otp.login(request, device)
            if device.name == "recovery":
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(n)s are left. Make new ones on "
                      "your profile page if you are running short.") % {"n": left},
                )  # fmt: skip
            return redirect(_next(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
def recovery_codes(request):
    """The codes just made, shown once (they are not kept anywhere readable)."""
    if request.method == "POST":
        try:
            request.session[CODES_SESSION_KEY] = services.new_recovery_codes(actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("web:profile")
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(CODES_SESSION_KEY, None)
    if not codes:
        return redirect("web:profile")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@login_required
@require_POST
def two_factor_remove(request):
    try:
        services.remove_two_factor(actor=request.user, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Two-step sign-in is off."))
    return redirect("web:profile")
