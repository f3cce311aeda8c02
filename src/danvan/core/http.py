"""Small request helpers shared by the pages of every app."""


def is_htmx(request) -> bool:
    """The request comes from htmx: answer with the partial, not the whole page."""
    return request.headers.get("HX-Request") == "true"


def to_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
