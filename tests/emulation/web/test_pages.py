"""The movement's pages: who sees what, the forms and their errors, htmx partials."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.emulation.models import (
    Adoption,
    Commendation,
    Entry,
    Evidence,
    ModelState,
    MovementModel,
    RegistrationWindow,
    Score,
)
from danvan.emulation.services import contests
from tests.factories import complete_model

from .conftest import PDF, TODAY, YEAR, db_state, errors_of, text

# --- who sees what ------------------------------------------------------------------------

PAGES = [
    ("emulation:movement", "movement"),
    ("emulation:dashboard", "movement"),
    ("emulation:models", "movement"),
    ("emulation:model_register", "movement"),
    ("emulation:model", "model"),
    ("emulation:contest", "teams_contest"),
    ("emulation:contest", "entries_contest"),
    ("emulation:contest_coverage", "entries_contest"),
]


@pytest.mark.parametrize(("name", "obj"), PAGES)
def test_pages_render_for_alice_and_hide_from_charlie(
    request, name, obj, model, alice, charlie, client_for
):
    url = reverse(name, args=[request.getfixturevalue(obj).pk])
    assert client_for(alice).get(url).status_code == 200
    assert client_for(charlie).get(url).status_code == 404


@pytest.mark.parametrize(("name", "obj"), [p for p in PAGES if p[0] != "emulation:model_register"])
def test_viewer_reads_every_page(request, name, obj, model, bob, client_for):
    url = reverse(name, args=[request.getfixturevalue(obj).pk])
    response = client_for(bob).get(url)
    assert response.status_code == 200
    assert 'method="post"' not in text(response).split("<main", 1)[-1].split("</main>", 1)[0]


def test_viewer_may_not_open_the_register_form(movement, bob, client_for):
    assert (
        client_for(bob).get(reverse("emulation:model_register", args=[movement.pk])).status_code
        == 403
    )


def test_lists_show_only_what_the_user_may_see(movement, teams_contest, alice, charlie, client_for):
    lists = {
        reverse("emulation:movements"): movement.name,
        reverse("emulation:contests"): teams_contest.name,
    }
    for url, name in lists.items():
        assert name in text(client_for(alice).get(url))
        assert name not in text(client_for(charlie).get(url))


def test_anonymous_is_sent_to_login(movement, client):
    response = client.get(reverse("emulation:dashboard", args=[movement.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- movement page: registration windows --------------------------------------------------


def test_organizer_opens_a_window_and_sees_the_service_error(movement, alice, client_for):
    url = reverse("emulation:window_open", args=[movement.pk])
    before = db_state()
    response = client_for(alice).post(
        url, {"year": YEAR + 1, "level": "", "opens_on": "2030-03-01", "closes_on": "2030-02-01"}
    )
    assert response.status_code == 200
    assert "Registration cannot close before it opens." in errors_of(response)
    assert db_state() == before
    response = client_for(alice).post(
        url,
        {
            "year": YEAR + 1,
            "level": "district",
            "opens_on": "2030-01-01",
            "closes_on": "2030-02-01",
        },
    )
    assert response.status_code == 302
    assert RegistrationWindow.objects.filter(year=YEAR + 1, level__code="district").exists()


def test_organizer_closes_a_window(movement, alice, client_for):
    window = movement.windows.get()
    page = text(client_for(alice).get(reverse("emulation:movement", args=[movement.pk])))
    assert reverse("emulation:window_close", args=[window.pk]) in page
    response = client_for(alice).post(reverse("emulation:window_close", args=[window.pk]), {})
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.closes_on == TODAY - dt.timedelta(days=1)


def test_viewer_cannot_open_a_window(movement, bob, client_for):
    before = db_state()
    response = client_for(bob).post(
        reverse("emulation:window_open", args=[movement.pk]),
        {"year": YEAR, "opens_on": "2030-01-01", "closes_on": "2030-02-01"},
    )
    assert response.status_code == 403
    assert db_state() == before


# --- registering a model ------------------------------------------------------------------


def _register_data(tree, **over):
    data = {
        "year": YEAR,
        "level_code": "commune",
        "kind": "collective",
        "unit": tree["union"].pk,
        "title": "Mô hình dân vận khéo mới",
        "field_code": "culture-society",
        "label_names": ["Kỷ niệm 70 năm Giải phóng Thủ đô"],
    }
    data.update(over)
    return data


def test_register_shows_the_service_error_and_writes_nothing(movement, tree, alice, client_for):
    url = reverse("emulation:model_register", args=[movement.pk])
    before = db_state()
    response = client_for(alice).post(url, _register_data(tree, title="  "))
    assert response.status_code == 200
    assert 'id="field-title"' in text(response)
    assert "This field is required." in errors_of(response)
    response = client_for(alice).post(url, _register_data(tree, kind="individual"))
    assert "This field is required." in errors_of(response)  # the individual's name
    response = client_for(alice).post(url, _register_data(tree, year=YEAR + 1))
    assert any("is not open on" in e for e in errors_of(response))
    assert db_state() == before


def test_register_a_collective_and_an_individual(movement, tree, alice, client_for):
    url = reverse("emulation:model_register", args=[movement.pk])
    response = client_for(alice).post(url, _register_data(tree))
    model = MovementModel.objects.get(title="Mô hình dân vận khéo mới")
    assert response.status_code == 302 and response["Location"] == reverse(
        "emulation:model", args=[model.pk]
    )
    assert list(model.labels.values_list("name", flat=True)) == ["Kỷ niệm 70 năm Giải phóng Thủ đô"]
    client_for(alice).post(
        url,
        _register_data(
            tree,
            kind="individual",
            person_name="Nguyễn Thị Lan",
            person_position="Chi hội trưởng",
            title="Tổ tự quản",
        ),
    )
    individual = MovementModel.objects.get(title="Tổ tự quản")
    assert individual.registration.person_name == "Nguyễn Thị Lan"
    assert "Nguyễn Thị Lan" in text(
        client_for(alice).get(reverse("emulation:model", args=[individual.pk]))
    )


def test_register_for_a_unit_outside_the_users_scope_is_refused(movement, tree, alice, client_for):
    before = db_state()
    response = client_for(alice).post(
        reverse("emulation:model_register", args=[movement.pk]),
        _register_data(tree, unit=tree["other"].pk),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert db_state() == before


# --- the model page: progress, evidence, state --------------------------------------------


def test_progress_with_evidence_and_download(model, alice, bob, charlie, client_for):
    url = reverse("emulation:model_progress", args=[model.pk])
    upload = SimpleUploadedFile("Báo cáo quý 1.pdf", PDF, content_type="application/pdf")
    photo = SimpleUploadedFile("ảnh.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png")
    response = client_for(alice).post(
        url,
        {
            "reported_on": TODAY.isoformat(),
            "percent": 40,
            "narrative": "Đã làm",
            "files": [upload, photo],
        },
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.state == ModelState.IN_PROGRESS
    evidence = Evidence.objects.get(original_name="Báo cáo quý 1.pdf")
    page = text(client_for(bob).get(reverse("emulation:model", args=[model.pk])))
    download = reverse("emulation:evidence", args=[evidence.pk])
    assert download in page and "ảnh.png" in page
    response = client_for(bob).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o" in response["Content-Disposition"]
    assert client_for(charlie).get(download).status_code == 404


def test_progress_rejects_a_fake_file_and_writes_nothing(model, alice, client_for):
    before = db_state()
    fake = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client_for(alice).post(
        reverse("emulation:model_progress", args=[model.pk]),
        {"reported_on": TODAY.isoformat(), "percent": 10, "narrative": "x", "files": [fake]},
    )
    assert response.status_code == 200
    assert "virus.pdf is not really a PDF file." in errors_of(response)
    response = client_for(alice).post(
        reverse("emulation:model_progress", args=[model.pk]),
        {"reported_on": TODAY.isoformat(), "percent": 150, "narrative": "x"},
    )
    assert "Enter a whole number from 0 to 100." in errors_of(response)
    assert db_state() == before


def test_state_buttons(model, alice, client_for):
    url = reverse("emulation:model_state", args=[model.pk])
    page = text(client_for(alice).get(reverse("emulation:model", args=[model.pk])))
    # Registered: start or abandon; completion waits for progress at 100%.
    assert 'value="in_progress"' in page and 'value="abandoned"' in page
    assert 'value="completed"' not in page
    before = db_state()
    response = client_for(alice).post(url, {"state": "abandoned", "reason": ""})
    assert response.status_code == 200
    assert "This field is required." in errors_of(response)
    assert db_state() == before
    assert client_for(alice).post(url, {"state": "in_progress"}).status_code == 302
    # In progress below 100%: not offered, and refused with the reason if posted anyway.
    page = text(client_for(alice).get(reverse("emulation:model", args=[model.pk])))
    assert 'value="completed"' not in page and 'id="completion-missing"' in page
    before = db_state()
    response = client_for(alice).post(url, {"state": "completed"})
    assert "A model is completed when its latest progress report says 100%." in errors_of(response)
    assert db_state() == before
    progress = reverse("emulation:model_progress", args=[model.pk])
    assert (
        client_for(alice)
        .post(progress, {"reported_on": "01/06/2025", "percent": 100, "narrative": "Xong."})
        .status_code
        == 302
    )
    page = text(client_for(alice).get(reverse("emulation:model", args=[model.pk])))
    assert 'value="completed"' in page
    assert client_for(alice).post(url, {"state": "completed"}).status_code == 302
    model.refresh_from_db()
    assert model.state == ModelState.COMPLETED
    response = client_for(alice).post(url, {"state": "in_progress"})
    assert any("cannot become" in e for e in errors_of(response))
    page = text(client_for(alice).get(reverse("emulation:model", args=[model.pk])))
    assert "Report progress" not in page and 'value="abandoned"' not in page


# --- evaluation, recognition, commendation, replication, adoption ------------------------


def test_evaluation_form_only_for_the_accepting_level(model, alice, bob, client_for):
    detail = reverse("emulation:model", args=[model.pk])
    assert "Score against the criteria" in text(client_for(alice).get(detail))
    assert "Score against the criteria" not in text(client_for(bob).get(detail))
    criteria = list(model.movement.criteria.order_by("sort_order"))
    url = reverse("emulation:model_evaluate", args=[model.pk])
    before = db_state()
    response = client_for(alice).post(url, {f"c_{criteria[1].pk}": "7"})
    assert response.status_code == 200
    assert "must be between 0 and 5" in " ".join(errors_of(response))
    assert f'id="field-c_{criteria[1].pk}"' in text(response)
    assert client_for(alice).post(url, {}).status_code == 200
    assert db_state() == before
    assert client_for(bob).post(url, {f"c_{criteria[0].pk}": "7"}).status_code == 403
    response = client_for(alice).post(url, {f"c_{criteria[0].pk}": "8", f"c_{criteria[1].pk}": "5"})
    assert response.status_code == 302
    model.refresh_from_db()
    assert Score.objects.filter(model=model).count() == 2
    assert model.score is not None


def test_recognize_and_commend(model, alice, client_for):
    url = reverse("emulation:model_commend", args=[model.pk])
    before = db_state()
    response = client_for(alice).post(
        url,
        {
            "form": "Giấy khen",
            "issuing_body": "Đảng ủy phường",
            "decision_number": "",
            "decision_date": "2025-10-15",
        },
    )
    assert "This field is required." in errors_of(response)
    assert db_state() == before
    response = client_for(alice).post(
        url,
        {
            "form": "Giấy khen",
            "issuing_body": "Đảng ủy phường",
            "decision_number": "12-QĐ/ĐU",
            "decision_date": "2025-10-15",
        },
    )
    assert response.status_code == 302
    assert Commendation.objects.get().decision_number == "12-QĐ/ĐU"
    response = client_for(alice).post(
        reverse("emulation:model_recognize", args=[model.pk]), {"level_code": "commune"}
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.recognized_level.code == "commune"
    page = text(client_for(alice).get(reverse("emulation:model", args=[model.pk])))
    assert "12-QĐ/ĐU" in page


def test_replication_toggle_by_htmx_then_adoption(model, tree, alice, client_for):
    client = client_for(alice)
    response = client.post(
        reverse("emulation:model_replicate", args=[model.pk]),
        {"replicate": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in text(response) and 'id="replication"' in text(response)
    model.refresh_from_db()
    assert model.for_replication
    adopt = reverse("emulation:model_adopt", args=[model.pk])
    page = text(client.get(reverse("emulation:model", args=[model.pk])))
    assert adopt in page
    before = db_state()
    response = client.post(adopt, {"unit": tree["ward"].pk, "started_on": "", "notes": ""})
    assert response.status_code == 200 and db_state() == before
    response = client.post(adopt, {"unit": tree["ward"].pk, "started_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert Adoption.objects.get().unit == tree["ward"]
    page = text(client.get(reverse("emulation:model", args=[model.pk])))
    assert tree["ward"].name in page.split('id="spread"', 1)[1]


def test_adopting_an_unmarked_model_shows_the_service_error(model, tree, alice, client_for):
    before = db_state()
    response = client_for(alice).post(
        reverse("emulation:model_adopt", args=[model.pk]),
        {"unit": tree["ward"].pk, "started_on": TODAY.isoformat()},
    )
    assert "This model is not marked for replication." in errors_of(response)
    assert db_state() == before


# --- lists and the dashboard --------------------------------------------------------------


def test_model_list_filters_and_htmx_partial(movement, model, tree, alice, client_for):
    register(
        movement,
        alice,
        tree["ward"],
        "Dân vận khéo trong xây dựng đô thị",
        field_code="political-system",
    )
    url = reverse("emulation:models", args=[movement.pk])
    client = client_for(alice)
    full = text(client.get(url))
    assert "<html" in full and model.title in full
    response = client.get(url, {"q": "DAN VAN KHEO do thi"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert "<html" not in body
    assert "Dân vận khéo trong xây dựng đô thị" in body and model.title not in body
    body = text(client.get(url, {"field": "economy"}, HTTP_HX_REQUEST="true"))
    assert model.title in body and "đô thị" not in body
    body = text(client.get(url, {"unit": tree["union"].pk}))
    assert model.title in body and "đô thị" not in body
    body = text(client.get(url, {"label": "Kỷ niệm 70 năm Giải phóng Thủ đô"}))
    assert model.title in body and "đô thị" not in body
    body = text(client.get(url, {"state": "completed"}))
    assert "No model matches." in body


def test_dashboard_figures_and_drill_down(movement, model, tree, alice, client_for):
    register(movement, alice, tree["union"], "Mô hình thứ hai", field_code="culture-society")
    register(
        movement,
        alice,
        tree["ward"],
        "Cán bộ gần dân",
        kind="individual",
        person_name="Trần Văn Nam",
        person_position="Bí thư",
    )
    complete_model(actor=alice, model=model)
    response = client_for(alice).get(
        reverse("emulation:dashboard", args=[movement.pk]), {"year": YEAR}
    )
    d = response.context["d"]
    assert (d["models"], d["completed"], d["collectives"], d["individuals"]) == (3, 1, 1, 1)
    body = text(response)
    headline = body.split('id="headline"', 1)[1].split("</section>", 1)[0]
    assert ">1/3<" in headline and "33.3%" in headline
    models_url = reverse("emulation:models", args=[movement.pk])
    assert f"{models_url}?year={YEAR}&amp;unit={tree['ward'].pk}&amp;state=completed" in body
    assert f"unit={tree['union'].pk}" in body.split('id="by-unit"', 1)[1]
    drill = client_for(alice).get(models_url, {"year": YEAR, "state": "completed"})
    assert [m.pk for m in drill.context["page"]] == [model.pk]


def test_dashboard_as_of_date(movement, model, alice, client_for):
    complete_model(actor=alice, model=model, on=TODAY)
    url = reverse("emulation:dashboard", args=[movement.pk])
    earlier = (TODAY - dt.timedelta(days=1)).isoformat()
    assert (
        client_for(alice).get(url, {"year": YEAR, "as_of": earlier}).context["d"]["completed"] == 0
    )
    assert (
        client_for(alice)
        .get(url, {"year": YEAR, "as_of": TODAY.isoformat()})
        .context["d"]["completed"]
        == 1
    )
    assert client_for(alice).get(url, {"year": YEAR, "as_of": "nonsense"}).status_code == 200


# --- contests -----------------------------------------------------------------------------


def test_judge_scores_and_organizer_closes_the_round(teams_contest, alice, bob, client_for):
    first = teams_contest.rounds.get(order=1)
    contests.add_judge(actor=alice, round=first, user=bob)
    participants = list(first.participants.select_related("team").order_by("team__name"))
    criteria = list(teams_contest.criteria.order_by("pk"))
    page = text(client_for(bob).get(reverse("emulation:contest", args=[teams_contest.pk])))
    score_url = reverse("emulation:team_score", args=[participants[0].pk])
    assert score_url in page
    assert reverse("emulation:round_close", args=[first.pk]) not in page
    before = db_state()
    response = client_for(bob).post(score_url, {f"p{participants[0].pk}-c_{criteria[0].pk}": "11"})
    assert response.status_code == 200
    assert "The score for “Nội dung” must be between 0 and" in " ".join(errors_of(response))
    assert db_state() == before
    response = client_for(alice).post(score_url, {f"p{participants[0].pk}-c_{criteria[0].pk}": "5"})
    assert "Only the round's judges can score it." in errors_of(response)
    for p, value in zip(participants, ("9", "6"), strict=True):
        response = client_for(bob).post(
            reverse("emulation:team_score", args=[p.pk]),
            {f"p{p.pk}-c_{criteria[0].pk}": value, f"p{p.pk}-c_{criteria[1].pk}": value},
        )
        assert response.status_code == 302
    assert (
        client_for(bob).post(reverse("emulation:round_close", args=[first.pk])).status_code == 403
    )
    response = client_for(alice).post(reverse("emulation:round_close", args=[first.pk]))
    assert response.status_code == 302
    page = text(client_for(alice).get(reverse("emulation:contest", args=[teams_contest.pk])))
    first_round = page.split(f'id="round-{first.pk}"', 1)[1].split("</section>", 1)[0]
    assert "18.00" in first_round and "advanced" in first_round
    final = teams_contest.rounds.get(order=2)
    assert [p.team.name for p in final.participants.all()] == [participants[0].team.name]


def test_entries_and_live_coverage(entries_contest, tree, alice, client_for):
    client = client_for(alice)
    url = reverse("emulation:contest", args=[entries_contest.pk])
    page = text(client.get(url))
    assert tree["union"].name in page.split('id="coverage"', 1)[1]
    submit = reverse("emulation:entry_submit", args=[entries_contest.pk])
    before = db_state()
    response = client.post(
        submit, {"unit": tree["union"].pk, "title": "Bài báo", "author": "Lan", "link": "ftp://x"}
    )
    assert "The link must start with http:// or https://." in errors_of(response)
    assert db_state() == before
    response = client.post(
        submit,
        {
            "unit": tree["union"].pk,
            "title": "Bài báo",
            "author": "Lan",
            "link": "https://baomoi.vn/x",
        },
    )
    assert response.status_code == 302
    assert Entry.objects.get().unit == tree["union"]
    partial = client.get(
        reverse("emulation:contest_coverage", args=[entries_contest.pk]), HTTP_HX_REQUEST="true"
    )
    body = text(partial)
    assert "<html" not in body and 'id="coverage"' in body
    assert partial.context["coverage"]["percent"] == 100.0
    assert "Every expected unit has sent an entry." in body


def register(movement, actor, unit, title, **kw):
    from .conftest import register as _register

    return _register(movement, actor, unit, title, **kw)
