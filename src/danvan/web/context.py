from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from danvan.accounts.scope import second_step
from danvan.org.units import current_unit

# The main menu, in the order of daily use: (url name, label, namespace or url name that
# marks it current).
NAV = [
    ("web:home", _("Home"), "web:home"),
    ("plans:index", _("Plans"), "plans"),
    ("emulation:movements", _("Movement"), "emulation"),
    ("voices:worklist", _("Citizens"), "voices"),
    ("democracy:index", _("Democracy"), "democracy"),
    ("situation:index", _("Situation"), "situation"),
    ("reports:index", _("Reports"), "reports"),
    ("web:organizations", _("Organizations"), "web:organization"),
    ("web:areas", _("Areas"), "web:area"),
]


def _nav(request):
    match = request.resolver_match
    here_ns = match.namespace if match else ""
    here = f"{here_ns}:{match.url_name}" if match else ""
    items = []
    for url_name, label, marker in NAV:
        current = here == marker or (":" not in marker and here_ns == marker)
        if marker.startswith("web:") and marker != "web:home":
            current = here.startswith(marker)
        items.append({"url": reverse(url_name), "label": label, "current": current})
    return items


def shell(request):
    """What the base layout needs on every page: languages, the menu, the current unit."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    if second_step(user) is not None:
        # Between the password and the code: no menu, only signing out.
        return {"languages": settings.LANGUAGES, "second_step": True}
    return {
        "languages": settings.LANGUAGES,
        "nav_items": _nav(request),
        "current_unit": current_unit(request),
        "show_unit_strip": True,
    }
