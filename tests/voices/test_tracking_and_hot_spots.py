"""What a citizen sees with a tracking code, and what officers see across cases: likely
duplicates (diacritics ignored) and hot spots (area × topic groups that rose), in scope."""

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

from danvan.org.models import Area
from danvan.voices import queries, services
from danvan.voices.models import TRACKING_ALPHABET, Petition

from ..factories import UserFactory, grant
from .conftest import CITIZEN, CONTENTS, TRACES

D = dt.date


def test_the_right_code_shows_states_and_due_dates_only(receive, handler):
    petition = receive(
        matters=[
            {"kind": "complaint", "summary": "Khiếu nại quyết định thu hồi đất số 45"},
            {"kind": "recommendation", "summary": "Kiến nghị làm lại đường"},
        ]
    )
    complaint = petition.matters.get(kind="complaint")
    services.accept_matter(actor=handler, matter=complaint, on=D(2026, 2, 23))
    with translation.override("en"):
        seen = queries.track(petition.tracking_code, today=D(2026, 3, 27))
    assert set(seen) == {"code", "received_on", "office", "office_contact", "matters"}
    assert seen["code"] == petition.tracking_code
    assert seen["received_on"] == D(2026, 2, 13)
    assert (seen["office"], seen["office_contact"]) == (
        petition.unit.name,
        petition.unit.public_contact,
    )
    assert seen["matters"] == [
        {
            "kind": "Complaint",
            "state": "Accepted",
            "state_code": "accepted",
            "due_on": D(2026, 3, 25),
            "closed_on": None,
            "overdue": True,  # two days past the due date
            "days_late": 2,
        },
        {
            "kind": "Recommendation or reflection",
            "state": "Received",
            "state_code": "received",
            "due_on": None,
            "closed_on": None,
            "overdue": False,
            "days_late": 0,
        },
    ]
    assert not queries.track(petition.tracking_code, today=D(2026, 3, 25))["matters"][0]["overdue"]
    text = json.dumps(seen, cls=DjangoJSONEncoder, ensure_ascii=False)
    for secret in [*TRACES, CONTENTS[:30], "số 45", "làm lại đường", handler.get_username()]:
        assert secret not in text
    # Typed loosely by a citizen: spaces and lower case are forgiven.
    assert queries.track(f"  {petition.tracking_code.lower()} ") == queries.track(
        petition.tracking_code
    )


def test_a_closed_matter_shows_when_it_closed(receive, handler):
    petition = receive(matters=[{"kind": "complaint", "summary": "Khiếu nại"}])
    services.not_accept_matter(
        actor=handler, matter=petition.matters.get(), on=D(2026, 2, 24), reason="Hết thời hiệu"
    )
    seen = queries.track(petition.tracking_code)["matters"][0]
    assert (seen["due_on"], seen["closed_on"]) == (None, D(2026, 2, 24))
    assert "thời hiệu" not in json.dumps(seen, cls=DjangoJSONEncoder, ensure_ascii=False)


def guesses(code: str) -> list[str]:
    """Codes one character away from the real one, in the code's own alphabet."""
    other = lambda c: TRACKING_ALPHABET[(TRACKING_ALPHABET.index(c) + 1) % 32]  # noqa: E731
    return [code[:i] + other(code[i]) + code[i + 1 :] for i in range(len(code))]


@pytest.mark.parametrize(
    "code",
    [
        "",
        None,
        "ABC",
        "ABCDEFGHJKLMN",  # 13 characters
        "ABCD-EFGH-JK",
        "' OR 1=1 --",
        "%%%%%%%%%%%%",
        "ABCDEFGHJKLM",  # well formed, unknown
    ],
)
def test_a_wrong_or_malformed_code_shows_nothing(receive, code):
    receive()
    assert queries.track(code) is None


def test_a_guessed_code_shows_nothing(receive):
    petition = receive()
    assert len(petition.tracking_code) == 12
    assert set(petition.tracking_code) <= set(TRACKING_ALPHABET)
    for guess in guesses(petition.tracking_code):
        assert queries.track(guess) is None
    assert queries.track(petition.tracking_code[:11]) is None


def test_tracking_codes_differ(receive):
    codes = {receive().tracking_code for _ in range(20)}
    assert len(codes) == 20


# Similar petitions -------------------------------------------------------------------------


def test_a_near_duplicate_without_diacritics_is_found_first(receive, handler, hanoi_ward, tree):
    original = receive(contents=CONTENTS)
    related = receive(contents="Kiến nghị về việc thu hồi đất làm đường tại tổ dân phố số 5.")
    unrelated = receive(
        topic_code="environment",
        contents="Tiếng ồn từ quán karaoke sau 23 giờ đêm làm mất trật tự khu phố.",
    )
    elsewhere = services.receive_petition(
        actor=UserFactory(username="root2", is_superuser=True),
        unit=tree["other"],
        channel="letter",
        received_on=D(2026, 2, 13),
        area=Area.objects.get(structure="2025", level="commune", code="00008"),
        topic_code="land",
        contents=CONTENTS,
        matters=[{"kind": "complaint", "summary": "Khiếu nại"}],
        citizens=[dict(CITIZEN)],
    )
    probe = "de nghi xem xet viec thu hoi dat lam duong lien xa tai to dan pho so 3"
    found = queries.similar_petitions(handler, text=probe, area=hanoi_ward, topic_code="land")
    ids = [p.pk for p, _score in found]
    assert ids[0] == original.pk
    assert found[0][1] > 0.9
    assert related.pk in ids
    assert unrelated.pk not in ids
    assert elsewhere.pk not in ids  # another ward's petitions are out of the handler's scope
    scores = [score for _p, score in found]
    assert scores == sorted(scores, reverse=True)

    again = queries.similar_petitions(handler, text=CONTENTS, exclude_id=original.pk)
    assert original.pk not in [p.pk for p, _ in again]
    assert queries.similar_petitions(handler, text="bảo hiểm y tế học sinh") == []
    assert queries.similar_petitions(handler, text="   ") == []


# Hot spots -------------------------------------------------------------------------------


@pytest.fixture
def waves(receive, tree, hanoi_ward):
    """Land in Ba Đình rose (1 → 4), environment in Ba Đình fell (5 → 3), land in the other
    ward rose (0 → 5). The window is the 3 months up to 30 June 2026."""
    other_ward = Area.objects.get(structure="2025", level="commune", code="00008")
    root = UserFactory(username="root3", is_superuser=True)

    def many(n, on, topic, **kw):
        for i in range(n):
            receive(received_on=on + dt.timedelta(days=i), topic_code=topic, **kw)

    many(1, D(2026, 2, 2), "land")
    many(4, D(2026, 5, 4), "land")
    many(5, D(2026, 1, 12), "environment")
    many(3, D(2026, 6, 1), "environment")
    many(5, D(2026, 6, 8), "land", actor=root, unit=tree["other"], area=other_ward)
    # Older than both windows: never counted.
    many(3, D(2025, 10, 1), "environment")
    return {"ward_area": hanoi_ward, "other_area": other_ward}


def spots(user, **kwargs):
    return [
        (row["area_id"], row["topic__name_en"], row["now"], row["before"], row["rise"])
        for row in queries.hot_spots(user, today=D(2026, 6, 30), **kwargs)
    ]


def test_hot_spots_are_the_groups_that_rose_in_the_users_subtree(waves, handler, tree):
    ward, other = waves["ward_area"].pk, waves["other_area"].pk
    assert spots(handler) == [(ward, "Land and site clearance", 4, 1, 3)]

    city_handler = UserFactory(username="thanh")
    grant(city_handler, "case_handler", tree["city"])
    assert spots(city_handler) == [
        (other, "Land and site clearance", 5, 0, 5),
        (ward, "Land and site clearance", 4, 1, 3),
    ]
    assert spots(city_handler, unit=tree["other"]) == [(other, "Land and site clearance", 5, 0, 5)]
    assert spots(city_handler, minimum=5) == [(other, "Land and site clearance", 5, 0, 5)]
    assert spots(UserFactory(username="nobody")) == []
    # Rows are groups of cases, never people.
    for row in queries.hot_spots(city_handler, today=D(2026, 6, 30)):
        assert set(row) == {
            "area_id",
            "area__name",
            "topic_id",
            "topic__name",
            "topic__name_en",
            "now",
            "before",
            "rise",
        }
    assert Petition.objects.count() == 21
