"""Legal time limits: working days skip weekends and Tết, calendar periods that end on a day
off end on the next working day, each case keeps the rules in force when its clock started,
and extensions stop at the rule's maximum."""

import datetime as dt

import pytest

from danvan.voices import rules, services
from danvan.voices.models import ComplexityCriterion, DeadlineRule, MatterEvent, MatterState

from .conftest import FRIDAY_BEFORE_TET, row

D = dt.date


def test_the_calendar_knows_tet_2026_from_the_holidays_package(db):
    assert not any(rules.is_working_day(D(2026, 2, day)) for day in range(16, 21))
    assert rules.is_working_day(FRIDAY_BEFORE_TET)
    assert rules.next_working_day(D(2026, 2, 14)) == D(2026, 2, 23)


@pytest.mark.parametrize(
    ("start", "days", "count", "expected"),
    [
        # Starts the day after the event; Tết week and weekends skipped.
        (D(2026, 2, 13), 7, "working", D(2026, 3, 3)),
        (D(2026, 2, 13), 1, "working", D(2026, 2, 23)),
        (D(2026, 2, 12), 1, "working", D(2026, 2, 13)),
        # Calendar days: counted through days off, but never ending on one.
        (D(2026, 3, 5), 60, "calendar", D(2026, 5, 4)),
        (D(2026, 3, 4), 10, "calendar", D(2026, 3, 16)),  # Saturday 14 → Monday 16
        (D(2026, 2, 6), 10, "calendar", D(2026, 2, 23)),  # Monday 16 is Tết → Monday 23
        (D(2026, 3, 2), 60, "calendar", D(2026, 5, 4)),  # 1 May, then a weekend
        (D(2026, 3, 2), 30, "calendar", D(2026, 4, 1)),
    ],
)
def test_add_days_follows_the_civil_code(db, start, days, count, expected):
    assert rules.add_days(start, days, count) == expected


def test_denunciation_received_before_tet_is_classified_within_7_working_days(matter_of):
    matter = matter_of("denunciation")
    assert matter.intake_due_on == D(2026, 3, 3)
    assert matter.due_on == D(2026, 3, 3)


def test_checks_in_several_places_give_10_working_days(matter_of, handler):
    assert matter_of("denunciation", several_places=True).intake_due_on == D(2026, 3, 6)
    # Found out at classification: the clock is recomputed from receipt.
    matter = matter_of("denunciation")
    matter = services.classify_matter(
        actor=handler, matter=matter, several_places=True, on=D(2026, 2, 24)
    )
    assert matter.intake_due_on == D(2026, 3, 6)
    assert row(matter)["intake_due_on"] == D(2026, 3, 6)


def test_complaint_is_accepted_within_10_calendar_days_ending_on_a_working_day(matter_of):
    assert matter_of("complaint").intake_due_on == D(2026, 2, 23)
    assert matter_of("complaint", received_on=D(2026, 3, 4)).intake_due_on == D(2026, 3, 16)


@pytest.mark.parametrize(
    ("conditions", "days", "expected"),
    [
        ({}, 30, D(2026, 4, 6)),  # 4 April is a Saturday
        ({"complicated": True}, 45, D(2026, 4, 20)),  # 19 April is a Sunday
        ({"remote_area": True}, 45, D(2026, 4, 20)),
        ({"complicated": True, "remote_area": True}, 60, D(2026, 5, 4)),
    ],
)
def test_first_time_complaint_is_settled_within_its_days_of_acceptance(
    matter_of, handler, conditions, days, expected
):
    matter = matter_of("complaint", **conditions)
    accepted = services.accept_matter(actor=handler, matter=matter, on=D(2026, 3, 5))
    assert rules.add_days(D(2026, 3, 5), days, "calendar") == expected
    assert accepted.settle_due_on == expected
    assert accepted.due_on == expected


def decided_complaint(matter_of, handler):
    first = matter_of("complaint")
    services.accept_matter(actor=handler, matter=first, on=D(2026, 2, 23))
    return services.decide_matter(
        actor=handler,
        matter=first,
        decision_number="12/QĐ-UBND",
        decision_date=D(2026, 2, 27),
        result="rejected",
    )


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({}, D(2026, 4, 16)),  # 45 days
        ({"complicated": True}, D(2026, 5, 4)),  # 60 days: 1 May, then a weekend
        ({"remote_area": True}, D(2026, 5, 4)),  # 60 days
        ({"complicated": True, "remote_area": True}, D(2026, 5, 11)),  # 70 days
    ],
)
def test_second_time_complaint_has_45_60_70_days(matter_of, receive, handler, conditions, expected):
    first = decided_complaint(matter_of, handler)
    second = receive(
        received_on=D(2026, 2, 28),
        first_complaint=first,
        matters=[{"kind": "complaint", "summary": "Khiếu nại lần hai", **conditions}],
    ).matters.get()
    assert second.first_complaint_id == first.pk
    accepted = services.accept_matter(actor=handler, matter=second, on=D(2026, 3, 2))
    assert accepted.settle_due_on == expected


def test_a_changed_rule_applies_only_to_clocks_started_on_or_after_its_date(matter_of, handler):
    before_law = matter_of("complaint", received_on=D(2026, 6, 20))
    before_law = services.accept_matter(actor=handler, matter=before_law, on=D(2026, 6, 30))
    assert before_law.settle_due_on == D(2026, 7, 30)

    DeadlineRule.objects.create(
        kind="complaint",
        step="settle",
        condition="normal",
        days=20,
        day_count="calendar",
        citation="Luật 136/2025/QH15 (thử nghiệm)",
        effective_from=D(2026, 7, 1),
    )
    DeadlineRule.objects.create(
        kind="complaint",
        step="accept",
        condition="normal",
        days=5,
        day_count="working",
        citation="Luật 136/2025/QH15 (thử nghiệm)",
        effective_from=D(2026, 7, 1),
    )
    after_law = matter_of("complaint", received_on=D(2026, 6, 30))
    # Received before the new rule: the old 10 calendar days (10 July), even when reclassified.
    assert after_law.intake_due_on == D(2026, 7, 10)
    after_law = services.classify_matter(
        actor=handler, matter=after_law, complicated=False, on=D(2026, 7, 2)
    )
    assert after_law.intake_due_on == D(2026, 7, 10)
    after_law = services.accept_matter(actor=handler, matter=after_law, on=D(2026, 7, 1))
    assert after_law.settle_due_on == D(2026, 7, 21)

    before_law.refresh_from_db()
    assert before_law.settle_due_on == D(2026, 7, 30)
    assert rules.settle_due(before_law) == D(2026, 7, 30)
    received_after = matter_of("complaint", received_on=D(2026, 7, 3))
    assert received_after.intake_due_on == D(2026, 7, 10)  # 5 working days from Friday 3 July


def accepted_denunciation(matter_of, handler, *, complexity=None, grounds=(), **conditions):
    """A denunciation received on the Friday before Tết 2026, classified (as complicated
    or especially complicated, with its grounds, when asked) and accepted on 2 March."""
    matter = matter_of("denunciation", **conditions)
    if complexity:
        matter = services.classify_matter(
            actor=handler,
            matter=matter,
            complicated=True,
            especially_complicated=complexity == "especially",
            grounds=list(grounds or ["several-contents"]),
            on=D(2026, 2, 23),
        )
    return services.accept_matter(actor=handler, matter=matter, on=D(2026, 3, 2))


def test_an_ordinary_denunciation_is_not_extended(matter_of, handler, nothing_written):
    """Law on Denunciations 2018, Art. 30: no extension for an ordinary case; the refusal
    cites the article."""
    matter = accepted_denunciation(matter_of, handler)
    assert matter.settle_due_on == D(2026, 4, 1)
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.extend_matter(
            actor=handler, matter=matter, on=D(2026, 3, 30), decision_number="5/QĐ-GH"
        )
    assert error.value.field == "extensions"
    assert "Điều 30" in str(error.value.message)


def test_a_complicated_denunciation_is_extended_once_by_30_days(
    matter_of, handler, nothing_written
):
    matter = accepted_denunciation(matter_of, handler, complexity="complicated")
    assert matter.settle_due_on == D(2026, 4, 1)
    matter = services.extend_matter(
        actor=handler, matter=matter, on=D(2026, 3, 30), decision_number="5/QĐ-GH"
    )
    assert (matter.extensions, matter.settle_due_on) == (1, D(2026, 5, 4))
    assert MatterEvent.objects.filter(matter=matter, step="extended").count() == 1

    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.extend_matter(
            actor=handler, matter=matter, on=D(2026, 4, 20), decision_number="6/QĐ-GH"
        )
    assert error.value.field == "extensions"
    assert "1" in str(error.value.message) and "Điều 30" in str(error.value.message)


def test_an_especially_complicated_denunciation_is_extended_twice_and_never_a_third_time(
    matter_of, handler, nothing_written
):
    matter = accepted_denunciation(matter_of, handler, complexity="especially")
    assert matter.complicated and matter.especially_complicated
    matter = services.start_settling(actor=handler, matter=matter, on=D(2026, 3, 3))
    for number, on in (("5/QĐ-GH", D(2026, 3, 30)), ("6/QĐ-GH", D(2026, 4, 28))):
        matter = services.extend_matter(actor=handler, matter=matter, on=on, decision_number=number)
    assert (matter.extensions, matter.settle_due_on) == (2, D(2026, 6, 1))
    assert matter.state == MatterState.SETTLING

    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.extend_matter(
            actor=handler, matter=matter, on=D(2026, 5, 20), decision_number="7/QĐ-GH"
        )
    assert error.value.field == "extensions"
    assert "2" in str(error.value.message)


def test_complexity_found_while_settling_opens_the_extension(matter_of, handler, nothing_written):
    """Complexity usually shows during verification: recorded then, with its grounds, the
    settlement clock takes the complicated rule in force on the day of acceptance."""
    matter = accepted_denunciation(matter_of, handler)
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.set_complexity(actor=handler, matter=matter, complicated=True, on=D(2026, 3, 10))
    assert error.value.field == "grounds"
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.set_complexity(
            actor=handler, matter=matter, complicated=True, grounds=["no-such-ground"],
            on=D(2026, 3, 10),
        )  # fmt: skip
    assert error.value.field == "grounds"

    matter = services.set_complexity(
        actor=handler, matter=matter, complicated=True, grounds=["many-people", "foreign"],
        note="Nhiều hộ cùng tố cáo", on=D(2026, 3, 10),
    )  # fmt: skip
    assert matter.settlement_rule.condition == "complicated"
    assert sorted(c.code for c in matter.complexity_grounds.all()) == ["foreign", "many-people"]
    event = MatterEvent.objects.get(matter=matter, step="complexity")
    assert "Nhiều người tố cáo" in event.note and "Nhiều hộ" in event.note
    matter = services.extend_matter(
        actor=handler, matter=matter, on=D(2026, 3, 30), decision_number="5/QĐ-GH"
    )
    assert matter.settle_due_on == D(2026, 5, 4)

    # Once extended, it cannot be made ordinary again.
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.set_complexity(actor=handler, matter=matter, complicated=False, on=D(2026, 4, 1))
    assert error.value.field == "complicated"


def test_only_a_denunciation_is_especially_complicated(matter_of, handler, nothing_written):
    complaint = matter_of("complaint")
    with nothing_written(complaint), pytest.raises(services.VoicesError) as error:
        services.classify_matter(
            actor=handler, matter=complaint, complicated=True, especially_complicated=True,
            on=D(2026, 2, 23),
        )  # fmt: skip
    assert error.value.field == "especially_complicated"


def test_a_denunciation_is_not_marked_complicated_at_intake(receive, nothing_written):
    with nothing_written(), pytest.raises(services.VoicesError) as error:
        receive(matters=[{"kind": "denunciation", "summary": "Tố cáo", "complicated": True}])
    assert error.value.field == "matters.0.complicated"


def test_the_criteria_carry_the_decree(db):
    criteria = ComplexityCriterion.in_force("denunciation", D(2026, 3, 2))
    assert criteria.count() == 7
    assert {c.citation for c in criteria} == {
        "Nghị định 31/2019/NĐ-CP (tiêu chí xác định vụ việc phức tạp)"
    }
    assert not ComplexityCriterion.in_force("denunciation", D(2019, 5, 27)).exists()


def test_a_complaint_has_no_extension(matter_of, handler, nothing_written):
    matter = matter_of("complaint")
    matter = services.accept_matter(actor=handler, matter=matter, on=D(2026, 2, 23))
    with nothing_written(matter), pytest.raises(services.VoicesError) as error:
        services.extend_matter(
            actor=handler, matter=matter, on=D(2026, 3, 2), decision_number="1/QĐ"
        )
    assert error.value.field == "extensions"


def test_conditions_combine_when_checks_are_needed_in_several_places(matter_of, handler):
    """An especially complicated denunciation that also needs checks in several places is
    still especially complicated when it is settled (two extensions), and a remote complaint that needs checks
    in several places keeps the remote area's 45 days."""
    denunciation = accepted_denunciation(
        matter_of, handler, complexity="especially", several_places=True
    )
    assert denunciation.intake_due_on == D(2026, 3, 6)
    for number in ("5/QĐ-GH", "6/QĐ-GH"):
        denunciation = services.extend_matter(
            actor=handler, matter=denunciation, on=D(2026, 3, 20), decision_number=number
        )
    assert denunciation.extensions == 2

    complaint = matter_of("complaint", remote_area=True, several_places=True)
    complaint = services.accept_matter(actor=handler, matter=complaint, on=D(2026, 3, 2))
    assert complaint.settle_due_on == D(2026, 4, 16)
