"""Lists ordered by name follow the Vietnamese alphabet (a ă â b c d đ e ê …, tones after
the base letter: ngang, huyền, hỏi, ngã, sắc, nặng), from ICU, on SQLite and PostgreSQL;
official unit lists keep the statistics office's code order."""

import unicodedata

import pytest

from danvan.audit.context import request_context
from danvan.core.collation import Vietnamese, sort_key
from danvan.emulation import queries as emulation_queries
from danvan.emulation import services as emulation
from danvan.emulation.models import Movement
from danvan.org import queries as org_queries

# In dictionary order, written by hand from the alphabet, not from the collator under test.
ALPHABETICAL = [
    "An Khánh", "Ân Thi", "Ba Vì", "Bắc Từ Liêm", "Cầu Giấy", "Chương Mỹ", "Dương Nội",
    "Đan Phượng", "Đông Anh", "Ô Môn", "Ông Ích Khiêm", "Ơn Lương", "Uông Bí", "Ứng Hòa",
    "Yên Bái",
]  # fmt: skip
TONES = ["ma", "mà", "mả", "mã", "má", "mạ"]
# Both together: m comes after đ and before ô.
EVERYTHING = ALPHABETICAL[:9] + TONES + ALPHABETICAL[9:]


def test_the_alphabet_and_the_tones_in_python():
    assert sorted(ALPHABETICAL[1::2] + ALPHABETICAL[::2], key=sort_key) == ALPHABETICAL
    assert sorted(TONES[1::2] + TONES[::2], key=sort_key) == TONES
    assert sorted(EVERYTHING[1::2] + EVERYTHING[::2], key=sort_key) == EVERYTHING
    # Typed decomposed, a name sorts where its composed form does.
    nfd = [unicodedata.normalize("NFD", n) for n in reversed(ALPHABETICAL)]
    assert [unicodedata.normalize("NFC", n) for n in sorted(nfd, key=sort_key)] == ALPHABETICAL


@pytest.mark.django_db
def test_the_database_orders_names_the_same_way(alice, tree):
    """Through the database's own collation (ICU "vi-x-icu" on PostgreSQL, the "vi"
    collation registered on SQLite), and through a list page's query."""
    with request_context():
        for i, name in enumerate(reversed(EVERYTHING)):
            emulation.create_movement(
                actor=alice, organizer=tree["ward"], code=f"m{i}", name=name, start_year=2026
            )
    by_meta = list(Movement.objects.values_list("name", flat=True))
    assert by_meta == EVERYTHING  # Meta.ordering: start year, then the name
    by_query = [m.name for m in emulation_queries.movement_list(alice)]
    assert by_query == EVERYTHING
    descending = Movement.objects.order_by(Vietnamese("name").desc())
    assert list(descending.values_list("name", flat=True)) == list(reversed(EVERYTHING))


def test_official_unit_lists_keep_the_statistics_office_order(alice, hanoi):
    """Areas are listed by their code (the order of the official list), not by name."""
    communes = list(org_queries.areas(alice, under=hanoi.pk, level="commune")[:30])
    assert len(communes) == 30
    codes = [a.code for a in communes]
    assert codes == sorted(codes)
    names = [a.name for a in communes]
    assert names != sorted(names, key=sort_key)
