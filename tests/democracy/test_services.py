"""Every service: the happy path, the permission edge, bad input (nothing written), audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict, DomainError
from danvan.democracy import services
from danvan.democracy.models import (
    BoardMember,
    Comment,
    Consultation,
    Disclosure,
    Household,
    Recommendation,
    SatisfactionSurvey,
    SupervisionBody,
)

from .conftest import REPRESENTATIVE, make_households, open_matter, vote

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minimal"


def _events(action):
    return AuditEvent.objects.filter(action=action)


# Disclosures ------------------------------------------------------------------------------


def test_create_and_publish_a_disclosure_with_files(gov, ward_orgs):
    disclosure = services.create_disclosure(
        actor=gov, unit=ward_orgs["ubnd"], category_code="policy", title="  Chính sách  ",
        decision_date=dt.date(2026, 3, 2),
        files=[SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf")],
    )  # fmt: skip
    assert disclosure.title == "Chính sách"
    assert disclosure.documents.get().original_name == "quyet-dinh.pdf"
    assert disclosure.due_on == dt.date(2026, 3, 16)
    services.publish_disclosure(
        actor=gov, disclosure=disclosure, published_on=dt.date(2026, 3, 5),
        forms=["website", "website", "meeting"], posted_until=dt.date(2026, 4, 5),
    )  # fmt: skip
    disclosure.refresh_from_db()
    assert disclosure.forms == ["website", "meeting"]
    assert disclosure.status() == "on_time"
    assert disclosure.posting_days == 32 and not disclosure.posting_too_short
    assert _events("democracy.publish_disclosure").count() == 1


def test_a_short_posting_period_shows(gov, ward_orgs):
    d = services.create_disclosure(
        actor=gov, unit=ward_orgs["ubnd"], category_code="policy", title="Ngắn",
        decision_date=dt.date(2026, 3, 2), published_on=dt.date(2026, 3, 3),
        forms=["notice_board"], posted_until=dt.date(2026, 3, 10),
    )  # fmt: skip
    assert d.min_posting_days == 30 and d.posting_too_short


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category_code": "nope"}, "category"),
        ({"title": "  "}, "title"),
        ({"decision_date": "2026-13-01"}, "decision_date"),
        ({"decision_date": dt.date(2099, 1, 1)}, "decision_date"),
        ({"published_on": dt.date(2026, 3, 1)}, "published_on"),
        ({"published_on": dt.date(2026, 3, 3)}, "forms"),
        ({"forms": ["radio"]}, "forms"),
        ({"posted_until": dt.date(2026, 3, 3)}, "posted_until"),
        ({"files": [SimpleUploadedFile("x.exe", b"MZ")]}, "files"),
    ],
)
def test_bad_disclosure_input_writes_nothing(gov, ward_orgs, changes, field):
    kwargs = {
        "actor": gov, "unit": ward_orgs["ubnd"], "category_code": "policy", "title": "Mục",
        "decision_date": dt.date(2026, 3, 2), **changes,
    }  # fmt: skip
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        services.create_disclosure(**kwargs)
    assert err.value.field == field
    assert not Disclosure.objects.exists() and AuditEvent.objects.count() == events


def test_disclosure_permissions(alice, bob, charlie, other_gov, ward_orgs):
    for user in (alice, bob, charlie, other_gov):  # supervise is not manage; others elsewhere
        with pytest.raises(PermissionDenied):
            services.create_disclosure(
                actor=user, unit=ward_orgs["ubnd"], category_code="policy", title="x",
                decision_date=dt.date(2026, 3, 2),
            )  # fmt: skip
    assert not Disclosure.objects.exists()


# Households and import --------------------------------------------------------------------------


def test_register_household_is_audited_without_the_name(gov, ward_orgs):
    household = services.register_household(
        actor=gov, community=ward_orgs["hamlet"], code=" h-01 ", representative=REPRESENTATIVE
    )
    assert household.code == "H-01" and household.representative == REPRESENTATIVE
    event = _events("democracy.register_household").get()
    assert REPRESENTATIVE not in str(event.changes) and REPRESENTATIVE not in event.object_repr
    with pytest.raises(Conflict):
        services.register_household(actor=gov, community=ward_orgs["hamlet"], code="H-01")


def test_import_households_preview_then_all_or_nothing(gov, ward_orgs):
    hamlet = ward_orgs["hamlet"]
    services.register_household(actor=gov, community=hamlet, code="A1")
    bad = "Mã hộ;Đại diện\nA1;x\nA2;\n;y\nA2;z\n".encode()
    result = services.import_households(actor=gov, community=hamlet, file_name="ho.csv",
                                        content=bad)  # fmt: skip
    assert not result.ok and result.created == 0
    assert [r.row for r in result.errors] == [2, 4, 5]
    assert Household.objects.filter(community=hamlet).count() == 1
    good = "\ufeffMã hộ,Đại diện\nA2,Lê Văn B\nA3,\n".encode()
    preview = services.read_households(hamlet, "ho.csv", good)
    assert preview.ok and Household.objects.count() == 1
    result = services.import_households(actor=gov, community=hamlet, file_name="ho.csv",
                                        content=good)  # fmt: skip
    assert result.created == 2
    assert Household.objects.get(code="A2").representative == "Lê Văn B"


def test_import_households_from_xlsx(gov, ward_orgs):
    from danvan.core.tables import export_table

    content, _type, _name = export_table(
        headers=["Mã hộ", "Đại diện"], rows=[["X1", "An"], ["X2", None], [3, ""]],
        fmt="xlsx", filename="ho",
    )  # fmt: skip
    result = services.import_households(actor=gov, community=ward_orgs["hamlet"],
                                        file_name="ho.xlsx", content=content)  # fmt: skip
    assert result.created == 3
    assert set(Household.objects.values_list("code", flat=True)) == {"X1", "X2", "3"}


def test_import_needs_a_code_column_and_permission(gov, bob, ward_orgs):
    with pytest.raises(DomainError) as err:
        services.import_households(actor=gov, community=ward_orgs["hamlet"],
                                   file_name="ho.csv", content=b"Ten\nAn\n")  # fmt: skip
    assert err.value.field == "file"
    with pytest.raises(PermissionDenied):
        services.import_households(actor=bob, community=ward_orgs["hamlet"],
                                   file_name="ho.csv", content=b"Ma ho\nA\n")  # fmt: skip


# Consultations ----------------------------------------------------------------------------------


def test_vote_rules(gov, ward_orgs):
    make_households(gov, ward_orgs["hamlet"], 5)
    c = open_matter(gov, ward_orgs)
    with pytest.raises(DomainError):
        services.record_vote(actor=gov, consultation=c, household_code="H001", choice="maybe",
                             cast_on=c.opens_on)  # fmt: skip
    with pytest.raises(DomainError):
        services.record_vote(actor=gov, consultation=c, household_code="H999", choice="yes",
                             cast_on=c.opens_on)  # fmt: skip
    with pytest.raises(DomainError):
        services.record_vote(actor=gov, consultation=c, household_code="H001", choice="yes",
                             cast_on=c.opens_on - dt.timedelta(days=1))  # fmt: skip
    late_household = services.register_household(actor=gov, community=ward_orgs["hamlet"],
                                                 code="H006")  # fmt: skip
    with pytest.raises(DomainError):
        services.record_vote(actor=gov, consultation=c, household_code=late_household.code,
                             choice="yes", cast_on=c.opens_on)  # fmt: skip
    vote(gov, c, 1)
    event = _events("democracy.record_vote").get()
    assert "yes" not in str(event.changes)  # the tally changed, not who voted what


def test_consultation_bad_input(gov, ward_orgs):
    make_households(gov, ward_orgs["hamlet"], 2)
    base = {
        "actor": gov, "unit": ward_orgs["ubnd"], "community": ward_orgs["hamlet"],
        "matter_type_code": "contribution", "title": "T", "form": "meeting",
        "opens_on": dt.date(2026, 3, 2), "closes_on": dt.date(2026, 3, 9),
    }  # fmt: skip
    for changes, field in [
        ({"matter_type_code": "x"}, "matter_type"),
        ({"form": "telepathy"}, "form"),
        ({"closes_on": dt.date(2026, 3, 1)}, "closes_on"),
        ({"community": ward_orgs["ubnd"]}, "community"),
        ({"opens_on": dt.date(2020, 1, 1), "closes_on": dt.date(2020, 1, 2)}, "matter_type"),
    ]:
        with pytest.raises(DomainError) as err:
            services.open_consultation(**{**base, **changes})
        assert err.value.field == field, changes
    assert not Consultation.objects.exists()


def test_consultation_permissions(alice, bob, other_gov, gov, ward_orgs):
    make_households(gov, ward_orgs["hamlet"], 3)
    c = open_matter(gov, ward_orgs)
    for user in (alice, bob, other_gov):
        with pytest.raises(PermissionDenied):
            open_matter(user, ward_orgs)
        with pytest.raises(PermissionDenied):
            services.record_vote(actor=user, consultation=c, household_code="H001",
                                 choice="yes", cast_on=c.opens_on)  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.close_consultation(actor=user, consultation=c)


def test_close_then_recognize(gov, ward_orgs):
    make_households(gov, ward_orgs["hamlet"], 3)
    c = open_matter(gov, ward_orgs)
    vote(gov, c, 2)
    with pytest.raises(Conflict):
        services.recognize_consultation(actor=gov, consultation=c, recognized_by=ward_orgs["ubnd"],
                                        number="1/QĐ", recognized_on=dt.date(2026, 3, 20))  # fmt: skip
    services.close_consultation(actor=gov, consultation=c, closed_on=dt.date(2026, 3, 16))
    with pytest.raises(Conflict):
        services.close_consultation(actor=gov, consultation=c)
    with pytest.raises(DomainError) as err:
        services.recognize_consultation(actor=gov, consultation=c, recognized_by=ward_orgs["ubnd"],
                                        number="1/QĐ", recognized_on=dt.date(2026, 3, 15))  # fmt: skip
    assert err.value.field == "recognized_on"
    done = services.recognize_consultation(actor=gov, consultation=c,
                                           recognized_by=ward_orgs["ubnd"], number="1/QĐ",
                                           recognized_on=dt.date(2026, 3, 20))  # fmt: skip
    assert done.state == "recognized" and done.is_valid


def test_an_invalid_result_is_not_recognized(gov, ward_orgs):
    make_households(gov, ward_orgs["hamlet"], 3)
    c = open_matter(gov, ward_orgs)
    vote(gov, c, 1)
    services.close_consultation(actor=gov, consultation=c, closed_on=dt.date(2026, 3, 16))
    with pytest.raises(DomainError):
        services.recognize_consultation(actor=gov, consultation=c, recognized_by=ward_orgs["ubnd"],
                                        number="1/QĐ", recognized_on=dt.date(2026, 3, 20))  # fmt: skip


def test_comments_grouped_and_answered(gov, ward_orgs):
    from danvan.democracy import queries

    make_households(gov, ward_orgs["hamlet"], 1)
    c = open_matter(gov, ward_orgs, "compensation")
    assert c.threshold_percent is None and c.rule is None
    with pytest.raises(DomainError):
        services.record_vote(actor=gov, consultation=c, household_code="H001", choice="yes",
                             cast_on=c.opens_on)  # fmt: skip
    for topic in ("Giá đất", "Tái định cư", "Giá đất"):
        services.add_comment(actor=gov, consultation=c, topic=topic, content="Ý kiến",
                             received_on=c.opens_on)  # fmt: skip
    with pytest.raises(DomainError):
        services.add_comment(actor=gov, consultation=c, topic="x", content="y",
                             received_on=c.closes_on + dt.timedelta(days=1))  # fmt: skip
    groups = queries.comment_groups(c)
    assert [(g["topic"], g["n"]) for g in groups] == [("Giá đất", 2), ("Tái định cư", 1)]
    services.respond_to_comments(actor=gov, consultation=c, response="Tiếp thu",
                                 responded_on=dt.date(2026, 3, 20))  # fmt: skip
    c.refresh_from_db()
    assert c.state == "closed" and c.response == "Tiếp thu"
    with pytest.raises(Conflict):
        services.add_comment(actor=gov, consultation=c, topic="x", content="y",
                             received_on=c.opens_on)  # fmt: skip
    assert Comment.objects.count() == 3


def test_threshold_rules_are_for_administrators(gov):
    with pytest.raises(PermissionDenied):
        services.add_threshold_rule(actor=gov, matter_type_code="contribution", percent=60,
                                    strict=False, citation="x",
                                    effective_from=dt.date(2027, 1, 1))  # fmt: skip


def test_a_new_threshold_rule_ends_the_previous(superuser):
    from danvan.democracy.models import ThresholdRule

    services.add_threshold_rule(actor=superuser, matter_type_code="hamlet-head", percent=60,
                                strict=False, citation="Luật mới",
                                effective_from=dt.date(2027, 1, 1))  # fmt: skip
    old = ThresholdRule.objects.get(matter_type__code="hamlet-head", effective_from__year=2023)
    assert old.effective_to == dt.date(2026, 12, 31)
    with pytest.raises(Conflict):
        services.add_threshold_rule(actor=superuser, matter_type_code="hamlet-head", percent=70,
                                    strict=False, citation="x",
                                    effective_from=dt.date(2027, 1, 1))  # fmt: skip


# Supervision -------------------------------------------------------------------------------------


@pytest.fixture
def recommendation(alice, ward_orgs):
    body = services.create_body(actor=alice, unit=ward_orgs["front"], kind="investment",
                                name="Ban Giám sát đầu tư của cộng đồng",
                                term_start=dt.date(2024, 10, 1), term_end=dt.date(2029, 9, 30),
                                projects="Đường ngõ 5\n\nNhà văn hóa")  # fmt: skip
    assert body.project_list == ["Đường ngõ 5", "Nhà văn hóa"]
    activity = services.record_activity(actor=alice, body=body, kind="supervision",
                                        subject="Thi công đường ngõ 5",
                                        held_on=dt.date(2026, 3, 2))  # fmt: skip
    return services.add_recommendation(actor=alice, activity=activity,
                                       addressee=ward_orgs["ubnd"], content="Nghiệm thu",
                                       made_on=dt.date(2026, 3, 3), due_on=dt.date(2026, 3, 20))  # fmt: skip


def test_recommendation_tracked_until_answered(gov, recommendation):
    assert recommendation.status(today=dt.date(2026, 3, 10)) == "open"
    assert recommendation.status(today=dt.date(2026, 3, 21)) == "overdue"
    services.respond_to_recommendation(actor=gov, recommendation=recommendation,
                                       responded_on=dt.date(2026, 3, 25), content="Đã làm")  # fmt: skip
    recommendation.refresh_from_db()
    assert recommendation.answered_on == dt.date(2026, 3, 25)
    assert recommendation.status() == "answered_late"
    services.respond_to_recommendation(actor=gov, recommendation=recommendation,
                                       responded_on=dt.date(2026, 3, 26), content="Bổ sung")  # fmt: skip
    recommendation.refresh_from_db()
    assert recommendation.answered_on == dt.date(2026, 3, 25)
    assert recommendation.responses.count() == 2


def test_only_the_body_concerned_responds(alice, bob, other_gov, recommendation):
    for user in (alice, bob, other_gov):
        with pytest.raises(PermissionDenied):
            services.respond_to_recommendation(actor=user, recommendation=recommendation,
                                               responded_on=dt.date(2026, 3, 5), content="x")  # fmt: skip


def test_supervision_bad_input_and_permissions(alice, gov, bob, ward_orgs):
    with pytest.raises(DomainError):
        services.create_body(actor=alice, unit=ward_orgs["front"], kind="x", name="B")
    with pytest.raises(DomainError) as err:
        services.create_body(actor=alice, unit=ward_orgs["front"], kind="inspection", name="B",
                             term_start=dt.date(2026, 1, 1), term_end=dt.date(2025, 1, 1))  # fmt: skip
    assert err.value.field == "term_end"
    with pytest.raises(PermissionDenied):
        services.create_body(actor=gov, unit=ward_orgs["front"], kind="inspection", name="B")
    assert not SupervisionBody.objects.exists()
    body = services.create_body(actor=alice, unit=ward_orgs["front"], kind="inspection", name="B")
    member = services.add_member(
        actor=alice, body=body, name="Phạm Thị Xuân Mai", position="Trưởng ban"
    )
    assert "Xuân Mai" not in str(
        AuditEvent.objects.filter(action="democracy.add_member").get().changes
    )
    assert BoardMember.objects.get() == member
    with pytest.raises(PermissionDenied):
        services.add_member(actor=bob, body=body, name="X")
    activity = services.record_activity(actor=alice, body=body, kind="social_criticism",
                                        subject="Dự thảo", held_on=dt.date(2026, 3, 2))  # fmt: skip
    for made, due, field in [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 5), "made_on"),
        (dt.date(2026, 3, 3), dt.date(2026, 3, 2), "due_on"),
    ]:
        with pytest.raises(DomainError) as err:
            services.add_recommendation(actor=alice, activity=activity, addressee=ward_orgs["ubnd"],
                                        content="x", made_on=made, due_on=due)  # fmt: skip
        assert err.value.field == field
    assert not Recommendation.objects.exists()


def test_satisfaction_counts(alice, ward_orgs):
    survey = services.record_satisfaction(
        actor=alice, unit=ward_orgs["ubnd"], service="Một cửa", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30), counts={"very_satisfied": 3, "satisfied": 5, "neutral": 2},
    )  # fmt: skip
    assert survey.total == 10 and survey.satisfied_percent == 80.0
    services.record_satisfaction(
        actor=alice, unit=ward_orgs["ubnd"], service="Một cửa", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30), counts={"satisfied": 1},
    )  # fmt: skip
    assert SatisfactionSurvey.objects.get().total == 1
    for counts in ({"satisfied": -1}, {"satisfied": "3"}, {}):
        with pytest.raises(DomainError):
            services.record_satisfaction(actor=alice, unit=ward_orgs["ubnd"], service="x",
                                         period_start=dt.date(2026, 1, 1),
                                         period_end=dt.date(2026, 6, 30), counts=counts)  # fmt: skip


def test_a_code_in_nfc_and_in_nfd_is_one_household(gov, ward_orgs):
    """A household code typed composed and the same code decomposed (copied from a PDF) are
    one household: codes are normalized like all text, so a consultation's total holds."""
    import unicodedata

    hamlet = ward_orgs["hamlet"]
    composed = "HĐ-Đông-01"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    services.register_household(actor=gov, community=hamlet, code=composed)
    with pytest.raises(Conflict):
        services.register_household(actor=gov, community=hamlet, code=decomposed)
    both = f"Mã hộ\n{composed}\n{decomposed}\n".encode()
    result = services.import_households(actor=gov, community=hamlet, file_name="ho.csv",
                                        content=both)  # fmt: skip
    assert not result.ok and result.created == 0
    assert Household.objects.filter(community=hamlet).count() == 1
