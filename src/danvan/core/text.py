"""Search text for Vietnamese: fold case and diacritics so "ha noi" finds "Hà Nội"."""

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


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
