"""The app's errors and the input checks every write of the app shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError, clean_text
from danvan.org.models import Organization


class EmulationError(DomainError):
    pass


class NotAllowedHere(EmulationError):
    """A rule about who may act (the accepting level, a round's judges): 403, not 400."""

    status = 403


def _text(value: str | None, field: str, *, max_length: int, required: bool = True) -> str:
    return clean_text(value, field, max_length=max_length, required=required, error=EmulationError)


def _year(year, field: str = "year") -> int:
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise EmulationError(_("The year must be a number."), field=field) from exc
    if not 2000 <= year <= 2100:
        raise EmulationError(_("The year is out of range."), field=field)
    return year


def _date(value, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise EmulationError(_("Enter a date."), field=field)
    return value


def _criterion_key(value) -> int | None:
    """A criterion id from a scores dict; None when it is not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise EmulationError(_("Enter a number."), field=field) from exc
    if not number.is_finite():
        raise EmulationError(_("Enter a number."), field=field)
    return number


def plain(number: Decimal) -> str:
    """10 as "10", 7.50 as "7.5": never "1E+1"."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def require_in_reach(unit: Organization, organizer: Organization) -> None:
    """A movement or contest concerns the units in its organizer's area, and active ones."""
    if not unit.is_active:
        raise EmulationError(_("%(unit)s is inactive.") % {"unit": unit.name}, field="unit")
    if not unit.area.path.startswith(organizer.area.path):
        raise EmulationError(
            _("%(unit)s is outside the area of %(organizer)s.")
            % {"unit": unit.name, "organizer": organizer.name},
            field="unit",
        )
