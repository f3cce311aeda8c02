from django.conf import settings

from .units import current_unit, unit_choices


def shell(request):
    """What the base layout needs on every page: languages and the unit picker."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    return {
        "languages": settings.LANGUAGES,
        "current_unit": current_unit(request),
        "unit_choices": unit_choices(request),
    }
