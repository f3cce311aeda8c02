"""The error type services raise. Views and the API turn it into a clear, translated message."""

import datetime as dt

from django.utils.translation import gettext as _

from .dates import parse_day
from .text import bad_characters, nfc


class DomainError(Exception):
    """A rule of the domain was broken by the input; nothing was written."""

    status = 400

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict:
        detail = {"message": str(self.message), "code": self.code}
        if self.field:
            detail["field"] = self.field
        return detail


class NotFound(DomainError):
    """Unknown, or outside what the user may see: the two are never told apart."""

    status = 404

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message, field=field, code="not_found")


class Conflict(DomainError):
    status = 409

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message, field=field, code="conflict")


def clean_text(
    value,
    field: str,
    *,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
    error: type[DomainError] = DomainError,
) -> str:
    """Text input for a service: in NFC, without control characters (refused), whitespace
    folded (line breaks kept when `multiline`), required unless told otherwise, and no
    longer than `max_length`."""
    text = nfc(str(value or ""))
    if bad_characters(text):
        raise error(
            _(
                "This text holds invisible control characters; type it again or paste it as plain text."
            ),
            field=field,
        )
    text = text.strip() if multiline else " ".join(text.split())
    if required and not text:
        raise error(_("This field is required."), field=field)
    if len(text) > max_length:
        raise error(_("Too long: %(max)d characters at most.") % {"max": max_length}, field=field)
    return text


def clean_date(
    value, field: str, *, required: bool = True, error: type[DomainError] = DomainError
) -> dt.date | None:
    """A date input for a service: a date, a datetime (its day), or text as dd/mm/yyyy or
    ISO (core.dates); empty is None unless required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise error(_("This field is required."), field=field)
        return None
    day = parse_day(value) if isinstance(value, str | dt.date) else None
    if day is None:
        raise error(_("Enter a valid date, as dd/mm/yyyy."), field=field)
    return day
