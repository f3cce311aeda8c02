"""Words a reader understands, and four eyes on a report.

- The author of a situation report does not review it (service and page).
- The form's button opens the form ("Mở biểu mẫu"), a sent report reads "Đã gửi".
- The matrix speaks in words (levels, "n báo cáo", units tense), with a legend: no symbols
  to decode, no rule codes; signals explain themselves without the rule's code.
"""

import re

import pytest
from django.urls import reverse

from danvan.situation import services
from danvan.situation.models import ReportState, SituationReport
from danvan.situation.services import SituationError

from ..factories import grant
from .conftest import last_month, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(today):
    return services.period_of("month", *last_month(today))


def test_the_author_does_not_review_her_own_report(officer, province, month, client_for):
    report = submit(officer, province["fronts"][0], month, land_clearance="tense")
    with pytest.raises(SituationError) as error:
        services.review_report(actor=officer, report=report, decision="reviewed")
    assert error.value.field == "decision"
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.reviewed_by is None
    page = client_for(officer).get(reverse("situation:report", args=[report.pk]))
    body = page.content.decode()
    assert 'name="decision"' not in body
    assert "Đã gửi" in body and "Ngày gửi" not in body.split("<main", 1)[1].split("</hgroup>")[0]


def test_another_officer_reviews_it(officer, province, month, commune_officer):
    from ..factories import UserFactory

    report = submit(commune_officer, province["fronts"][0], month, land_clearance="tense")
    colleague = UserFactory(username="colleague")
    grant(colleague, "commission_officer", province["party"])
    reviewed = services.review_report(actor=colleague, report=report, decision="reviewed")
    assert reviewed.state == ReportState.REVIEWED


def test_the_form_button_says_what_it_does(commune_officer, province, client_for):
    body = client_for(commune_officer).get(reverse("situation:report_form")).content.decode()
    assert "Mở biểu mẫu" in body
    assert ">Chưa hoàn thành<" not in body


def test_the_matrix_and_signals_speak_in_words(
    officer, commune_officer, province, month, client_for
):
    for front in province["fronts"][:5]:
        submit(officer, front, month, land_clearance="tense")
    params = {"unit": province["party"].pk, "kind": "month", "year": month.start.year,
              "index": month.start.month}  # fmt: skip
    body = client_for(officer).get(reverse("situation:index"), params).content.decode()
    for symbol in ("○", "◐", "●", "⚠", "<sup>"):
        assert symbol not in body
    assert "Căng thẳng" in body and "Cách đọc bảng" in body
    assert "5 đơn vị căng thẳng" in body
    assert "rising-tense" not in body and "rule " not in body
    signals = client_for(officer).get(reverse("situation:signals"), params).content.decode()
    words = re.sub(r"<[^>]+>", " ", signals)
    assert "rising-tense" not in words and "/api/v1/situation/signal-rules" not in signals
    assert "Cảnh báo được đưa ra khi có từ 3 đơn vị" in words
    assert SituationReport.objects.count() == 5
