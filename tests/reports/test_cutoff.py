"""The data cut-off: a People's Committee counts a period from the 15th of the month before
to the 14th of its last month (Decree 09/2019/NĐ-CP, Art. 12); a Party body counts the
calendar period unless an administrator gives its type a rule; the window is stated on the
dashboard, on the report and in its documents, and a rule in force is never edited."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from danvan.core.rules import RuleInForce
from danvan.org.models import OrganizationType
from danvan.reports import cutoff, documents, services
from danvan.reports.models import CutOffRule
from danvan.reports.periods import parse

from ..conftest import login

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2026-q1", D(2025, 12, 15), D(2026, 3, 14)),
        ("2026-q3", D(2026, 6, 15), D(2026, 9, 14)),
        ("2026-h1", D(2025, 12, 15), D(2026, 6, 14)),
        ("2026-h2", D(2026, 6, 15), D(2026, 12, 14)),
        ("2026-9m", D(2025, 12, 15), D(2026, 9, 14)),
        ("2026", D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_a_peoples_committee_counts_from_the_15th_to_the_14th(period, start, end):
    committee = OrganizationType.objects.get(code="peoples-committee")
    window = cutoff.window(parse(period), committee)
    assert (window.start, window.end) == (start, end)
    assert window.basis.startswith("Nghị định 09/2019/NĐ-CP, Điều 12")


def test_party_bodies_and_all_units_count_the_calendar_period():
    commission = OrganizationType.objects.get(code="mass-mobilization-commission")
    for org_type in (commission, None):
        window = cutoff.window(parse("2026-q1"), org_type)
        assert (window.start, window.end, window.rule) == (D(2026, 1, 1), D(2026, 3, 31), None)


def test_an_administrator_gives_a_party_type_a_rule_from_its_date(superuser):
    commission = OrganizationType.objects.get(code="mass-mobilization-commission")
    page = login(superuser).post(
        reverse("admin:reports_cutoffrule_add"),
        {
            "org_type": commission.pk,
            "start_day": 20,
            "citation": "Hướng dẫn 01-HD/BDVTW, mục 3",
            "effective_from": "01/07/2026",
            "effective_to": "",
        },
    )
    # Typed day first, as Vietnamese offices write dates: 1 July, not 7 January.
    assert page.status_code == 302, page.content.decode()[:2000]
    assert CutOffRule.objects.get(org_type=commission).effective_from == D(2026, 7, 1)
    # Before its date the calendar holds; from it, the 20th to the 19th.
    assert cutoff.window(parse("2026-q1"), commission).rule is None
    window = cutoff.window(parse("2026-q3"), commission)
    assert (window.start, window.end) == (D(2026, 6, 20), D(2026, 9, 19))
    assert window.basis == "Hướng dẫn 01-HD/BDVTW, mục 3"


def test_bad_day_refused_in_the_admin(superuser):
    commission = OrganizationType.objects.get(code="mass-mobilization-commission")
    before = CutOffRule.objects.count()
    page = login(superuser).post(
        reverse("admin:reports_cutoffrule_add"),
        {"org_type": commission.pk, "start_day": 31, "citation": "x", "effective_from": ""},
    )
    assert page.status_code == 200 and "errornote" in page.content.decode()
    assert CutOffRule.objects.count() == before


def test_the_rule_in_force_is_never_edited():
    rule = CutOffRule.objects.get(org_type__code="peoples-committee")
    rule.start_day = 20
    with pytest.raises(RuleInForce):
        rule.save()
    with pytest.raises(RuleInForce):
        rule.delete()
    rule.refresh_from_db()
    assert rule.start_day == 15


def test_the_report_keeps_its_window_and_compares_like_with_like(units, officer, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    assert (report.start, report.end) == (D(2025, 12, 15), D(2026, 3, 14))
    scope = services.scope_of(report)
    assert (scope.previous_start, scope.previous_end) == (D(2025, 9, 15), D(2025, 12, 14))
    party = generate(actor=officer, unit=units["commission"], period="2026-q1")
    assert (party.start, party.end, party.cutoff_rule) == (D(2026, 1, 1), D(2026, 3, 31), None)


def test_dashboard_report_and_document_state_the_window(units, officer, generate):
    client = login(officer)
    page = client.get(
        reverse("reports:index"), {"unit": units["committee"].pk, "period": "2026-q1"}
    ).content.decode()
    assert "15/12/2025" in page and "14/03/2026" in page and "Nghị định 09/2019" in page
    calendar = client.get(
        reverse("reports:index"), {"unit": units["commission"].pk, "period": "2026-q1"}
    ).content.decode()
    assert "01/01/2026" in calendar and "31/03/2026" in calendar

    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    detail = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert 'id="data-window"' in detail and "15/12/2025" in detail
    doc = Document(io.BytesIO(documents.docx_bytes(documents.content(report))))
    assert (
        "(Số liệu tính từ ngày 15/12/2025 đến ngày 14/03/2026 theo Nghị định 09/2019/NĐ-CP"
        in "\n".join(p.text for p in doc.paragraphs)
    )
