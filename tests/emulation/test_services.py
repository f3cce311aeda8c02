"""Every write of the movement: happy path with exactly one audit event, who may do it, and
bad input rejected with a clear DomainError (message and field) while nothing is written."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.audit.models import AuditEvent
from danvan.core import uploads
from danvan.core.errors import Conflict, DomainError
from danvan.emulation import defaults, queries, services
from danvan.emulation.models import (
    Adoption,
    Commendation,
    Evidence,
    Level,
    MovementModel,
    ProgressReport,
    Registration,
    Score,
    Theme,
)
from danvan.emulation.services import EmulationError

from ..factories import UserFactory, complete_model, grant
from .conftest import CLOSES, IN_WINDOW, OPENS, YEAR, Unchanged, events_since, register

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class OneEvent:
    """Asserts that a block appended exactly one audit event, with this action and actor."""

    def __init__(self, action: str, actor):
        self.action, self.actor = action, actor

    def __enter__(self):
        self.count = AuditEvent.objects.count()
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            events = events_since(self.count)
            assert [(e.action, e.actor) for e in events] == [(self.action, self.actor)]
            self.event = events[0]
        return False


def refuses(call, error_type=EmulationError, field=None, *, media=None, code=None, case=None):
    """The call is refused with `error_type` (a DomainError: message, field) or
    PermissionDenied, and nothing is written."""
    with Unchanged(media):
        try:
            call()
        except error_type as exc:
            error = exc
        else:
            pytest.fail(f"not refused: {case!r}")
    if isinstance(error, DomainError):
        assert str(error.message), case
        assert error.field == field, case
        if code:
            assert error.code == code, case
    return error


def rejected(error, field, *, code=None):
    """The error is a DomainError with a message and the field it is about."""
    assert isinstance(error.value, DomainError)
    assert str(error.value.message)
    assert error.value.field == field
    if code:
        assert error.value.code == code


# Movements, themes, criteria, labels, windows -----------------------------------------------


def test_commission_officer_creates_a_movement_with_default_fields_and_levels(district, people):
    with OneEvent("emulation.create_movement", people.commission) as audit:
        movement = services.create_movement(
            actor=people.commission,
            organizer=district.commission,
            code="dvk-2025",
            name="  Dân vận   khéo ",
            start_year="2025",
        )
    assert movement.name == "Dân vận khéo"
    assert (movement.start_year, movement.end_year) == (2025, None)
    assert [f.code for f in movement.fields.all()] == [code for code, _name in defaults.FIELDS]
    levels = {lv.code: (lv.rank, lv.area_level) for lv in movement.levels.all()}
    assert levels == {
        "commune": (1, "commune"),
        "district": (2, "district"),
        "province": (3, "province"),
        "central": (4, ""),
    }
    assert audit.event.object_id == str(movement.pk)
    assert audit.event.changes["code"] == [None, "dvk-2025"]


def test_bad_movements_are_refused(district, people, movement):
    for changes, field, error_type in [
        ({"code": "dvk-thanh-tri"}, "code", Conflict),
        ({"code": "  "}, "code", EmulationError),
        ({"name": ""}, "name", EmulationError),
        ({"start_year": "hai nghìn"}, "start_year", EmulationError),
        ({"start_year": 1999}, "start_year", EmulationError),
        ({"start_year": 2025, "end_year": 2024}, "end_year", EmulationError),
    ]:
        spec = {"code": "moi", "name": "Mới", "start_year": 2025} | changes
        refuses(
            lambda spec=spec: services.create_movement(
                actor=people.commission, organizer=district.commission, **spec
            ),
            error_type,
            field,
            case=changes,
        )


def test_only_a_manager_of_the_organizer_creates_movements(district, people):
    for who in ["registrar", "district_leader", "other_leader", "outsider"]:
        refuses(
            lambda who=who: services.create_movement(
                actor=getattr(people, who),
                organizer=district.commission,
                code="x",
                name="X",
                start_year=2025,
            ),
            PermissionDenied,
            case=who,
        )


def test_a_commission_officer_of_a_commune_cannot_run_the_district_movement(
    district, people, movement
):
    officer = UserFactory(username="commune-commission")
    grant(officer, "commission_officer", district.communes[0].party)
    with Unchanged(), pytest.raises(PermissionDenied):
        services.set_theme(actor=officer, movement=movement, year=2025, title="X")
    with Unchanged(), pytest.raises(PermissionDenied):
        services.add_criterion(actor=officer, movement=movement, name="X")
    with Unchanged(), pytest.raises(PermissionDenied):
        services.add_label(actor=officer, movement=movement, name="X")
    with Unchanged(), pytest.raises(PermissionDenied):
        services.open_registration(
            actor=officer, movement=movement, year=2025, opens_on=OPENS, closes_on=CLOSES
        )


def test_theme_is_set_then_replaced(people, movement):
    c = people.commission
    with OneEvent("emulation.set_theme", c):
        services.set_theme(actor=c, movement=movement, year=2025, title="Dân vận khéo")
    with OneEvent("emulation.set_theme", c) as audit:
        theme = services.set_theme(
            actor=c,
            movement=movement,
            year=2025,
            title="Dân vận khéo – Việc gì cũng thành công",
        )
    assert Theme.objects.filter(movement=movement).count() == 1
    assert theme.title == "Dân vận khéo – Việc gì cũng thành công"
    assert audit.event.changes == {
        "title": ["Dân vận khéo", "Dân vận khéo – Việc gì cũng thành công"]
    }
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.set_theme(actor=c, movement=movement, year=2025, title=" ")
    rejected(error, "title")


def test_criteria_and_labels(people, movement):
    c = people.commission
    with OneEvent("emulation.add_criterion", c):
        first = services.add_criterion(actor=c, movement=movement, name="Hiệu quả", weight="2")
    second = services.add_criterion(
        actor=c, movement=movement, name="Lan tỏa", weight=1, max_score=20
    )
    assert (first.weight, first.max_score, first.sort_order) == (Decimal(2), Decimal(10), 1)
    assert (second.max_score, second.sort_order) == (Decimal(20), 2)
    for kwargs, field in [
        ({"weight": 0}, "weight"),
        ({"weight": -1}, "weight"),
        ({"weight": "nặng"}, "weight"),
        ({"max_score": 0}, "max_score"),
        ({"max_score": "NaN"}, "max_score"),
        ({"name": ""}, "name"),
    ]:
        with Unchanged(), pytest.raises(EmulationError) as error:
            services.add_criterion(actor=c, movement=movement, **({"name": "X"} | kwargs))
        rejected(error, field)

    with OneEvent("emulation.add_label", c):
        services.add_label(actor=c, movement=movement, name="70 năm Giải phóng Thủ đô")
    with Unchanged(), pytest.raises(Conflict) as error:
        services.add_label(actor=c, movement=movement, name=" 70 năm  Giải phóng Thủ đô")
    rejected(error, "name")


def test_registration_windows(people, movement):
    c = people.commission
    with OneEvent("emulation.open_registration", c):
        window = services.open_registration(
            actor=c,
            movement=movement,
            year=2025,
            opens_on=dt.date(2025, 1, 1),
            closes_on=dt.date(2025, 3, 31),
            level_code="province",
        )
    assert window.level.code == "province"
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.open_registration(
            actor=c,
            movement=movement,
            year=2025,
            opens_on=dt.date(2025, 3, 1),
            closes_on=dt.date(2025, 2, 1),
        )
    rejected(error, "closes_on")
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.open_registration(
            actor=c,
            movement=movement,
            year=2025,
            opens_on=OPENS,
            closes_on=CLOSES,
            level_code="ward",
        )
    rejected(error, "level")

    # Closing early keeps `last_day` as the last day it accepts; never lengthens a window.
    with OneEvent("emulation.close_registration", c) as audit:
        services.close_registration(actor=c, window=window, last_day=dt.date(2025, 2, 10))
    window.refresh_from_db()
    assert window.closes_on == dt.date(2025, 2, 10)
    assert audit.event.changes == {"closes_on": ["2025-03-31", "2025-02-10"]}
    services.close_registration(actor=c, window=window, last_day=dt.date(2025, 12, 31))
    window.refresh_from_db()
    assert window.closes_on == dt.date(2025, 2, 10)
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.close_registration(actor=c, window=window, last_day=dt.date(2024, 12, 31))
    rejected(error, "last_day")
    with Unchanged(), pytest.raises(PermissionDenied):
        services.close_registration(actor=people.registrar, window=window)


# Registering models ----------------------------------------------------------------------------


def test_a_collective_registers_a_model(district, people, movement):
    services.add_label(actor=people.commission, movement=movement, name="Nhãn")
    unit = district.communes[0].units[1]
    with OneEvent("emulation.register_model", people.registrar) as audit:
        model = register(
            movement,
            people.registrar,
            unit,
            "  Mô hình “Phụ nữ   giúp nhau phát triển kinh tế” ",
            field="economy",
            target_group="Hội viên phụ nữ",
            start_date=dt.date(2024, 3, 1),
            end_date=dt.date(2024, 12, 31),
            label_names=["Nhãn"],
        )
    assert model.title == "Mô hình “Phụ nữ giúp nhau phát triển kinh tế”"
    assert model.search_name == "mo hinh “phu nu giup nhau phat trien kinh te”"
    assert (model.year, model.level.code, model.unit, model.state) == (
        2024,
        "district",
        unit,
        "registered",
    )
    assert [label.name for label in model.labels.all()] == ["Nhãn"]
    registration = model.registration
    assert (registration.kind, registration.unit, registration.person_key) == (
        "collective",
        unit,
        "",
    )
    assert registration.created_by == people.registrar
    assert audit.event.object_type == "emulation.movementmodel"
    # A second model of the same collective at the same level joins the same registration.
    again = register(movement, people.registrar, unit, "Mô hình thứ hai")
    assert again.registration_id == registration.pk


def test_an_individual_registers_models_as_one_registrant(district, people, movement):
    unit = district.communes[0].units[0]
    cadre = {"kind": "individual", "person_name": "Lê Thị Mai", "person_position": "Chủ tịch"}
    first = register(movement, people.commune_registrar, unit, "Mô hình 1", **cadre)
    second = register(
        movement,
        people.commune_registrar,
        unit,
        "Mô hình 2",
        kind="individual",
        person_name="le thi  MAI",
        person_position="chu tich",
    )
    assert first.registration_id == second.registration_id
    assert first.registration.person_name == "Lê Thị Mai"
    assert first.registration.person_key == "le thi mai|chu tich"
    # A collective's person fields are ignored.
    collective = register(movement, people.commune_registrar, unit, "Tập thể", person_name="Ai đó")
    assert (collective.registration.kind, collective.registration.person_name) == (
        "collective",
        "",
    )


def test_registering_needs_the_register_action_over_the_unit(district, people, movement):
    d = district
    for who, unit in [
        ("commune_registrar", d.communes[1].units[0]),
        ("commune_registrar", d.party),
        ("other_registrar", d.communes[0].units[0]),
        ("district_leader", d.communes[0].units[0]),
        ("outsider", d.communes[0].units[0]),
    ]:
        refuses(
            lambda who=who, unit=unit: register(movement, getattr(people, who), unit, "Mô hình"),
            PermissionDenied,
            case=(who, unit),
        )


def test_commune_officer_registers_in_their_subtree_and_commission_officer_too(
    district, people, movement
):
    hamlet = district.communes[0].units[6]
    assert register(movement, people.commune_registrar, hamlet, "Thôn 1").unit == hamlet
    assert register(movement, people.commission, hamlet, "Thôn 2").unit == hamlet


def test_registration_only_inside_the_window(district, people, movement):
    unit, r = district.units[1], people.registrar
    assert register(movement, r, unit, "Ngày mở", today=OPENS)
    assert register(movement, r, unit, "Ngày đóng", today=CLOSES)
    for day in (OPENS - dt.timedelta(days=1), CLOSES + dt.timedelta(days=1), dt.date(2025, 2, 1)):
        refuses(lambda day=day: register(movement, r, unit, "Mô hình", today=day), field="year")


def test_registration_with_no_window_or_another_levels_window_is_refused(
    district, people, movement
):
    unit = district.units[1]
    with Unchanged(), pytest.raises(EmulationError) as error:
        register(movement, people.registrar, unit, "Năm sau", year=2025, today=dt.date(2025, 2, 1))
    rejected(error, "year")
    services.open_registration(
        actor=people.commission,
        movement=movement,
        year=2025,
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 1, 31),
        level_code="province",
    )
    jan = dt.date(2025, 1, 15)
    assert register(
        movement, people.registrar, unit, "Cấp thành phố", year=2025, level="province", today=jan
    )
    with Unchanged(), pytest.raises(EmulationError) as error:
        register(movement, people.registrar, unit, "Cấp huyện", year=2025, today=jan)
    rejected(error, "year")


def test_a_model_registered_twice_is_refused_title_folded(district, people, movement):
    unit = district.communes[0].units[1]
    register(movement, people.registrar, unit, "Dân vận khéo xây dựng nông thôn mới")
    for title in [
        "Dân vận khéo xây dựng nông thôn mới",
        "DÂN VẬN KHÉO XÂY DỰNG NÔNG THÔN MỚI",
        "dan van kheo xay dung nong thon moi",
        "  Dân  vận khéo xây dựng   nông thôn mới ",
    ]:
        refuses(
            lambda title=title: register(movement, people.registrar, unit, title),
            Conflict,
            "title",
            code="conflict",
            case=title,
        )


def test_the_same_title_is_fine_for_another_registrant_level_or_year(district, people, movement):
    r, unit, title = people.registrar, district.communes[0].units[1], "Dân vận khéo"
    register(movement, r, unit, title)
    register(movement, r, unit, title, level="commune")
    register(movement, r, district.communes[1].units[1], title)
    register(movement, r, unit, title, kind="individual", person_name="Lê Mai")
    services.open_registration(
        actor=people.commission,
        movement=movement,
        year=2025,
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 12, 31),
    )
    register(movement, r, unit, title, year=2025, today=dt.date(2025, 5, 1))
    assert MovementModel.objects.filter(search_name="dan van kheo").count() == 5


def test_bad_registrations_are_refused(district, people, movement):
    unit = district.units[1]
    for changes, field in [
        ({"field": "sport"}, "field"),
        ({"level": "ward"}, "level"),
        ({"label_names": ["Không có"]}, "labels"),
        ({"kind": "family"}, "kind"),
        ({"kind": "individual", "person_name": " "}, "person_name"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"start_date": dt.date(2024, 5, 1), "end_date": dt.date(2024, 4, 1)}, "end_date"),
        ({"year": 1990}, "year"),
        ({"year": "năm nay"}, "year"),
    ]:
        spec = {"title": "Mô hình"} | changes
        refuses(
            lambda spec=spec: register(movement, people.registrar, unit, **spec),
            field=field,
            case=changes,
        )
    assert not Registration.objects.exists()


# Updating and changing state ---------------------------------------------------------------


@pytest.fixture
def model(district, people, movement):
    """A district-level model of the first commune's Women's Union."""
    return register(movement, people.registrar, district.communes[0].units[1], "Phụ nữ khéo")


def test_update_model(people, model):
    with OneEvent("emulation.update_model", people.commune_registrar) as audit:
        updated = services.update_model(
            actor=people.commune_registrar,
            model=model,
            title="Phụ nữ  khéo vận động",
            field_code="culture-society",
            goals="100 hộ",
            start_date=dt.date(2024, 4, 1),
        )
    assert (updated.title, updated.search_name, updated.field.code) == (
        "Phụ nữ khéo vận động",
        "phu nu kheo van dong",
        "culture-society",
    )
    assert audit.event.changes["title"] == ["Phụ nữ khéo", "Phụ nữ khéo vận động"]
    # Clearing a date or a text.
    updated = services.update_model(
        actor=people.commune_registrar, model=updated, start_date=None, goals=None
    )
    updated.refresh_from_db()
    assert (updated.start_date, updated.goals) == (None, "")


def test_bad_updates_are_refused(people, model):
    for changes, field in [
        ({"state": "completed"}, None),
        ({"unit": 1}, None),
        ({"field_code": "sport"}, "field"),
        ({"title": " "}, "title"),
        ({"start_date": dt.date(2024, 5, 1), "end_date": dt.date(2024, 4, 1)}, "end_date"),
    ]:
        refuses(
            lambda changes=changes: services.update_model(
                actor=people.registrar, model=model, **changes
            ),
            field=field,
            case=changes,
        )


def test_renaming_a_model_to_a_title_its_registrant_already_has_is_refused(people, model):
    r = people.registrar
    other = register(model.movement, r, model.unit, "Phụ nữ giúp nhau")
    refuses(
        lambda: services.update_model(actor=r, model=other, title="PHU NU  KHEO"),
        Conflict,
        "title",
        code="conflict",
    )
    # Its own title, in another case, is fine.
    assert services.update_model(actor=r, model=model, title="Phụ Nữ Khéo").title == "Phụ Nữ Khéo"


def test_updates_and_state_changes_need_the_register_action(people, model):
    for who in ("other_registrar", "district_leader", "outsider"):
        actor = getattr(people, who)
        refuses(
            lambda actor=actor: services.update_model(actor=actor, model=model, title="Khác"),
            PermissionDenied,
        )
        refuses(
            lambda actor=actor: services.change_state(
                actor=actor, model=model, state="in_progress"
            ),
            PermissionDenied,
        )


def test_state_moves_forward(people, model):
    r = people.commune_registrar
    with OneEvent("emulation.change_state", r) as audit:
        model = services.change_state(
            actor=r, model=model, state="in_progress", on=dt.date(2024, 4, 1)
        )
    assert (model.state, model.state_changed_on) == ("in_progress", dt.date(2024, 4, 1))
    assert audit.event.changes["state"] == ["registered", "in_progress"]
    model = complete_model(actor=r, model=model, on=dt.date(2024, 6, 1))
    assert model.state == "completed"
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.change_state(actor=r, model=model, state="in_progress")
    rejected(error, "state")
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.change_state(actor=r, model=model, state="abandoned", reason="Muộn")
    rejected(error, "state")


def test_abandoning_needs_a_reason_and_is_final(people, model):
    r = people.registrar
    for reason in ("", "   "):
        with Unchanged(), pytest.raises(EmulationError) as error:
            services.change_state(actor=r, model=model, state="abandoned", reason=reason)
        rejected(error, "reason")
    model = services.change_state(
        actor=r, model=model, state="abandoned", reason="Địa bàn sáp nhập"
    )
    assert (model.state, model.abandon_reason) == ("abandoned", "Địa bàn sáp nhập")
    for state in ("registered", "in_progress", "completed", "abandoned"):
        with Unchanged(), pytest.raises(EmulationError) as error:
            services.change_state(actor=r, model=model, state=state, reason="x")
        rejected(error, "state")


def test_unknown_or_same_state_is_refused(people, model):
    for state in ["registered", "done", "", "COMPLETED"]:
        refuses(
            lambda state=state: services.change_state(
                actor=people.registrar, model=model, state=state
            ),
            field="state",
            case=state,
        )


# Progress and evidence ---------------------------------------------------------------------


def test_progress_with_evidence_stored_under_random_names(people, model, media):
    r = people.commune_registrar
    files = [
        SimpleUploadedFile("bien-ban hop.PDF", PDF, content_type="text/plain"),
        SimpleUploadedFile("../../ảnh.png", PNG, content_type="image/png"),
    ]
    with OneEvent("emulation.report_progress", r) as audit:
        report = services.report_progress(
            actor=r,
            model=model,
            reported_on=dt.date(2024, 5, 1),
            percent="40",
            narrative="Đã vận động 40 hộ",
            files=files,
        )
    assert (report.percent, report.created_by) == (40, r)
    evidence = list(Evidence.objects.filter(report=report).order_by("pk"))
    assert [(e.original_name, e.content_type, e.size) for e in evidence] == [
        ("bien-ban hop.PDF", "application/pdf", len(PDF)),
        ("ảnh.png", "image/png", len(PNG)),
    ]
    assert evidence[0].sha256 == hashlib.sha256(PDF).hexdigest()
    stored = sorted(p for p in media.rglob("*") if p.is_file())
    assert len(stored) == 2
    for e in evidence:
        path = media / e.file.name
        assert path in stored
        assert path.resolve().is_relative_to(media.resolve())
        assert "bien" not in e.file.name and "ảnh" not in e.file.name
        assert len(path.name) == 32
    assert stored[0].read_bytes() in (PDF, PNG)
    model.refresh_from_db()
    assert (model.state, model.state_changed_on) == ("in_progress", dt.date(2024, 5, 1))
    assert audit.event.changes["files"] == [None, ["bien-ban hop.PDF", "ảnh.png"]]


class CountingUpload(SimpleUploadedFile):
    """Counts the bytes anyone reads, to show that the size check does not read the file."""

    bytes_read = 0

    def read(self, *args, **kwargs):
        data = super().read(*args, **kwargs)
        self.bytes_read += len(data)
        return data

    def chunks(self, *args, **kwargs):
        for chunk in super().chunks(*args, **kwargs):
            self.bytes_read += len(chunk)
            yield chunk


def test_evidence_of_a_wrong_type_or_fake_is_refused(people, model, media):
    for name, content in [
        ("chuong-trinh.exe", b"MZ\x90\x00"),
        ("ghi-chu.txt", b"%PDF plain text"),
        ("khong-duoi", PDF),
        ("gia-mao.pdf", b"<html>not a pdf</html>"),
        ("gia-mao.png", PDF),
        ("gia-mao.docx", PNG),
        ("rong.pdf", b""),
    ]:
        files = [SimpleUploadedFile("tot.pdf", PDF), SimpleUploadedFile(name, content)]
        error = refuses(
            lambda files=files: services.report_progress(
                actor=people.registrar,
                model=model,
                reported_on=dt.date(2024, 5, 1),
                percent=10,
                narrative="Có minh chứng",
                files=files,
            ),
            field="files",
            media=media,
            case=name,
        )
        assert name in str(error.message)


def test_evidence_over_10_mb_is_refused_without_reading_it(people, model, media):
    big = CountingUpload("lon.pdf", PDF + b"\0" * (uploads.MAX_BYTES + 1 - len(PDF)))
    with Unchanged(media), pytest.raises(EmulationError) as error:
        services.report_progress(
            actor=people.registrar,
            model=model,
            reported_on=dt.date(2024, 5, 1),
            percent=10,
            narrative="Tệp lớn",
            files=[big],
        )
    rejected(error, "files")
    assert "10 MB" in str(error.value.message)
    assert big.bytes_read == 0


def test_evidence_of_exactly_10_mb_is_accepted(people, model, media):
    exact = CountingUpload("vua.pdf", PDF + b"\0" * (uploads.MAX_BYTES - len(PDF)))
    report = services.report_progress(
        actor=people.registrar,
        model=model,
        reported_on=dt.date(2024, 5, 1),
        percent=10,
        narrative="Vừa đủ",
        files=[exact],
    )
    assert report.evidence.get().size == uploads.MAX_BYTES


def test_bad_progress_is_refused(people, model, media):
    spec = {"reported_on": dt.date(2024, 5, 1), "percent": 50, "narrative": "Đang làm"}
    for changes, field in [
        ({"percent": 101}, "percent"),
        ({"percent": -1}, "percent"),
        ({"percent": "nửa"}, "percent"),
        ({"percent": None}, "percent"),
        ({"narrative": " "}, "narrative"),
        ({"reported_on": None}, "reported_on"),
        ({"reported_on": "01/05/2024"}, "reported_on"),
    ]:
        refuses(
            lambda changes=changes: services.report_progress(
                actor=people.registrar, model=model, **(spec | changes)
            ),
            field=field,
            media=media,
            case=changes,
        )


def test_no_progress_on_a_closed_model_nor_by_outsiders(people, model, media):
    spec = {"reported_on": dt.date(2024, 5, 1), "percent": 50, "narrative": "Đang làm"}
    for who in ("other_registrar", "district_leader", "outsider"):
        with Unchanged(media), pytest.raises(PermissionDenied):
            services.report_progress(actor=getattr(people, who), model=model, **spec)
    model = complete_model(actor=people.registrar, model=model)
    with Unchanged(media), pytest.raises(EmulationError) as error:
        services.report_progress(actor=people.registrar, model=model, **spec)
    rejected(error, "state")
    assert ProgressReport.objects.count() == 1  # the one at 100% that completed it


# Evaluation at the accepting level ---------------------------------------------------------


@pytest.fixture
def criteria(people, movement):
    c = people.commission
    return (
        services.add_criterion(actor=c, movement=movement, name="Hiệu quả", weight=2),
        services.add_criterion(actor=c, movement=movement, name="Lan tỏa", weight=1, max_score=20),
    )


def test_combined_score_is_the_weighted_mean_of_criterion_means_over_evaluators(
    district, people, model, criteria
):
    effect, spread = criteria
    area_leader = UserFactory(username="area-leader")
    grant(area_leader, "leader", district.area)
    leader = people.district_leader
    assert services.combined_score(model) is None
    with OneEvent("emulation.score_model", leader) as audit:
        services.score_model(actor=leader, model=model, scores={effect.pk: 8, spread.pk: "10"})
    # Effect 8/10, spread 10/20: (0.8·2 + 0.5·1) / 3 = 70%.
    assert MovementModel.objects.get(pk=model.pk).score == Decimal("70.00")
    assert audit.event.changes == {
        "score": [None, "70.00"],
        "criteria": [None, sorted([effect.pk, spread.pk])],
    }
    services.score_model(actor=area_leader, model=model, scores={effect.pk: 6, spread.pk: 16})
    # Means: effect 7/10, spread 13/20: (0.7·2 + 0.65·1) / 3 = 68.33%.
    assert MovementModel.objects.get(pk=model.pk).score == Decimal("68.33")
    assert services.combined_score(model) == Decimal("68.33")
    # An evaluator's new score replaces their old one.
    services.score_model(actor=leader, model=model, scores={str(effect.pk): "10"})
    assert Score.objects.filter(model=model).count() == 4
    # Means: effect 8/10, spread 13/20: (1.6 + 0.65) / 3 = 75%.
    assert MovementModel.objects.get(pk=model.pk).score == Decimal("75.00")
    assert [(s["name"], s["evaluators"]) for s in queries.score_summary(model)] == [
        ("Hiệu quả", 2),
        ("Lan tỏa", 2),
    ]


def test_a_score_outside_the_range_or_not_a_number_is_refused(people, model, criteria):
    effect, spread = criteria
    for raw in [-1, "-0.01", "10.01", 11, "mười", "", None, "NaN", "Infinity", [5]]:
        # The valid score given first is not kept either.
        refuses(
            lambda raw=raw: services.score_model(
                actor=people.district_leader, model=model, scores={spread.pk: 5, effect.pk: raw}
            ),
            field=f"scores.{effect.pk}",
            case=raw,
        )


def test_scores_for_unknown_criteria_are_refused(people, model, criteria, movement, district):
    other = services.create_movement(
        actor=people.commission,
        organizer=district.commission,
        code="khac",
        name="Khác",
        start_year=2024,
    )
    foreign = services.add_criterion(actor=people.commission, movement=other, name="Khác")
    for scores in ({foreign.pk: 5}, {"hiệu quả": 5}, {criteria[0].pk: 5, 10**9: 1}, {}):
        with Unchanged(), pytest.raises(EmulationError) as error:
            services.score_model(actor=people.district_leader, model=model, scores=scores)
        rejected(error, "scores")


def test_only_the_accepting_level_evaluates(district, people, movement, model, criteria):
    effect = criteria[0]
    # A commune leader over the unit scoring a district-level model: the wrong level.
    for who in ("commune_leader", "city_leader"):
        with Unchanged(), pytest.raises(EmulationError) as error:
            services.score_model(actor=getattr(people, who), model=model, scores={effect.pk: 5})
        rejected(error, "evaluator", code="wrong_level")
    # A leader of another district, or someone without the evaluate action: no permission.
    for who in ("other_leader", "registrar", "outsider"):
        with Unchanged(), pytest.raises(PermissionDenied):
            services.score_model(actor=getattr(people, who), model=model, scores={effect.pk: 5})

    unit = district.communes[0].units[1]
    commune_model = register(movement, people.registrar, unit, "Cấp xã", level="commune")
    services.score_model(actor=people.commune_leader, model=commune_model, scores={effect.pk: 5})
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.score_model(
            actor=people.district_leader, model=commune_model, scores={effect.pk: 5}
        )
    rejected(error, "evaluator", code="wrong_level")
    city_model = register(movement, people.registrar, unit, "Cấp thành phố", level="province")
    services.score_model(actor=people.city_leader, model=city_model, scores={effect.pk: 5})
    # Central level: the movement's organizer or a unit above it.
    central = register(movement, people.registrar, unit, "Trung ương", level="central")
    services.score_model(actor=people.district_leader, model=central, scores={effect.pk: 5})
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.score_model(actor=people.commune_leader, model=central, scores={effect.pk: 5})
    rejected(error, "evaluator", code="wrong_level")


def test_recognize_commend_and_mark_for_replication(people, model):
    leader = people.district_leader
    with OneEvent("emulation.recognize_model", leader) as audit:
        services.recognize_model(
            actor=leader, model=model, level_code="district", on=dt.date(2024, 12, 1)
        )
    model.refresh_from_db()
    assert (model.recognized_level.code, model.recognized_on) == ("district", dt.date(2024, 12, 1))
    assert audit.event.changes["recognized_on"] == [None, "2024-12-01"]
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.recognize_model(actor=leader, model=model, level_code="hamlet")
    rejected(error, "level")

    with OneEvent("emulation.commend_model", leader):
        commendation = services.commend_model(
            actor=leader,
            model=model,
            form="Giấy khen",
            issuing_body="Ban Thường vụ Huyện ủy Thanh Trì",
            decision_number="215-QĐ/HU",
            decision_date=dt.date(2024, 12, 10),
        )
    assert commendation.model == model
    good = {
        "form": "Giấy khen",
        "issuing_body": "Huyện ủy",
        "decision_number": "1-QĐ",
        "decision_date": dt.date(2024, 12, 10),
    }
    for field in ("form", "issuing_body", "decision_number"):
        with Unchanged(), pytest.raises(EmulationError) as error:
            services.commend_model(actor=leader, model=model, **(good | {field: ""}))
        rejected(error, field)
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.commend_model(actor=leader, model=model, **(good | {"decision_date": None}))
    rejected(error, "decision_date")

    with OneEvent("emulation.mark_for_replication", leader) as audit:
        services.mark_for_replication(actor=leader, model=model)
    assert MovementModel.objects.get(pk=model.pk).for_replication is True
    assert audit.event.changes == {"for_replication": [False, True]}
    services.mark_for_replication(actor=leader, model=model, replicate=False)
    assert MovementModel.objects.get(pk=model.pk).for_replication is False


def test_recognition_commendation_and_replication_need_the_accepting_level(people, model):
    for who, error_type in [
        ("commune_leader", EmulationError),
        ("city_leader", EmulationError),
        ("other_leader", PermissionDenied),
        ("registrar", PermissionDenied),
        ("outsider", PermissionDenied),
    ]:
        actor = getattr(people, who)
        calls = [
            lambda actor=actor: services.recognize_model(
                actor=actor, model=model, level_code="district"
            ),
            lambda actor=actor: services.commend_model(
                actor=actor,
                model=model,
                form="Giấy khen",
                issuing_body="Huyện ủy",
                decision_number="1",
                decision_date=dt.date(2024, 12, 1),
            ),
            lambda actor=actor: services.mark_for_replication(actor=actor, model=model),
        ]
        for call in calls:
            error = refuses(call, error_type, field="evaluator", case=who)
            if error_type is EmulationError:
                assert error.code == "wrong_level"
    assert not Commendation.objects.exists()


# Replication ------------------------------------------------------------------------------


def test_adoption_only_of_models_marked_for_replication_by_other_units_once(
    district, people, model
):
    r, leader = people.registrar, people.district_leader
    other_commune = district.communes[1].party
    start = dt.date(2024, 9, 1)
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.adopt_model(actor=r, model=model, unit=other_commune, started_on=start)
    rejected(error, "model")
    services.mark_for_replication(actor=leader, model=model)
    with Unchanged(), pytest.raises(EmulationError) as error:
        services.adopt_model(actor=r, model=model, unit=model.unit, started_on=start)
    rejected(error, "unit")
    refuses(
        lambda: services.adopt_model(actor=r, model=model, unit=other_commune, started_on=None),
        field="started_on",
    )
    with OneEvent("emulation.adopt_model", r):
        adoption = services.adopt_model(
            actor=r, model=model, unit=other_commune, started_on=start, notes="Học tập"
        )
    assert (adoption.unit, adoption.percent, adoption.notes) == (other_commune, 0, "Học tập")
    with Unchanged(), pytest.raises(Conflict) as error:
        services.adopt_model(actor=r, model=model, unit=other_commune, started_on=start)
    rejected(error, "unit")
    # Another district's unit takes it up too, through its own officer.
    services.adopt_model(
        actor=people.other_registrar, model=model, unit=district.other_unit, started_on=start
    )
    assert [a.unit for a in queries.spread(model)] == [other_commune, district.other_unit]
    # Nobody adopts for a unit they do not cover.
    for who, unit in [
        ("commune_registrar", district.communes[2].party),
        ("other_registrar", district.communes[2].party),
        ("district_leader", district.communes[2].party),
        ("outsider", district.communes[2].party),
    ]:
        with Unchanged(), pytest.raises(PermissionDenied):
            services.adopt_model(
                actor=getattr(people, who), model=model, unit=unit, started_on=start
            )


def test_report_adoption(district, people, model):
    services.mark_for_replication(actor=people.district_leader, model=model)
    adoption = services.adopt_model(
        actor=people.registrar,
        model=model,
        unit=district.communes[1].party,
        started_on=dt.date(2024, 9, 1),
    )
    with OneEvent("emulation.report_adoption", people.registrar) as audit:
        services.report_adoption(actor=people.registrar, adoption=adoption, percent=60, notes="Tốt")
    adoption.refresh_from_db()
    assert (adoption.percent, adoption.notes) == (60, "Tốt")
    assert audit.event.changes == {"percent": [0, 60], "notes": ["", "Tốt"]}
    for percent in (101, -5, "nhiều", None):
        with Unchanged(), pytest.raises(EmulationError) as error:
            services.report_adoption(actor=people.registrar, adoption=adoption, percent=percent)
        rejected(error, "percent")
    for who in ("commune_registrar", "other_registrar", "outsider"):
        with Unchanged(), pytest.raises(PermissionDenied):
            services.report_adoption(actor=getattr(people, who), adoption=adoption, percent=90)
    assert Adoption.objects.get().percent == 60


def test_level_by_code(movement):
    assert services.level_by_code(movement, "district") == Level.objects.get(
        movement=movement, code="district"
    )
    with pytest.raises(EmulationError) as error:
        services.level_by_code(movement, "xã")
    rejected(error, "level")


def test_registration_open_checks_dates_inclusive(movement):
    district = services.level_by_code(movement, "district")
    assert services.registration_open(movement, YEAR, district, IN_WINDOW)
    assert services.registration_open(movement, YEAR, district, CLOSES)
    assert not services.registration_open(movement, YEAR, district, CLOSES + dt.timedelta(1))
    assert not services.registration_open(movement, YEAR + 1, district, IN_WINDOW)


def test_a_model_closed_meanwhile_takes_no_progress(people, model, media):
    """Another request completes the model; this one still holds the old object."""
    stale = MovementModel.objects.get(pk=model.pk)
    complete_model(actor=people.registrar, model=model, on=dt.date(2024, 6, 1))
    refuses(
        lambda: services.report_progress(
            actor=people.commune_registrar,
            model=stale,
            reported_on=dt.date(2024, 6, 2),
            percent=50,
            narrative="Muộn",
            files=[SimpleUploadedFile("tot.pdf", PDF)],
        ),
        field="state",
        media=media,
    )
    assert MovementModel.objects.get(pk=model.pk).state == "completed"


def test_a_model_unmarked_meanwhile_cannot_be_adopted(district, people, model):
    leader = people.district_leader
    services.mark_for_replication(actor=leader, model=model)
    stale = MovementModel.objects.get(pk=model.pk)
    services.mark_for_replication(actor=leader, model=model, replicate=False)
    refuses(
        lambda: services.adopt_model(
            actor=people.registrar,
            model=stale,
            unit=district.communes[1].party,
            started_on=dt.date(2024, 9, 1),
        ),
        field="model",
    )
