"""Pages of reception, dialogues, the voices dashboard, hot spots and the rules: who sees
what, forms that write through voices.meetings (nothing on bad input), exports without a
citizen's identity, figures that match what the services recorded, flat query counts."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from danvan.voices import services
from danvan.voices.models import Commitment, Dialogue, ReceptionSession

from ..conftest import CITIZEN, TRACES, counts

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def text(response) -> str:
    return response.content.decode()


def errors_of(response) -> list[str]:
    """Field errors, and the form's own errors listed in the error summary."""
    body = text(response)
    found = re.findall(r'class="form-error"[^>]*>([^<]*)<', body)
    summary = (
        body.split("data-error-summary", 1)[1].split("</ul>", 1)[0]
        if "data-error-summary" in body
        else ""
    )
    found += re.findall(r"<li>([^<]+)</li>", summary)
    return [html.unescape(e) for e in found]


def reception(actor, unit, name="Nguyễn Văn An", on=TODAY, **kw):
    kw.setdefault("head_role", "commune_party_head")
    return services.record_reception(actor=actor, unit=unit, head_name=name, held_on=on, **kw)


def dialogue(actor, unit, title="Đối thoại về giải phóng mặt bằng", on=TODAY - 10 * DAY, **kw):
    kw.setdefault("heads", "Bí thư Đảng ủy, Chủ tịch UBND phường")
    kw.setdefault("participants", 40)
    return services.record_dialogue(actor=actor, unit=unit, title=title, held_on=on, **kw)


@pytest.fixture
def session(tree, alice):
    return reception(alice, tree["ward"], citizens_received=7, notes="Tiếp tại trụ sở")


@pytest.fixture
def talk(tree, alice):
    d = dialogue(alice, tree["ward"], topic_codes=["land"])
    services.add_commitment(
        actor=alice, dialogue=d, content="Trả lời về giá đền bù", owner=tree["ward"],
        due_on=TODAY - 2 * DAY,
    )  # fmt: skip
    services.add_commitment(
        actor=alice, dialogue=d, content="Sửa đường ngõ 5", owner=tree["ward"],
        due_on=TODAY + 20 * DAY,
    )  # fmt: skip
    return d


PAGES = [
    "voices:dashboard",
    "voices:reception",
    "voices:reception_compliance",
    "voices:dialogues",
    "voices:hotspots",
    "voices:rules",
]


# Who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_for_officer_and_viewer(name, session, talk, alice, bob, client_for):
    url = reverse(name)
    assert client_for(alice).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 200


def test_lists_hide_everything_from_an_outsider(session, talk, alice, charlie, client_for):
    for name, needle in (("voices:reception", "Nguyễn Văn An"), ("voices:dialogues", talk.title)):
        assert needle in text(client_for(alice).get(reverse(name)))
        response = client_for(charlie).get(reverse(name))
        assert response.status_code == 200 and needle not in text(response)
    detail = reverse("voices:dialogue", args=[talk.pk])
    assert client_for(alice).get(detail).status_code == 200
    assert client_for(charlie).get(detail).status_code == 404


def test_other_ward_does_not_see_the_ward(tree, session, talk, other_handler, client_for):
    client = client_for(other_handler)
    assert "Nguyễn Văn An" not in text(client.get(reverse("voices:reception")))
    assert client.get(reverse("voices:dialogue", args=[talk.pk])).status_code == 404


def test_forms_are_403_for_those_who_may_not_record(talk, bob, charlie, client_for):
    for user in (bob, charlie):
        client = client_for(user)
        assert client.get(reverse("voices:reception_new")).status_code == 403
        assert client.get(reverse("voices:dialogue_new")).status_code == 403
    # bob sees the dialogue but gets no form, and a POST is refused
    client = client_for(bob)
    page = text(client.get(reverse("voices:dialogue", args=[talk.pk])))
    assert 'method="post"' not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    before = counts()
    url = reverse("voices:commitment_add", args=[talk.pk])
    post = {"content": "x", "owner": talk.unit_id, "due_on": TODAY.isoformat()}
    assert client.post(url, post).status_code == 403
    answer = reverse("voices:commitment_answer", args=[talk.commitments.first().pk])
    assert client.post(answer, {}).status_code == 403
    assert client_for(charlie).post(url, post).status_code == 404
    assert counts() == before


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("voices:dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# Reception ------------------------------------------------------------------------------


def _reception_post(unit, **kw):
    data = {
        "unit": unit.pk,
        "head_role": "commune_party_head",
        "head_name": "Phạm Thị Bình",
        "held_on": TODAY.isoformat(),
        "citizens_received": 5,
        "head_present": "on",
        "delegate": "",
        "notes": "",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def test_record_reception_writes_through_the_service(tree, alice, client_for):
    response = client_for(alice).post(
        reverse("voices:reception_new"), _reception_post(tree["ward"])
    )
    assert response.status_code == 302
    session = ReceptionSession.objects.get()
    assert (session.head_name, session.head_present, session.citizens_received) == (
        "Phạm Thị Bình", True, 5,
    )  # fmt: skip
    assert session.unit == tree["ward"]


def test_delegated_session(tree, alice, client_for):
    post = _reception_post(tree["union"], head_present=None, delegate="Phó Bí thư Lê Văn Cường")
    assert client_for(alice).post(reverse("voices:reception_new"), post).status_code == 302
    session = ReceptionSession.objects.get()
    assert not session.head_present and session.delegate == "Phó Bí thư Lê Văn Cường"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"head_present": None, "delegate": ""}, "delegate"),  # head absent, no delegate
        ({"held_on": "2026-13-45"}, "held_on"),  # malformed
        ({"held_on": (TODAY + 5 * DAY).isoformat()}, "held_on"),  # in the future
        ({"head_name": ""}, "head_name"),
        ({"citizens_received": "-3"}, "citizens_received"),
    ],
)
def test_bad_reception_shows_the_error_and_writes_nothing(tree, alice, client_for, change, field):
    before = counts()
    response = client_for(alice).post(
        reverse("voices:reception_new"), _reception_post(tree["ward"], **change)
    )
    assert response.status_code == 200
    assert counts() == before
    assert f'class="field has-error" id="field-{field}"' in text(response)
    assert errors_of(response)


def test_reception_unit_outside_the_choices_is_refused(tree, alice, client_for):
    before = counts()
    response = client_for(alice).post(
        reverse("voices:reception_new"), _reception_post(tree["other"])
    )
    assert response.status_code == 200 and counts() == before


def test_reception_filters_and_htmx_partial(tree, alice, client_for):
    reception(alice, tree["ward"], "Người A", on=TODAY - 40 * DAY)
    reception(alice, tree["ward"], "Người B", on=TODAY, head_role="commune_pc_chair")
    client = client_for(alice)
    url = reverse("voices:reception")
    page = text(client.get(url, {"head": "commune_pc_chair"}))
    assert "Người B" in page and "Người A" not in page
    page = text(client.get(url, {"start": (TODAY - 50 * DAY).isoformat(),
                                 "end": (TODAY - 30 * DAY).isoformat()}))  # fmt: skip
    assert "Người A" in page and "Người B" not in page
    partial = client.get(url, {"period": "month"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and "Người B" in text(partial)
    bad = client.get(url, {"start": "hôm qua"})
    assert bad.status_code == 200 and "not understood" in text(bad)


def test_compliance_table(tree, alice, client_for):
    start = TODAY.replace(day=1)
    reception(alice, tree["ward"], "Bí thư Đủ", on=start)
    if start < TODAY:
        reception(alice, tree["ward"], "Bí thư Đủ", on=TODAY)
    reception(alice, tree["ward"], "Bí thư Thiếu", on=TODAY, head_present=False,
              delegate="Phó Bí thư")  # fmt: skip
    response = client_for(alice).get(reverse("voices:reception_compliance"), {"period": "month"})
    page = text(response)
    rows = {r["head_name"]: r for r in response.context["rows"]}
    assert rows["Bí thư Thiếu"]["in_person"] == 0 and not rows["Bí thư Thiếu"]["met"]
    assert rows["Bí thư Thiếu"]["required"] == 2
    assert "11-QĐi/TW" in page and "not met" in page


# Dialogues and commitments --------------------------------------------------------------


def test_record_dialogue_and_open_it(tree, alice, client_for):
    client = client_for(alice)
    post = {
        "unit": tree["ward"].pk,
        "title": "Đối thoại với hộ kinh doanh chợ",
        "held_on": TODAY.isoformat(),
        "heads": "Chủ tịch UBND phường",
        "participants": 25,
        "topic_codes": ["land"],
        "notes": "",
    }
    response = client.post(reverse("voices:dialogue_new"), post)
    d = Dialogue.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/dialogues/{d.pk}/")
    assert list(d.topics.values_list("code", flat=True)) == ["land"]
    assert "Đối thoại với hộ kinh doanh chợ" in text(client.get(response["Location"]))


def test_bad_dialogue_writes_nothing(tree, alice, client_for):
    before = counts()
    post = {"unit": tree["ward"].pk, "title": "X", "held_on": "31/02/2026", "heads": "Y",
            "participants": 1}  # fmt: skip
    response = client_for(alice).post(reverse("voices:dialogue_new"), post)
    assert response.status_code == 200 and counts() == before and errors_of(response)


def test_dialogue_page_highlights_open_and_overdue(talk, alice, client_for):
    response = client_for(alice).get(reverse("voices:dialogue", args=[talk.pk]))
    page = text(response)
    overdue = talk.commitments.get(content="Trả lời về giá đền bù")
    later = talk.commitments.get(content="Sửa đường ngõ 5")
    assert re.search(rf'id="commitment-{overdue.pk}" class="is-overdue"', page)
    assert re.search(rf'id="commitment-{later.pk}" class="is-open"', page)
    assert response.context["n_overdue"] == 1 and response.context["n_open"] == 2


def test_add_commitment(talk, tree, alice, client_for):
    url = reverse("voices:commitment_add", args=[talk.pk])
    post = {"content": "Công khai phương án", "owner": tree["union"].pk,
            "due_on": (TODAY + 30 * DAY).isoformat()}  # fmt: skip
    response = client_for(alice).post(url, post)
    assert response.status_code == 302
    assert Commitment.objects.filter(content="Công khai phương án", owner=tree["union"]).exists()


@pytest.mark.parametrize("due_on", [(TODAY - 30 * DAY).isoformat(), "2026-02-30", ""])
def test_commitment_due_before_the_dialogue_or_malformed(talk, tree, alice, client_for, due_on):
    before = counts()
    url = reverse("voices:commitment_add", args=[talk.pk])
    response = client_for(alice).post(url, {"content": "X", "owner": tree["ward"].pk,
                                            "due_on": due_on})  # fmt: skip
    assert response.status_code == 200 and counts() == before
    assert 'class="field has-error" id="field-due_on"' in text(response)


def test_answer_commitment(talk, alice, client_for):
    c = talk.commitments.get(content="Trả lời về giá đền bù")
    url = reverse("voices:commitment_answer", args=[c.pk])
    prefix = f"c{c.pk}"
    response = client_for(alice).post(
        url, {f"{prefix}-answered_on": TODAY.isoformat(), f"{prefix}-answer": "Đã trả lời"}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.answered_on == TODAY and c.answer == "Đã trả lời"


def test_answer_before_the_dialogue_writes_nothing(talk, alice, client_for):
    c = talk.commitments.first()
    prefix = f"c{c.pk}"
    before = counts()
    response = client_for(alice).post(
        reverse("voices:commitment_answer", args=[c.pk]),
        {f"{prefix}-answered_on": (talk.held_on - DAY).isoformat(), f"{prefix}-answer": "x"},
    )
    assert response.status_code == 200 and counts() == before
    assert "The answer comes after the dialogue." in errors_of(response)


def test_dialogue_list_counts_and_partial(talk, alice, client_for):
    client = client_for(alice)
    response = client.get(reverse("voices:dialogues"))
    row = response.context["page"].object_list[0]
    assert (row.n_commitments, row.n_open, row.n_overdue) == (2, 2, 1)
    partial = client.get(reverse("voices:dialogues"), {"period": "year"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and 'id="dialogue-rows"' not in text(partial)


# Dashboard ------------------------------------------------------------------------------


@pytest.fixture
def cases(tree, handler, receive):
    """Through the services: one complaint settled on time, one settled late, one overdue
    (never accepted), one received yesterday (a denunciation)."""
    on_time = receive(received_on=TODAY - 40 * DAY, channel="reception").matters.get()
    services.accept_matter(actor=handler, matter=on_time, on=TODAY - 38 * DAY)
    services.decide_matter(actor=handler, matter=on_time.__class__.objects.get(pk=on_time.pk),
                           decision_number="12/QĐ-UBND", decision_date=TODAY - 30 * DAY,
                           result="rejected")  # fmt: skip
    late = receive(received_on=TODAY - 200 * DAY).matters.get()
    services.accept_matter(actor=handler, matter=late, on=TODAY - 199 * DAY)
    services.decide_matter(actor=handler, matter=late.__class__.objects.get(pk=late.pk),
                           decision_number="13/QĐ-UBND", decision_date=TODAY - 10 * DAY,
                           result="upheld")  # fmt: skip
    overdue = receive(
        received_on=TODAY - 100 * DAY, channel="online", topic_code="environment",
        matters=[{"kind": "complaint", "summary": "Khiếu nại về rác thải ở kênh"}],
    ).matters.get()  # fmt: skip
    fresh = receive(
        received_on=TODAY - DAY, matters=[{"kind": "denunciation", "summary": "Tố cáo cán bộ"}]
    ).matters.get()
    return {"on_time": on_time, "late": late, "overdue": overdue, "fresh": fresh}


def _period():
    return {"start": (TODAY - 365 * DAY).isoformat(), "end": TODAY.isoformat()}


def test_dashboard_figures_match_the_services(cases, alice, client_for):
    response = client_for(alice).get(reverse("voices:dashboard"), _period())
    d = response.context["d"]
    assert d["received"] == 4
    assert d["accepted"] == 2
    assert (d["on_time"], d["late"]) == (1, 1)
    assert d["on_time_percent"] == 50
    assert d["overdue_now"] == 1
    assert {r["kind"]: r["n"] for r in d["by_kind"]} == {
        "complaint": 3, "denunciation": 1,
    }  # fmt: skip
    assert {r["petition__channel"]: r["n"] for r in d["by_channel"]} == {
        "reception": 1, "letter": 2, "online": 1,
    }  # fmt: skip
    assert {r["petition__topic__code"]: r["n"] for r in d["by_topic"]} == {
        "land": 3, "environment": 1,
    }  # fmt: skip
    page = text(response)
    assert 'id="fig-received">4<' in page and 'id="fig-overdue">1<' in page
    assert 'data-w="100"' in page  # the longest bar; app.js sets its width


def test_dashboard_quick_picks_and_commitments(cases, talk, alice, client_for):
    client = client_for(alice)
    month = client.get(reverse("voices:dashboard"), {"period": "month"}).context
    assert month["period"]["start"] == TODAY.replace(day=1)
    assert month["d"]["commitments_open"] == 2 and month["d"]["commitments_overdue"] == 1
    default = client.get(reverse("voices:dashboard")).context
    assert default["period"]["start"] == TODAY.replace(month=1, day=1)
    bad = client.get(reverse("voices:dashboard"), {"start": "x"})
    assert bad.status_code == 200 and bad.context["period"]["pick"] == "year"


def test_dashboard_links_to_the_worklist_when_it_exists(cases, alice, client_for):
    from danvan.voices.views.periods import worklist_url

    page = text(client_for(alice).get(reverse("voices:dashboard"), _period()))
    url = worklist_url()
    if url:
        assert f'href="{url}?state=all&amp;received_from=' in page and "kind=complaint" in page
    else:
        assert "kind=complaint" not in page


def test_outsider_dashboard_is_empty(cases, charlie, client_for):
    d = client_for(charlie).get(reverse("voices:dashboard"), _period()).context["d"]
    assert d["received"] == 0 and d["overdue_now"] == 0


def test_hot_spots_and_their_matters(tree, handler, receive, alice, client_for):
    for i in range(4):
        receive(received_on=TODAY - (5 + i) * DAY, contents=f"Thu hồi đất dự án {i}")
    receive(received_on=TODAY - 120 * DAY)
    client = client_for(alice)
    response = client.get(reverse("voices:hotspots"))
    spots = response.context["spots"]
    assert len(spots) == 1 and (spots[0]["now"], spots[0]["before"], spots[0]["rise"]) == (4, 1, 3)
    page = text(response)
    assert CITIZEN["name"] not in page
    link = re.search(r'href="(/voices/hot-spots/matters/\?[^"]+)"', page).group(1)
    matters = client.get(html.unescape(link))
    assert matters.status_code == 200
    assert matters.context["page"].paginator.count == 5
    assert all(trace not in text(matters) for trace in TRACES)


def test_hot_spot_matters_unknown_group_is_404(alice, client_for):
    assert (
        client_for(alice).get(reverse("voices:hotspot_matters"), {"area": "x"}).status_code == 404
    )


# Rules -----------------------------------------------------------------------------------


def test_rules_page_lists_citations_and_admin_link_for_staff(alice, superuser, client_for):
    page = text(client_for(alice).get(reverse("voices:rules")))
    assert "02/2011/QH13" in page and "42/2013/QH13" in page and "25/2018/QH14" in page
    assert 'id="admin-deadline-rules"' not in page
    staff = text(client_for(superuser).get(reverse("voices:rules")))
    assert 'id="admin-deadline-rules"' in staff


# Exports --------------------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [
        ["" if v is None else str(v) for v in r] for r in book.active.iter_rows(values_only=True)
    ]


EXPORTS = [
    ("voices:reception_export", {}),
    ("voices:compliance_export", {"period": "year"}),
    ("voices:dialogues_export", {}),
    ("voices:dashboard_export", _period()),
    ("voices:hotspots_export", {"minimum": 1}),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(("name", "params"), EXPORTS)
def test_exports_open_and_carry_no_identity(name, params, fmt, cases, session, talk, alice,
                                            client_for):  # fmt: skip
    response = client_for(alice).get(reverse(name), {**params, "format": fmt})
    rows = _rows(response)
    assert len(rows) >= 2
    flat = " ".join(" ".join(r) for r in rows)
    for trace in [*TRACES, CITIZEN["address"], CITIZEN["contact"]]:
        assert trace not in flat
    assert "attachment" in response["Content-Disposition"]


def test_export_contents(cases, session, talk, alice, client_for):
    client = client_for(alice)
    rows = _rows(client.get(reverse("voices:reception_export"), {"format": "csv"}))
    assert rows[1][3] == "Nguyễn Văn An" and rows[1][6] == "7"
    rows = _rows(client.get(reverse("voices:dialogues_export"), {"format": "xlsx"}))
    assert rows[1][2] == talk.title and rows[1][5:8] == ["2", "2", "1"]
    rows = _rows(client.get(reverse("voices:dashboard_export"), {**_period(), "format": "csv"}))
    assert ["Matters received", "", "4"] in rows
    assert ["Overdue now", "", "1"] in rows
    bad = client.get(reverse("voices:reception_export"), {"format": "pdf"})
    assert bad.status_code == 400


def test_exports_follow_the_scope(session, talk, charlie, client_for):
    rows = _rows(client_for(charlie).get(reverse("voices:reception_export"), {"format": "csv"}))
    assert len(rows) == 1


# Query counts ----------------------------------------------------------------------------


def _count(client, url, params=None, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("htmx", [False, True])
def test_reception_list_query_count_is_flat(tree, alice, client_for, htmx):
    client = client_for(alice)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("voices:reception")
    client.get(url, **headers)
    for i in range(2):
        reception(alice, tree["ward"], f"Người {i}", on=TODAY - i * DAY)
    few, _r = _count(client, url, **headers)
    for i in range(2, 15):
        reception(alice, tree["union"], f"Người {i}", on=TODAY - i * DAY)
    many, response = _count(client, url, **headers)
    assert len(response.context["page"].object_list) == 15
    assert many == few


@pytest.mark.parametrize("htmx", [False, True])
def test_dialogue_list_query_count_is_flat(tree, alice, client_for, htmx):
    client = client_for(alice)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("voices:dialogues")
    client.get(url, **headers)

    def add(n, start):
        for i in range(start, start + n):
            d = dialogue(alice, tree["ward"], title=f"Đối thoại {i}")
            services.add_commitment(actor=alice, dialogue=d, content="c", owner=tree["ward"],
                                    due_on=TODAY)  # fmt: skip

    add(2, 0)
    few, _r = _count(client, url, **headers)
    add(10, 2)
    many, _r = _count(client, url, **headers)
    assert many == few


def test_dialogue_page_query_count_is_flat(tree, alice, client_for):
    client = client_for(alice)
    d = dialogue(alice, tree["ward"])
    url = reverse("voices:dialogue", args=[d.pk])
    client.get(url)
    for i in range(2):
        services.add_commitment(actor=alice, dialogue=d, content=f"c{i}", owner=tree["ward"],
                                due_on=TODAY)  # fmt: skip
    few, _r = _count(client, url)
    for i in range(2, 12):
        services.add_commitment(actor=alice, dialogue=d, content=f"c{i}", owner=tree["union"],
                                due_on=TODAY)  # fmt: skip
    many, _r = _count(client, url)
    assert many == few


def test_home_query_count_is_flat(tree, alice, handler, receive, client_for):
    client = client_for(alice)
    client.get(reverse("web:home"))
    receive(received_on=TODAY - DAY)
    few, _r = _count(client, reverse("web:home"))
    for i in range(6):
        receive(received_on=TODAY - (i + 2) * DAY, contents=f"Đơn {i}")
    many, _r = _count(client, reverse("web:home"))
    assert many == few
