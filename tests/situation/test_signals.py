"""Aggregation and signals: the matrix, the rules, scope (acceptance tests of issue 9)."""

import pytest

from danvan.situation import queries
from danvan.situation.models import ReportingRule, SignalKind, SignalRule

from .conftest import quarter_periods, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarterly_fronts(db):
    ReportingRule.objects.filter(org_type__code="fatherland-front").update(frequency="quarter")


@pytest.fixture
def land_quarter(province, officer, quarterly_fronts, today):
    """12 communes: 5 report land tense this quarter, 2 of them were tense last quarter."""
    now, prev = quarter_periods(today)
    fronts = province["fronts"]
    for i, front in enumerate(fronts):
        submit(
            officer,
            front,
            prev,
            land_clearance="tense" if i < 2 else "stable",
            environment="stable",
        )
        submit(
            officer, front, now, land_clearance="tense" if i < 5 else "stable", environment="stable"
        )
    return now, prev


def _signal(found, kind, code):
    return [s for s in found if s.kind == kind and s.topic.code == code]


def test_rising_signal_with_exactly_the_five_reports_behind_it(officer, province, land_quarter):
    now, _prev = land_quarter
    found = queries.signals(officer, unit=province["party"], period=now)
    rising = _signal(found, SignalKind.RISING, "land-clearance")
    assert len(rising) == 1
    behind = {r.organization.code for r in rising[0].report_rows}
    assert behind == {f"c{i:02d}-mttq" for i in range(5)}
    assert rising[0].now == 5 and rising[0].before == 2
    assert rising[0].rule.code == "rising-tense"
    assert not _signal(found, SignalKind.RISING, "environment")


def test_tense_signal_when_several_units_report_tense(officer, province, land_quarter):
    now, _prev = land_quarter
    tense = _signal(
        queries.signals(officer, unit=province["party"], period=now), "tense", "land-clearance"
    )
    assert len(tense) == 1 and tense[0].now == 5


def test_a_unit_outside_the_subtree_never_contributes(province, land_quarter):
    """A viewer of communes 3–4 sees two tense reports: below every rising threshold."""
    from tests.factories import UserFactory, grant

    now, _prev = land_quarter
    user = UserFactory(username="two-communes")
    grant(user, "viewer", province["committees"][3])
    grant(user, "viewer", province["committees"][4])
    found = queries.signals(user, unit=None, period=now)
    assert not _signal(found, SignalKind.RISING, "land-clearance")
    tense = _signal(found, SignalKind.TENSE, "land-clearance")
    assert {r.organization.code for r in tense[0].report_rows} == {"c03-mttq", "c04-mttq"}
    # The commune-0 view of the matrix has only commune 0's report.
    m = queries.matrix(user, unit=None, period=now)
    assert m["reports"] == 2
    assert {c.code for c in m["columns"]} == {"c03-du", "c04-du"}


def test_thresholds_are_data(officer, province, land_quarter):
    now, _prev = land_quarter
    SignalRule.objects.filter(code="rising-tense").update(min_units=6)
    SignalRule.objects.filter(code="rising-level-up").update(is_active=False)
    SignalRule.objects.filter(code="rising-attention").update(is_active=False)
    found = queries.signals(officer, unit=province["party"], period=now)
    assert not _signal(found, SignalKind.RISING, "land-clearance")


def test_level_up_rule(officer, province, quarterly_fronts, today):
    now, prev = quarter_periods(today)
    for i, front in enumerate(province["fronts"][:4]):
        submit(officer, front, prev, environment="stable")
        submit(officer, front, now, environment="attention" if i < 3 else "stable")
    found = queries.signals(officer, unit=province["party"], period=now)
    rising = _signal(found, SignalKind.RISING, "environment")
    assert rising[0].rule.code == "rising-level-up"
    assert len(rising[0].report_rows) == 3


def test_matrix_topic_by_area_with_trend(officer, province, land_quarter):
    now, _prev = land_quarter
    m = queries.matrix(officer, unit=province["party"], period=now)
    land = next(r for r in m["rows"] if r["topic"].code == "land-clearance")
    assert land["level"] == 3 and land["tense"] == 5 and land["trend"] == "up"
    cells = {c["column"].code: c for c in land["cells"]}
    assert cells["c00-du"]["level"] == 3 and cells["c00-du"]["trend"] == "same"
    assert cells["c04-du"]["level"] == 3 and cells["c04-du"]["trend"] == "up"
    assert cells["c07-du"]["level"] == 1
    assert [h["level"] for h in land["history"]][-2:] == [3, 3]
    # Drill-down into a commune: its own Front is the column.
    inner = queries.matrix(officer, unit=province["committees"][4], period=now)
    assert [c.code for c in inner["columns"]] == ["c04-mttq"]


def test_matrix_queries_do_not_grow_with_data(
    officer, province, quarterly_fronts, today, django_assert_max_num_queries
):
    now, prev = quarter_periods(today)
    submit(officer, province["fronts"][0], now, land_clearance="tense")
    with django_assert_max_num_queries(12) as small:
        queries.matrix(officer, unit=province["party"], period=now)
    for front in province["fronts"][1:]:
        submit(officer, front, now, land_clearance="tense", environment="attention")
        submit(officer, front, prev, land_clearance="stable")
    with django_assert_max_num_queries(len(small.captured_queries)):
        queries.matrix(officer, unit=province["party"], period=now)
    with django_assert_max_num_queries(14):
        queries.signals(officer, unit=province["party"], period=now)


def test_hot_spots_of_citizens_cases_join_the_signals(officer, province, quarterly_fronts, today):
    """Petitions on land rising in a commune attach to the land signal; on a topic without
    a signal they make a hot-spot signal of their own."""
    import datetime as dt

    from danvan.voices import services as voices_services

    now_q, _prev = quarter_periods(today)
    for front in province["fronts"][:3]:
        submit(officer, front, now_q, land_clearance="tense")
    day = min(now_q.end, today)
    for topic in ("land", "environment"):
        for i in range(3):
            voices_services.receive_petition(
                actor=officer, unit=province["fronts"][0], channel="letter",
                received_on=day - dt.timedelta(days=i + 1), area=province["communes"][0],
                topic_code=topic, contents=f"Kiến nghị số {i} về {topic}",
                matters=[{"kind": "recommendation", "summary": "Kiến nghị"}], anonymous=True,
                today=day,
            )  # fmt: skip
    found = queries.signals(officer, unit=province["party"], period=now_q)
    land = _signal(found, SignalKind.TENSE, "land-clearance")[0]
    assert land.hot_spots and land.hot_spots[0]["now"] == 3
    env = _signal(found, SignalKind.HOT_SPOT, "environment")
    assert len(env) == 1 and env[0].report_rows == []
