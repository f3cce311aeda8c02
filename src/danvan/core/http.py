"""Small request helpers shared by the pages of every app."""

from django.utils.http import url_has_allowed_host_and_scheme


def is_htmx(request) -> bool:
    """The request comes from htmx: answer with the partial, not the whole page."""
    return request.headers.get("HX-Request") == "true"


def to_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def safe_next(request, target: str) -> str:
    """Where to go after a form: `target` if it stays on this site, else the home page."""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return "/"
