"""Search folds diacritics and case on every searchable list, whatever form the text came in.

Random Vietnamese names are stored through the services, typed decomposed (NFD) or
composed (NFC); each list finds the stored name by its folded form ("dan van kheo"), by the
name as typed in either form, and by any one word of it. Runs on SQLite and PostgreSQL (the
search columns are folded in Python, compared with a plain `contains`).
"""

import datetime as dt
import unicodedata

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.audit.context import request_context
from danvan.core.text import fold
from danvan.emulation import queries as emulation_queries
from danvan.emulation import services as emulation
from danvan.org import queries as org_queries
from danvan.org import services as org_services
from danvan.plans import queries as plans_queries
from danvan.plans import services as plans

pytestmark = pytest.mark.django_db

ONSETS = ["", "b", "c", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t",
          "th", "tr", "v", "x"]  # fmt: skip
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uô", "ươ", "iê"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]  # sắc, huyền, hỏi, ngã, nặng
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]


@st.composite
def syllable(draw):
    vowel = draw(st.sampled_from(VOWELS))
    tone = draw(st.sampled_from(TONES))
    # The tone mark sits on the vowel's last letter here; NFC composes it either way.
    word = draw(st.sampled_from(ONSETS)) + vowel + tone + draw(st.sampled_from(CODAS))
    word = unicodedata.normalize("NFC", word)
    return word.capitalize() if draw(st.booleans()) else word


names = (
    st.lists(syllable(), min_size=2, max_size=5)
    .map(" ".join)
    .filter(lambda n: len(fold(n).replace(" ", "")) >= 4)
)


def forms_of(name: str) -> list[str]:
    return [fold(name), unicodedata.normalize("NFC", name), unicodedata.normalize("NFD", name)]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names, typed_nfd=st.booleans(), word=st.integers(min_value=0, max_value=4))
def test_every_list_finds_a_name_by_its_folded_form(alice, tree, name, typed_nfd, word):
    typed = unicodedata.normalize("NFD" if typed_nfd else "NFC", name)
    one_word = name.split()[word % len(name.split())]
    sid = transaction.savepoint()
    try:
        with request_context():
            org = org_services.create_organization(
                actor=alice, code="p-test", name=typed, type_code="womens-union",
                area_code=tree["ward"].area.code, parent=tree["ward"],
            )  # fmt: skip
            task = plans.create_task(
                actor=alice, owner=tree["ward"], title=typed, deadline=dt.date(2026, 12, 31)
            )
            movement = emulation.create_movement(
                actor=alice, organizer=tree["ward"], code="p-dvk", name=typed, start_year=2026
            )
        lists = {
            "organizations": lambda q: org_queries.organizations(alice, q=q),
            "tasks": lambda q: plans_queries.tasks(alice, q=q),
            "movements": lambda q: emulation_queries.movement_list(alice, q=q),
        }
        expected = {"organizations": org.pk, "tasks": task.pk, "movements": movement.pk}
        for label, search in lists.items():
            for query in [*forms_of(name), one_word, unicodedata.normalize("NFD", one_word)]:
                found = set(search(query).values_list("pk", flat=True))
                assert expected[label] in found, (label, query, name)
    finally:
        transaction.savepoint_rollback(sid)
