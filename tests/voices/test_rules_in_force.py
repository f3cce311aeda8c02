"""Rules are law: a rule row in force (or already used by a clock) is never changed; a
change of the law is a new row with the date it takes effect. Each clock keeps the rule it
started with, so the earlier clock keeps its 60 days whatever is done to the rules later."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from danvan.core.rules import RuleInForce
from danvan.voices import services
from danvan.voices.models import DeadlineRule

from ..conftest import login

D = dt.date
pytestmark = pytest.mark.django_db


def _settle_rule(**conditions):
    return (
        DeadlineRule.objects.filter(kind="complaint", step="settle", **conditions)
        .order_by("-effective_from")
        .first()
    )


@pytest.fixture
def accepted(matter_of, handler):
    """A complicated complaint from a remote area, accepted on 30 June 2026: 60 days."""
    matter = matter_of("complaint", received_on=D(2026, 6, 22), complicated=True, remote_area=True)
    return services.accept_matter(actor=handler, matter=matter, on=D(2026, 6, 30))


def test_the_clock_keeps_the_rule_it_started_with(accepted):
    rule = _settle_rule(condition="complicated_remote")
    assert accepted.settlement_rule == rule and rule.days == 60
    # 30 June + 60 days = Saturday 29 Aug; the next working day is Thursday 3 September
    # (31 Aug is the day off swapped for Saturday 22 Aug, 1–2 Sep the National Day).
    assert accepted.settle_due_on == D(2026, 9, 3)


def test_editing_a_rule_in_force_is_refused_and_the_clock_keeps_60_days(accepted, handler):
    rule = _settle_rule(condition="complicated_remote")
    rule.days = 50
    with pytest.raises(RuleInForce):
        rule.save()
    rule.refresh_from_db()
    assert rule.days == 60
    with pytest.raises(RuleInForce):
        rule.delete()
    # Even a rule not yet used cannot be changed once its effective date has passed.
    unused = _settle_rule(condition="normal")
    unused.citation = "sửa lại"
    with pytest.raises(RuleInForce):
        unused.save()
    settled = services.start_settling(actor=handler, matter=accepted, on=D(2026, 7, 2))
    assert settled.settle_due_on == D(2026, 9, 3)


def test_the_admin_shows_a_rule_in_force_read_only(accepted, superuser):
    client = Client()
    login(superuser, client)
    rule = _settle_rule(condition="complicated_remote")
    page = client.get(f"/admin/voices/deadlinerule/{rule.pk}/change/").content.decode()
    assert 'name="days"' not in page  # shown, not editable
    response = client.post(
        f"/admin/voices/deadlinerule/{rule.pk}/change/",
        {"days": 50, "kind": "complaint", "step": "settle", "condition": "complicated_remote"},
    )
    rule.refresh_from_db()
    assert rule.days == 60 and response.status_code in (200, 302)
    assert client.get(f"/admin/voices/deadlinerule/{rule.pk}/delete/").status_code == 403


def test_a_new_rule_from_a_later_date_applies_to_later_clocks_only(accepted, matter_of, handler):
    DeadlineRule.objects.create(
        kind="complaint", step="settle", condition="complicated_remote", days=50,
        day_count="calendar", citation="Luật sửa đổi (thử)", effective_from=D(2026, 10, 1),
    )  # fmt: skip
    later = matter_of("complaint", received_on=D(2026, 10, 5), complicated=True, remote_area=True)
    later = services.accept_matter(actor=handler, matter=later, on=D(2026, 10, 6))
    assert later.settlement_rule.days == 50
    accepted.refresh_from_db()
    assert accepted.settlement_rule.days == 60


def test_a_new_rule_cannot_reach_back_over_running_clocks(accepted):
    rule = DeadlineRule(
        kind="complaint", step="settle", condition="complicated_remote", days=40,
        day_count="calendar", citation="Quy định hồi tố (thử)", effective_from=D(2026, 6, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "effective_from" in error.value.message_dict
