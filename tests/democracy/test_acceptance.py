"""The issue's acceptance tests, literally."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.audit.models import AuditEvent
from danvan.core.errors import Conflict, DomainError
from danvan.democracy import rules, services
from danvan.democracy.models import (
    Consultation,
    Disclosure,
    DisclosureCategory,
    Response,
    ThresholdRule,
    Vote,
)

from .conftest import make_households, open_matter, vote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("matter_type", "yes", "valid"),
    [
        ("contribution", 161, True),
        ("contribution", 160, True),  # ≥ 2/3 of 240 is 160
        ("contribution", 159, False),
        ("other-decision", 121, True),  # > 50%
        ("other-decision", 120, False),
    ],
)
def test_threshold_of_240_households(gov, ward_orgs, households, matter_type, yes, valid):
    consultation = open_matter(gov, ward_orgs, matter_type)
    assert consultation.households_total == 240
    vote(gov, consultation, yes, no=240 - yes)
    closed = services.close_consultation(
        actor=gov, consultation=consultation, closed_on=consultation.closes_on
    )
    assert (closed.yes, closed.no) == (yes, 240 - yes)
    assert closed.is_valid is valid


def test_required_yes_counts():
    assert rules.required_yes(240, ThresholdRule(percent="66.6667").percent, False) == 160
    assert rules.required_yes(240, 50, True) == 121
    assert rules.required_yes(3, "66.6667", False) == 2


def test_a_household_cannot_vote_twice(gov, ward_orgs, households):
    consultation = open_matter(gov, ward_orgs)
    vote(gov, consultation, 1)
    with pytest.raises(Conflict):
        services.record_vote(actor=gov, consultation=consultation, household_code="h001",
                             choice="no", cast_on=consultation.opens_on)  # fmt: skip
    assert Vote.objects.filter(consultation=consultation).count() == 1
    assert Consultation.objects.get(pk=consultation.pk).yes == 1


def test_the_database_refuses_a_second_vote_too(gov, ward_orgs, households):
    from django.db import IntegrityError, transaction

    consultation = open_matter(gov, ward_orgs)
    vote(gov, consultation, 1)
    first = Vote.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(consultation=consultation, household=first.household, choice="no",
                            cast_on=first.cast_on)  # fmt: skip


def test_a_vote_after_the_close_is_refused(gov, ward_orgs, households):
    consultation = open_matter(gov, ward_orgs)
    with pytest.raises(Conflict):
        services.record_vote(actor=gov, consultation=consultation, household_code="H001",
                             choice="yes",
                             cast_on=consultation.closes_on + dt.timedelta(days=1))  # fmt: skip
    services.close_consultation(actor=gov, consultation=consultation,
                                closed_on=consultation.opens_on)  # fmt: skip
    with pytest.raises(Conflict):
        services.record_vote(actor=gov, consultation=consultation, household_code="H001",
                             choice="yes", cast_on=consultation.opens_on)  # fmt: skip
    assert not Vote.objects.exists()


def test_threshold_is_the_rule_in_force_when_it_opened(gov, ward_orgs, households, superuser):
    before = open_matter(gov, ward_orgs, "other-decision", opens_on=dt.date(2026, 3, 2))
    services.add_threshold_rule(
        actor=superuser, matter_type_code="other-decision", percent=75, strict=False,
        citation="Quy định thử nghiệm", effective_from=dt.date(2026, 4, 1),
    )  # fmt: skip
    after = open_matter(gov, ward_orgs, "other-decision", opens_on=dt.date(2026, 4, 2))
    assert before.threshold_percent == 50 and before.threshold_strict
    assert after.threshold_percent == 75 and not after.threshold_strict
    vote(gov, before, 121)
    closed = services.close_consultation(actor=gov, consultation=before,
                                         closed_on=dt.date(2026, 3, 10))  # fmt: skip
    assert closed.is_valid  # judged by > 50%, not by the later 75%


def test_published_12_working_days_after_its_decision_is_late(gov, ward_orgs):
    # Decision on Friday 13 Feb 2026, before Tết (16–20 Feb): the 10 working days are
    # 23–27 Feb and 2–6 Mar (weekends skipped), so it was due on Friday 6 March 2026.
    decision = dt.date(2026, 2, 13)
    twelve = decision
    counted = 0
    while counted < 12:
        twelve += dt.timedelta(days=1)
        if rules.is_working_day(twelve):
            counted += 1
    assert twelve == dt.date(2026, 3, 10)
    disclosure = services.create_disclosure(
        actor=gov, unit=ward_orgs["ubnd"], category_code="contributions",
        title="Mức đóng góp xây dựng nhà văn hóa", decision_date=decision,
        published_on=twelve, forms=["notice_board", "loudspeaker"],
        posted_until=twelve + dt.timedelta(days=30),
    )  # fmt: skip
    assert disclosure.due_on == dt.date(2026, 3, 6)
    assert disclosure.status() == "late"
    assert "10/2022/QH15" in disclosure.rule.citation
    on_time = services.create_disclosure(
        actor=gov, unit=ward_orgs["ubnd"], category_code="policy", title="Chính sách hỗ trợ",
        decision_date=decision, published_on=dt.date(2026, 3, 6), forms=["website"],
    )  # fmt: skip
    assert on_time.status() == "on_time"
    missing = services.create_disclosure(
        actor=gov, unit=ward_orgs["ubnd"], category_code="policy", title="Chưa công khai",
        decision_date=decision,
    )  # fmt: skip
    assert missing.status(today=dt.date(2026, 3, 9)) == "missing"
    assert missing.status(today=dt.date(2026, 3, 6)) == "pending"


def test_a_category_rule_wins_over_the_general_one(gov, ward_orgs):
    budget = services.create_disclosure(
        actor=gov, unit=ward_orgs["ubnd"], category_code="budget", title="Dự toán 2026",
        decision_date=dt.date(2026, 1, 5),
    )  # fmt: skip
    assert budget.rule.category == DisclosureCategory.objects.get(code="budget")
    assert budget.due_on == dt.date(2026, 2, 4)
    assert budget.min_posting_days == 90


def _nothing_written(count_before):
    assert AuditEvent.objects.count() == count_before


def test_a_threshold_outside_0_to_100_is_refused(superuser):
    before = (ThresholdRule.objects.count(), AuditEvent.objects.count())
    for bad in (-1, 100.5, "abc", "NaN"):
        with pytest.raises(DomainError) as err:
            services.add_threshold_rule(
                actor=superuser, matter_type_code="contribution", percent=bad, strict=False,
                citation="x", effective_from=dt.date(2027, 1, 1),
            )  # fmt: skip
        assert err.value.field == "percent"
    assert (ThresholdRule.objects.count(), AuditEvent.objects.count()) == before


def test_a_consultation_without_households_is_refused(gov, ward_orgs):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        open_matter(gov, ward_orgs)
    assert err.value.field == "community"
    assert not Consultation.objects.exists()
    _nothing_written(before)


def test_a_response_dated_before_its_recommendation_is_refused(gov, alice, ward_orgs):
    body = services.create_body(actor=alice, unit=ward_orgs["front"], kind="inspection",
                                name="Ban Thanh tra nhân dân phường Ba Đình")  # fmt: skip
    activity = services.record_activity(
        actor=alice, body=body, kind="supervision", subject="Thu chi quỹ đường ngõ 5",
        held_on=dt.date(2026, 3, 2),
    )  # fmt: skip
    rec = services.add_recommendation(
        actor=alice, activity=activity, addressee=ward_orgs["ubnd"],
        content="Công khai chi tiết các khoản chi", made_on=dt.date(2026, 3, 3),
        due_on=dt.date(2026, 3, 31),
    )  # fmt: skip
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        services.respond_to_recommendation(actor=gov, recommendation=rec,
                                           responded_on=dt.date(2026, 3, 2),
                                           content="Đã công khai")  # fmt: skip
    assert err.value.field == "responded_on"
    assert "03/03/2026" in str(err.value.message)
    assert not Response.objects.exists()
    _nothing_written(before)
    rec.refresh_from_db()
    assert rec.answered_on is None


def test_households_in_a_hamlet_only(gov, ward_orgs):
    with pytest.raises(DomainError):
        make_households(gov, ward_orgs["ubnd"], 1)
    assert not Disclosure.objects.exists()
