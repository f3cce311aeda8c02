"""Date input as Vietnamese offices write it, for every Django form including the admin.

Django's own Vietnamese locale sets no input formats, so it falls back to the US
month-first "%m/%d/%Y": "01/07/2026" would be read as 7 January. Output formats still come
from Django's locale."""

from danvan.core.dates import INPUT_FORMATS

DATE_INPUT_FORMATS = INPUT_FORMATS
DATETIME_INPUT_FORMATS = [
    *(f"{fmt} %H:%M:%S" for fmt in INPUT_FORMATS),
    *(f"{fmt} %H:%M" for fmt in INPUT_FORMATS),
    *INPUT_FORMATS,
]
