"""Vietnamese text at every way in, and search that ignores diacritics.

- `nfc`: one Unicode form for what is stored. Text typed with an older keyboard, some Mac
  input methods or copied from a PDF arrives decomposed (NFD): "Dân" as D + a + ◌̂ + n.
  Stored as typed, two names that look the same would differ.
- `bad_characters`: control characters (NUL and the C0/C1 ranges, but tab, line feed and
  carriage return) and unpaired surrogates are refused at every entry: they are invisible,
  break XML (DOCX, XLSX) and PostgreSQL (NUL), and nobody types them on purpose.
- `fold`: case and diacritics folded, so "ha noi" finds "Hà Nội".
"""

import re
import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfc_all(value):
    """NFC for a string, or for every string inside lists and dicts (a JSON body)."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_all(v) for v in value]
    if isinstance(value, dict):
        return {nfc_all(k): nfc_all(v) for k, v in value.items()}
    return value


def bad_characters(text: str) -> bool:
    return bool(_BAD.search(text))


def without_bad_characters(value):
    """For outputs only (exports, documents): text stored before the check (or by a path
    that skipped it) is made safe rather than failing the file for everyone. Strings
    inside lists, tuples and dicts are cleaned too."""
    if isinstance(value, str):
        return _BAD.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(without_bad_characters(v) for v in value)
    if isinstance(value, dict):
        return {k: without_bad_characters(v) for k, v in value.items()}
    return value


def fold(text: str | None) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_q(text: str | None, field: str = "search_name"):
    """Every word of the query, folded, must appear in the folded column, in any order."""
    from django.db.models import Q

    q = Q()
    for word in fold(text).split()[:8]:
        q &= Q(**{f"{field}__contains": word})
    return q


def reject_bad_characters(value) -> None:
    """A form field validator (installed on every CharField by the web app)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if isinstance(value, str) and bad_characters(value):
        raise ValidationError(
            _(
                "This text holds invisible control characters; type it again or paste it as plain text."
            ),
            code="control_characters",
        )
