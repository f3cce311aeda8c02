"""Dates as Vietnamese offices write them: dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy,
dd.mm.yyyy), and ISO 8601 (yyyy-mm-dd) from the API and older links."""

import datetime as dt
import re

INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DISPLAY_FORMAT = "%d/%m/%Y"

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_day(value) -> dt.date | None:
    """The date written in `value`, or None when it is empty or not a real date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "")
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
