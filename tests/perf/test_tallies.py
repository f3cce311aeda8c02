"""The matter tallies (the summary behind voices.queries.case_counts) stay exact: after
seeded random writes through the services, they equal a recount of the matters, and
case_counts equals counting the scoped matters directly."""

from __future__ import annotations

import contextlib
import datetime as dt
import random

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear

from danvan.core.errors import DomainError
from danvan.reports.contrib import Scope
from danvan.voices import panels, queries, services
from danvan.voices.models import Matter, MatterKind, MatterMonthTally, MatterTally

from ..factories import UserFactory, grant

KINDS = [k.value for k in MatterKind]


def recount() -> dict:
    rows = (
        Matter.objects.order_by()
        .annotate(year=ExtractYear("petition__received_on"))
        .values_list("unit_id", "year", "kind", "state")
        .annotate(n=Count("id"))
    )
    return {(u, y, k, s): n for u, y, k, s, n in rows}


def tallied() -> dict:
    return {(t.unit_id, t.year, t.kind, t.state): t.n for t in MatterTally.objects.all() if t.n}


MONTH_FIGURES = ("n", "accepted", "decided", "on_time", "late")


def month_recount() -> dict:
    return {
        (r["unit_id"], r["year"], r["month"], r["kind"], r["state"]): tuple(
            r[f] for f in MONTH_FIGURES
        )
        for r in services.month_tally_rows()
    }


def month_tallied() -> dict:
    rows = MatterMonthTally.objects.values_list(
        "unit_id", "year", "month", "kind", "state", *MONTH_FIGURES
    )
    return {tuple(r[:5]): tuple(r[5:]) for r in rows if any(r[5:])}


def collected(scope: Scope, *, tallies: bool, monkeypatch) -> dict | None:
    """The voices panel's figures, read from the monthly tallies or from the matters."""
    with monkeypatch.context() as patch:
        if not tallies:
            patch.setattr(queries, "tallied_cells", lambda *args, **kwargs: None)
        data = panels._collect(scope)
    if data is not None:
        data["units"] = [(unit.pk, row) for unit, row in data["units"]]
    return data


def dashboard(scope: Scope, *, tallies: bool, monkeypatch) -> dict:
    """The voices dashboard's figures, read from the monthly tallies or from the matters."""
    with monkeypatch.context() as patch:
        if not tallies:
            patch.setattr(queries, "tallied_cells", lambda *args, **kwargs: None)
        return queries.dashboard(
            scope.user, unit=scope.org, start=scope.start, end=scope.end, today=dt.date(2025, 8, 1)
        )


@pytest.fixture
def officer(tree):
    user = UserFactory(username="tally-admin")
    grant(user, "administrator", tree["city"])
    return user


def _step(rng: random.Random, actor, matter: Matter, other) -> None:
    on = matter.petition.received_on + dt.timedelta(days=rng.randrange(1, 20))
    moves = [
        lambda: services.classify_matter(actor=actor, matter=matter, kind=rng.choice(KINDS), on=on),
        lambda: services.accept_matter(actor=actor, matter=matter, on=on),
        lambda: services.not_accept_matter(actor=actor, matter=matter, on=on, reason="Sai."),
        lambda: services.forward_matter(actor=actor, matter=matter, to=other, on=on),
        lambda: services.start_settling(actor=actor, matter=matter, on=on),
        lambda: services.decide_matter(
            actor=actor,
            matter=matter,
            decision_number="12/QĐ",
            decision_date=on + dt.timedelta(days=25),
            result="answered" if matter.kind == "recommendation" else "rejected",
        ),
        lambda: services.close_matter(actor=actor, matter=matter, on=on + dt.timedelta(days=30)),
        lambda: services.withdraw_matter(actor=actor, matter=matter, on=on),
    ]
    # A move the matter's state does not allow raises and writes nothing.
    with contextlib.suppress(DomainError):
        rng.choice(moves)()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tallies_equal_a_recount_after_random_writes(tree, officer, hanoi_ward, seed, monkeypatch):
    rng = random.Random(seed)
    units = [tree["ward"], tree["union"], tree["other"]]
    for round_ in range(4):
        for _ in range(6):
            kinds = rng.sample(KINDS, rng.randrange(1, 3))
            services.receive_petition(
                actor=officer,
                unit=rng.choice(units),
                channel="letter",
                received_on=dt.date(2024 + rng.randrange(2), rng.randrange(1, 13), 10),
                area=hanoi_ward,
                topic_code="land",
                contents=f"Nội dung {round_}",
                matters=[{"kind": k, "summary": "Tóm tắt"} for k in kinds],
                anonymous=rng.random() < 0.2,
                citizens=[{"name": "Nguyễn Văn A"}],
            )
        matters = list(Matter.objects.select_related("petition").order_by("pk"))
        for _ in range(30):
            matter = rng.choice(matters)
            matter.refresh_from_db()
            _step(rng, officer, matter, tree["city"])
        assert tallied() == recount()
        assert month_tallied() == month_recount()

    for year in (2024, 2025):
        for user, unit in ((officer, None), (officer, tree["ward"]), (officer, tree["other"])):
            counts = queries.case_counts(user, unit=unit, year=year)
            scoped = queries.matters(
                user,
                unit=unit,
                received_from=dt.date(year, 1, 1),
                received_to=dt.date(year, 12, 31),
            )
            assert counts["received"] == scoped.count()
            expected = {
                (row["kind"], row["state"]): row["n"]
                for row in scoped.order_by().values("kind", "state").annotate(n=Count("id"))
            }
            assert counts["cells"] == expected

    # The voices panel and report section read the monthly tallies for whole months: the
    # same figures as counting the matters (a year, a quarter, a period ending "today").
    periods = [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        (dt.date(2025, 4, 1), dt.date(2025, 6, 30), dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        (dt.date(2024, 7, 1), dt.date(2025, 9, 30), None, None),
        (dt.date(2025, 1, 1), dt.date.today(), None, None),
    ]
    for start, end, previous_start, previous_end in periods:
        for unit in (None, tree["ward"], tree["city"], tree["other"]):
            scope = Scope(officer, unit, start, end, previous_start, previous_end)
            assert queries.whole_months(start, end) is not None
            assert collected(scope, tallies=True, monkeypatch=monkeypatch) == collected(
                scope, tallies=False, monkeypatch=monkeypatch
            )
            assert dashboard(scope, tallies=True, monkeypatch=monkeypatch) == dashboard(
                scope, tallies=False, monkeypatch=monkeypatch
            )


def test_rebuild_recounts_from_scratch(tree, officer, hanoi_ward):
    services.receive_petition(
        actor=officer,
        unit=tree["ward"],
        channel="letter",
        received_on=dt.date(2025, 3, 3),
        area=hanoi_ward,
        topic_code="land",
        contents="Nội dung",
        matters=[{"kind": "complaint", "summary": "Tóm tắt"}],
        citizens=[{"name": "Nguyễn Văn A"}],
    )
    MatterTally.objects.update(n=99)
    MatterMonthTally.objects.update(n=99, late=3)
    services.rebuild_tallies()
    assert tallied() == recount()
    assert month_tallied() == month_recount() != {}


def test_periods_not_of_whole_months_read_the_matters(tree, officer, hanoi_ward):
    services.receive_petition(
        actor=officer,
        unit=tree["ward"],
        channel="letter",
        received_on=dt.date(2025, 3, 3),
        area=hanoi_ward,
        topic_code="land",
        contents="Nội dung",
        matters=[{"kind": "complaint", "summary": "Tóm tắt"}],
        citizens=[{"name": "Nguyễn Văn A"}],
    )
    assert queries.whole_months(dt.date(2025, 1, 1), dt.date(2025, 3, 31)) is not None
    assert queries.whole_months(dt.date(2025, 1, 2), dt.date(2025, 3, 31)) is None
    # A petition after the end: the end's month is not whole.
    assert queries.whole_months(dt.date(2025, 1, 1), dt.date(2025, 3, 2)) is None
    assert queries.whole_months(dt.date(2025, 1, 1), dt.date(2025, 3, 3)) is not None
    assert (
        queries.tallied_cells(
            officer, unit=None, start=dt.date(2025, 1, 2), end=dt.date(2025, 3, 31)
        )
        is None
    )


def test_tallies_are_scoped_like_matters(tree, officer, hanoi_ward):
    services.receive_petition(
        actor=officer,
        unit=tree["other"],
        channel="letter",
        received_on=dt.date(2025, 3, 3),
        area=hanoi_ward,
        topic_code="land",
        contents="Nội dung",
        matters=[{"kind": "complaint", "summary": "Tóm tắt"}],
        citizens=[{"name": "Nguyễn Văn A"}],
    )
    ward_handler = UserFactory(username="tally-ward")
    grant(ward_handler, "case_handler", tree["ward"])
    assert queries.case_counts(ward_handler, unit=None, year=2025)["received"] == 0
    assert queries.case_counts(officer, unit=None, year=2025)["received"] == 1
