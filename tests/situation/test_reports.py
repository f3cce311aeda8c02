"""Situation reports: submission, corrections, reviews, the personal-data flag, missing and
late reports (acceptance: 3 of 14 missing → exactly those 3)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict
from danvan.org.models import OrganizationType
from danvan.situation import queries, services
from danvan.situation.models import ReportEntry, ReportState, SituationReport
from danvan.situation.services import SituationError
from tests.factories import OrganizationFactory

from .conftest import last_month, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(today):
    return services.period_of("month", *last_month(today))


def test_submit_a_report(commune_officer, province, month):
    report = services.submit_report(
        actor=commune_officer,
        organization=province["fronts"][0],
        period=month,
        summary="Tình hình chung ổn định.",
        entries=[
            {
                "topic": "employment-wages",
                "level": "attention",
                "narrative": "Hai doanh nghiệp trong cụm công nghiệp chậm trả lương tháng 9.",
                "sources": ["activities", "petitions"],
                "count": 45,
            },
            {"topic": "land-clearance", "level": "stable", "sources": ["voter_contact"]},
        ],
    )
    assert report.state == ReportState.SUBMITTED and not report.flagged
    entries = {e.topic.code: e for e in report.entries.all()}
    assert entries["employment-wages"].count == 45 and entries["employment-wages"].level == 2
    assert entries["land-clearance"].sources == ["voter_contact"]
    event = AuditEvent.objects.get(action="situation.submit_report", object_id=str(report.pk))
    assert event.actor == commune_officer


def test_correcting_replaces_the_entries_until_reviewed(commune_officer, officer, province, month):
    front = province["fronts"][0]
    submit(commune_officer, front, month, land_clearance="stable")
    report = submit(commune_officer, front, month, land_clearance="tense", environment="stable")
    assert SituationReport.objects.count() == 1
    assert report.entries.count() == 2
    assert AuditEvent.objects.filter(action="situation.correct_report").count() == 1
    services.review_report(actor=officer, report=report, decision="reviewed")
    with pytest.raises(Conflict):
        submit(commune_officer, front, month, land_clearance="stable")


def test_review_needs_manage_and_a_note_to_return(commune_officer, officer, province, month):
    report = submit(commune_officer, province["fronts"][0], month, land_clearance="stable")
    with pytest.raises(PermissionDenied):
        services.review_report(actor=commune_officer, report=report, decision="reviewed")
    with pytest.raises(SituationError) as err:
        services.review_report(actor=officer, report=report, decision="returned", note="")
    assert err.value.field == "note"
    returned = services.review_report(
        actor=officer, report=report, decision="returned", note="Bổ sung số liệu."
    )
    assert returned.state == "returned" and returned.reviewed_by == officer


def test_a_period_that_has_not_started_is_refused(commune_officer, province, today):
    next_month = (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    period = services.period_of("month", next_month.year, next_month.month)
    with pytest.raises(SituationError) as err, translation.override("en"):
        submit(commune_officer, province["fronts"][0], period, land_clearance="stable")
    assert err.value.field == "period"
    with translation.override("en"):
        assert "has not started" in str(err.value.message)
    assert not SituationReport.objects.exists()


@pytest.mark.parametrize("level", ["very tense", 0, 4, "", None, True, "3.5"])
def test_a_level_outside_the_scale_is_refused(commune_officer, province, month, level):
    with pytest.raises(SituationError) as err:
        services.submit_report(
            actor=commune_officer,
            organization=province["fronts"][0],
            period=month,
            entries=[
                {"topic": "environment", "level": "stable"},
                {"topic": "land-clearance", "level": level},
            ],
        )
    assert err.value.field == "entries.1.level"
    assert not SituationReport.objects.exists() and not ReportEntry.objects.exists()


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"topic": "no-such-topic", "level": "stable"}, "entries.0.topic"),
        ({"topic": "environment", "level": "stable", "sources": ["facebook"]}, "entries.0.sources"),
        ({"topic": "environment", "level": "stable", "count": 3}, "entries.0.count"),
        ({"topic": "employment-wages", "level": "stable", "count": -1}, "entries.0.count"),
        (
            {"topic": "environment", "level": "stable", "narrative": "x" * 2001},
            "entries.0.narrative",
        ),
    ],
)
def test_bad_entries(commune_officer, province, month, entry, field):
    with pytest.raises(SituationError) as err:
        services.submit_report(
            actor=commune_officer, organization=province["fronts"][0], period=month, entries=[entry]
        )
    assert err.value.field == field
    assert not SituationReport.objects.exists()


def test_wrong_frequency_and_non_reporting_types(commune_officer, province, today):
    year, q = (today.year, (today.month - 1) // 3 + 1)
    quarter = services.period_of("quarter", year, q)
    with pytest.raises(SituationError) as err:
        submit(commune_officer, province["fronts"][0], quarter, environment="stable")
    assert err.value.field == "period"
    month = services.period_of("month", *last_month(today))
    with pytest.raises(SituationError) as err:
        submit(commune_officer, province["committees"][0], month, environment="stable")
    assert err.value.field == "organization"


def test_permission_edge(commune_officer, viewer, outsider, province, month):
    with pytest.raises(PermissionDenied):
        submit(commune_officer, province["fronts"][1], month, environment="stable")
    with pytest.raises(PermissionDenied):
        submit(viewer, province["fronts"][0], month, environment="stable")
    with pytest.raises(PermissionDenied):
        submit(outsider, province["fronts"][0], month, environment="stable")
    assert not SituationReport.objects.exists()


def test_narratives_naming_a_person_are_flagged_not_blocked(commune_officer, province, month):
    report = services.submit_report(
        actor=commune_officer,
        organization=province["fronts"][0],
        period=month,
        entries=[
            {
                "topic": "land-clearance",
                "level": "tense",
                "narrative": "Ông Nguyễn Văn Bình ở thôn 2 chưa đồng ý, SĐT 0912 345 678.",
            },
            {
                "topic": "environment",
                "level": "stable",
                "narrative": "Chị em phụ nữ ra quân dọn vệ sinh.",
            },
        ],
    )
    assert report.flagged
    entries = {e.topic.code: e for e in report.entries.all()}
    assert [f["kind"] for f in entries["land-clearance"].flags] == ["honorific_name", "phone"]
    assert entries["environment"].flags == []


def test_three_of_fourteen_missing_are_exactly_those_three(
    officer, commune_officer, province, month
):
    """Acceptance: 14 reporting organizations (12 commune Fronts, the province Front and its
    Women's Union), 11 submit for the month → the other 3 are listed, at every level above."""
    women = OrganizationType.objects.get(code="womens-union")
    front_type = OrganizationType.objects.get(code="fatherland-front")
    p_front = OrganizationFactory(
        code="p-mttq",
        name="MTTQ tỉnh",
        area=province["area"],
        parent=province["party"],
        type=front_type,
    )
    from danvan.org.models import Organization

    p_front = Organization.objects.get(pk=p_front.pk)
    p_women = OrganizationFactory(
        code="p-hlhpn", name="Hội Phụ nữ tỉnh", area=province["area"], parent=p_front, type=women
    )
    reporters = [*province["fronts"], p_front, Organization.objects.get(pk=p_women.pk)]
    assert len(reporters) == 14
    not_reporting = {"c02-mttq", "c09-mttq", "p-hlhpn"}
    for org in reporters:
        if org.code not in not_reporting:
            submit(officer, org, month, environment="stable")
    result = queries.missing_reports(officer, unit=province["party"], period=month)
    assert result["expected"] == 14 and result["submitted"] == 11
    assert {m["organization"].code for m in result["missing"]} == not_reporting
    # From the commune-2 level only its own Front.
    commune = queries.missing_reports(officer, unit=province["committees"][2], period=month)
    assert [m["organization"].code for m in commune["missing"]] == ["c02-mttq"]
    # A commune-0 officer sees nothing missing in their subtree.
    mine = queries.missing_reports(commune_officer, unit=None, period=month)
    assert mine["missing"] == [] and mine["expected"] == 1


def test_late_reports_are_marked(commune_officer, province, today):
    old = services.period_of("month", today.year - 1, 1)
    report = submit(commune_officer, province["fronts"][0], old, environment="stable")
    assert report.late and report.due_on == dt.date(today.year - 1, 2, 5)
    result = queries.missing_reports(commune_officer, unit=None, period=old)
    assert result["late"] == [report]
