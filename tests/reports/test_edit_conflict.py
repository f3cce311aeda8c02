"""Two officers edit a report's narrative or details from pages opened at the same time:
the second save is refused with both versions shown, its input kept."""

import re

import pytest
from django.urls import reverse

from danvan.reports.models import ReportSection

from ..conftest import login
from ..factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(units):
    user = UserFactory(username="hanh")
    grant(user, "commission_officer", units["city"])
    return user


def _version(html: str, form_action: str) -> str:
    form = html[html.index(f'action="{form_action}"') :]
    return re.search(r'name="version" value="([^"]*)"', form)[1]


def test_a_narrative_saved_twice_from_the_same_page(units, officer, colleague, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    section = report.sections.order_by("position").first()
    url = reverse("reports:section", args=[report.pk, section.pk])
    page = reverse("reports:report", args=[report.pk])
    mine = _version(login(officer).get(page).content.decode(), url)
    theirs = _version(login(colleague).get(page).content.decode(), url)
    assert mine == theirs
    assert login(officer).post(url, {"text": "Đoạn của tôi.", "version": mine}).status_code == 302
    late = login(colleague).post(
        url, {"text": "Đoạn của đồng nghiệp.", "version": theirs}, headers={"HX-Request": "true"}
    )
    html = late.content.decode()
    assert "Đoạn của tôi." in html and "Đoạn của đồng nghiệp." in html and 'role="alert"' in html
    assert ReportSection.objects.get(pk=section.pk).paragraphs == ["Đoạn của tôi."]
    # Saving again carries the version now stored: deliberate, accepted.
    again = re.search(r'name="version" value="([^"]*)"', html)[1]
    assert again != theirs
    assert login(colleague).post(url, {"text": "Đoạn chung.", "version": again}).status_code == 302
    assert ReportSection.objects.get(pk=section.pk).paragraphs == ["Đoạn chung."]


def test_details_saved_twice_from_the_same_page(units, officer, colleague, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    url = reverse("reports:details", args=[report.pk])
    page = reverse("reports:report", args=[report.pk])
    version = _version(login(officer).get(page).content.decode(), url)
    form = {
        "title": report.title, "place": report.place, "date": report.date.strftime("%d/%m/%Y"),
        "superior": report.superior, "issuer": report.issuer, "abbreviation": report.abbreviation,
        "signer_title": report.signer_title, "signer_name": "", "recipients": report.recipients,
        "version": version,
    }  # fmt: skip
    first = login(officer).post(url, {**form, "signer_name": "Nguyễn Văn An"})
    assert first.status_code == 302
    second = login(colleague).post(url, {**form, "place": "Hà Nội"})
    assert second.status_code == 400
    html = second.content.decode()
    assert 'class="conflict"' in html and "Nguyễn Văn An" in html and "Hà Nội" in html
    report.refresh_from_db()
    assert (report.signer_name, report.place) == ("Nguyễn Văn An", "Ba Đình")


def test_the_api_answers_412_to_a_stale_if_match(units, officer, generate):
    from ..api.conftest import ApiClient, token_for

    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    api = ApiClient(token_for(officer))
    etag = api.get(f"reports/reports/{report.pk}")["ETag"]
    changed = api.patch(
        f"reports/reports/{report.pk}", {"signer_name": "Lê Văn Bình"}, **{"If-Match": etag}
    )
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = api.patch(f"reports/reports/{report.pk}", {"place": "Huế"}, **{"If-Match": etag})
    assert stale.status_code == 412 and stale.json()["code"] == "edit_conflict"
    assert report.__class__.objects.get(pk=report.pk).place != "Huế"

    section = api.get(f"reports/reports/{report.pk}").json()["sections"][0]
    url = f"reports/reports/{report.pk}/sections/{section['id']}"
    first = api.put(url, {"paragraphs": ["Một."]}, **{"If-Match": f'"{section["version"]}"'})
    assert first.status_code == 200 and first.json()["version"] != section["version"]
    late = api.put(url, {"paragraphs": ["Hai."]}, **{"If-Match": f'"{section["version"]}"'})
    assert late.status_code == 412
    assert ReportSection.objects.get(pk=section["id"]).paragraphs == ["Một."]
