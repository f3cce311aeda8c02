"""Every write on grassroots democracy: atomic, permission-checked, audited.

Permissions: `democracy.manage` publicizes and runs consultations (on the unit and the
residential community), `democracy.supervise` records supervision and its
recommendations, `democracy.respond` answers a recommendation (on the body concerned).
A household representative's name never goes into the audit log or an error message, and
a household's vote is logged as the tally it changed, not as the household's choice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.audit.log import record, snapshot
from danvan.core import imports
from danvan.core.errors import Conflict, DomainError, clean_date, clean_text
from danvan.core.tables import cell_text, read_rows
from danvan.core.uploads import check_upload, sha256_of
from danvan.org.models import Organization

from . import rules
from .models import (
    Activity,
    ActivityKind,
    BoardMember,
    BodyKind,
    Comment,
    Consultation,
    ConsultationForm,
    ConsultationState,
    Disclosure,
    DisclosureCategory,
    DisclosureDocument,
    DisclosureForm,
    Household,
    MatterMode,
    MatterType,
    Recommendation,
    Response,
    SatisfactionSurvey,
    SupervisionBody,
    ThresholdRule,
    Vote,
    VoteChoice,
)

COMMUNITY_TYPES = ("hamlet",)
MAX_HOUSEHOLDS = 5000


class DemocracyError(DomainError):
    pass


def _text(value, field: str, *, max_length: int, required: bool = True) -> str:
    return clean_text(
        value, field, max_length=max_length, required=required,
        multiline=max_length > 300, error=DemocracyError,
    )  # fmt: skip


def _date(value, field: str, *, required: bool = True, today: dt.date | None = None,
          future_ok: bool = True) -> dt.date | None:  # fmt: skip
    value = clean_date(value, field, required=required, error=DemocracyError)
    if value is not None and not future_ok and value > (today or timezone.localdate()):
        raise DemocracyError(_("The date cannot be in the future."), field=field)
    return value


def _audit(actor, action: str, obj, before: dict | None = None, fields=None, **extra) -> None:
    after = snapshot(obj, fields) if fields is not None else snapshot(obj)
    record(actor=actor, action=action, obj=obj, before=before, after={**after, **extra})


def _files(files) -> list:
    return [(u, *check_upload(u, field="files", error=DemocracyError)) for u in files or []]


def _store(disclosure: Disclosure, checked) -> None:
    for upload, name, content_type in checked:
        doc = DisclosureDocument(
            disclosure=disclosure, original_name=name, content_type=content_type,
            size=upload.size, sha256=sha256_of(upload),
        )  # fmt: skip
        doc.file.save(name, upload, save=False)
        doc.save()


def _forms(forms) -> list[str]:
    cleaned = []
    for value in forms or []:
        if value not in DisclosureForm.values:
            raise DemocracyError(
                _("Unknown form of publicizing: %(f)s.") % {"f": value}, field="forms"
            )
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


# Disclosures ---------------------------------------------------------------------------------

DISCLOSURE_FIELDS = [
    "unit_id", "category_id", "title", "decision_number", "decision_date", "rule_id", "due_on",
    "min_posting_days", "published_on", "forms", "posted_until",
]  # fmt: skip


def _check_publication(decision_date, published_on, forms, posted_until, today):
    published_on = _date(published_on, "published_on", required=False, today=today,
                         future_ok=False)  # fmt: skip
    posted_until = _date(posted_until, "posted_until", required=False)
    if published_on is not None:
        if published_on < decision_date:
            raise DemocracyError(
                _("An item cannot be publicized before its decision."), field="published_on"
            )
        if not forms:
            raise DemocracyError(
                _("Say how it was publicized (notice board, loudspeaker, website, meeting)."),
                field="forms",
            )
    if posted_until is not None:
        if published_on is None:
            raise DemocracyError(
                _("Give the publication date before the end of posting."), field="posted_until"
            )
        if posted_until < published_on:
            raise DemocracyError(_("Posting cannot end before it starts."), field="posted_until")
    return published_on, posted_until


@transaction.atomic
def create_disclosure(
    *,
    actor,
    unit: Organization,
    category_code: str,
    title: str,
    decision_date,
    content: str = "",
    decision_number: str = "",
    published_on=None,
    forms: list[str] | None = None,
    posted_until=None,
    files=None,
    today: dt.date | None = None,
) -> Disclosure:
    """Record an item to publicize; its due date comes from the rule in force on the
    decision date. Publication details may come now or later (`publish_disclosure`)."""
    require(actor, "democracy.manage", unit)
    category = DisclosureCategory.objects.filter(code=category_code).first()
    if category is None:
        raise DemocracyError(
            _("Unknown category: %(code)s.") % {"code": category_code}, field="category"
        )
    title = _text(title, "title", max_length=300)
    content = _text(content, "content", max_length=20000, required=False)
    decision_number = _text(decision_number, "decision_number", max_length=100, required=False)
    decision_date = _date(decision_date, "decision_date", today=today, future_ok=False)
    forms = _forms(forms)
    published_on, posted_until = _check_publication(
        decision_date, published_on, forms, posted_until, today
    )
    checked = _files(files)
    rule = rules.disclosure_rule(category, decision_date)
    disclosure = Disclosure.objects.create(
        unit=unit, category=category, title=title, content=content,
        decision_number=decision_number, decision_date=decision_date, rule=rule,
        due_on=rules.publish_due(rule, decision_date),
        min_posting_days=rule.min_posting_days if rule else None,
        published_on=published_on, forms=forms, posted_until=posted_until, created_by=actor,
    )  # fmt: skip
    _store(disclosure, checked)
    _audit(actor, "democracy.create_disclosure", disclosure, fields=DISCLOSURE_FIELDS,
           documents=len(checked))  # fmt: skip
    return disclosure


@transaction.atomic
def publish_disclosure(
    *,
    actor,
    disclosure: Disclosure,
    published_on,
    forms: list[str],
    posted_until=None,
    files=None,
    today: dt.date | None = None,
) -> Disclosure:
    """Record when and how an item was publicized, and until when it stays posted."""
    require(actor, "democracy.manage", disclosure)
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    before = snapshot(disclosure, DISCLOSURE_FIELDS)
    forms = _forms(forms)
    published_on, posted_until = _check_publication(
        disclosure.decision_date, published_on or None, forms, posted_until, today
    )
    if published_on is None:
        raise DemocracyError(_("This field is required."), field="published_on")
    checked = _files(files)
    disclosure.published_on, disclosure.forms, disclosure.posted_until = (
        published_on, forms, posted_until,
    )  # fmt: skip
    disclosure.save(update_fields=["published_on", "forms", "posted_until"])
    _store(disclosure, checked)
    _audit(actor, "democracy.publish_disclosure", disclosure, before, fields=DISCLOSURE_FIELDS,
           documents=len(checked))  # fmt: skip
    return disclosure


# Households -----------------------------------------------------------------------------------


def _check_community(community: Organization) -> None:
    if community.type.code not in COMMUNITY_TYPES:
        raise DemocracyError(
            _("Consultations are put to a residential community (hamlet or residential group)."),
            field="community",
        )


def _household_code(value, field: str) -> str:
    code = _text(value, field, max_length=40)
    return code.upper()


@transaction.atomic
def register_household(
    *, actor, community: Organization, code: str, representative: str = ""
) -> Household:
    require(actor, "democracy.manage", community)
    _check_community(community)
    code = _household_code(code, "code")
    representative = _text(representative, "representative", max_length=200, required=False)
    if Household.objects.filter(community=community, code=code).exists():
        raise Conflict(_("Household %(code)s is already registered here.") % {"code": code},
                       field="code")  # fmt: skip
    household = Household.objects.create(
        community=community, code=code, representative=representative
    )
    record(actor=actor, action="democracy.register_household", obj=household,
           changes={"code": [None, code], "community": [None, community.pk],
                    "representative": [None, "set" if representative else ""]})  # fmt: skip
    return household


HOUSEHOLD_HEADERS = {
    "code": {"ma ho", "ma ho gia dinh", "household code", "code", "ma"},
    "representative": {"dai dien", "dai dien ho", "chu ho", "representative", "ho ten"},
}
_HOUSEHOLD_COLUMNS = [(name, "", aliases) for name, aliases in HOUSEHOLD_HEADERS.items()]


@dataclass
class HouseholdRow:
    row: int
    code: str
    representative: str
    errors: list[str] = field(default_factory=list)


@dataclass
class HouseholdImport:
    rows: list[HouseholdRow]
    created: int = 0

    @property
    def errors(self) -> list[HouseholdRow]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def read_households(community: Organization, file_name: str, content: bytes) -> HouseholdImport:
    """Check every row of a household sheet (a preview; nothing is written)."""
    _check_community(community)
    (_n, header), *data = read_rows(file_name, content)
    try:
        columns = imports.map_columns(header, _HOUSEHOLD_COLUMNS, ("code",), strict=False)
    except imports.MissingColumns as exc:
        raise DemocracyError(
            _("The sheet needs a column “Mã hộ” (household code)."), field="file"
        ) from exc
    existing = set(Household.objects.filter(community=community).values_list("code", flat=True))
    seen: dict[str, int] = {}
    rows = []
    for number, raw in imports.raw_rows(data, columns):
        row = HouseholdRow(
            number, cell_text(raw.get("code")).upper(), cell_text(raw.get("representative"))
        )
        if imports.bad_cells(raw):
            row.errors.append(str(imports.BAD_CELL))
        if not row.code:
            row.errors.append(_("The household code is empty."))
        elif len(row.code) > 40:
            row.errors.append(_("The household code is longer than 40 characters."))
        elif row.code in existing:
            row.errors.append(_("Already registered in this community."))
        elif row.code in seen:
            row.errors.append(_("Same code as row %(n)d.") % {"n": seen[row.code]})
        if len(row.representative) > 200:
            row.errors.append(_("The representative's name is longer than 200 characters."))
        seen.setdefault(row.code, number)
        rows.append(row)
    if len(rows) + len(existing) > MAX_HOUSEHOLDS:
        raise DemocracyError(
            _("A community holds at most %(n)d households.") % {"n": MAX_HOUSEHOLDS}, field="file"
        )
    return HouseholdImport(rows)


@transaction.atomic
def import_households(
    *, actor, community: Organization, file_name: str, content: bytes
) -> HouseholdImport:
    """All rows or none: any bad row and nothing is written (the result lists every one)."""
    require(actor, "democracy.manage", community)
    result = read_households(community, file_name, content)
    if not result.ok:
        return result
    Household.objects.bulk_create(
        [Household(community=community, code=r.code, representative=r.representative)
         for r in result.rows]
    )  # fmt: skip
    result.created = len(result.rows)
    record(actor=actor, action="democracy.import_households", obj=community,
           changes={"households": [None, result.created]})  # fmt: skip
    return result


# Consultations ---------------------------------------------------------------------------------

CONSULTATION_FIELDS = [
    "unit_id", "community_id", "matter_type_id", "title", "form", "opens_on", "closes_on",
    "state", "households_total", "rule_id", "threshold_percent", "threshold_strict", "yes", "no",
    "abstain", "closed_on", "is_valid", "recognized_on", "recognition_number",
    "recognized_by_id", "responded_on",
]  # fmt: skip


@transaction.atomic
def open_consultation(
    *,
    actor,
    unit: Organization,
    community: Organization,
    matter_type_code: str,
    title: str,
    form: str,
    opens_on,
    closes_on,
    description: str = "",
) -> Consultation:
    """Put a matter to a community's registered households. A matter to decide keeps the
    threshold rule in force on the day it opens."""
    require(actor, "democracy.manage", unit)
    require(actor, "democracy.manage", community)
    _check_community(community)
    matter_type = MatterType.objects.filter(code=matter_type_code).first()
    if matter_type is None:
        raise DemocracyError(
            _("Unknown matter type: %(code)s.") % {"code": matter_type_code}, field="matter_type"
        )
    if form not in ConsultationForm.values:
        raise DemocracyError(_("Choose meeting, ballot or online vote."), field="form")
    title = _text(title, "title", max_length=300)
    description = _text(description, "description", max_length=20000, required=False)
    opens_on = _date(opens_on, "opens_on")
    closes_on = _date(closes_on, "closes_on")
    if closes_on < opens_on:
        raise DemocracyError(_("It cannot close before it opens."), field="closes_on")
    total = Household.objects.filter(community=community, is_active=True).count()
    if total == 0:
        raise DemocracyError(
            _("Register the community's households before putting a matter to them."),
            field="community",
        )
    rule = None
    if matter_type.mode == MatterMode.DECIDE:
        rule = rules.threshold_rule(matter_type, opens_on)
        if rule is None:
            raise DemocracyError(
                _("No threshold rule is in force for this matter type on %(day)s.")
                % {"day": opens_on.strftime("%d/%m/%Y")},
                field="matter_type",
            )
    consultation = Consultation.objects.create(
        unit=unit, community=community, matter_type=matter_type, title=title,
        description=description, form=form, opens_on=opens_on, closes_on=closes_on,
        households_total=total, rule=rule,
        threshold_percent=rule.percent if rule else None,
        threshold_strict=rule.strict if rule else False, created_by=actor,
    )  # fmt: skip
    _audit(actor, "democracy.open_consultation", consultation, fields=CONSULTATION_FIELDS)
    return consultation


def _locked(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update()
        .select_related("matter_type", "community")
        .get(pk=consultation.pk)
    )


@transaction.atomic
def record_vote(
    *,
    actor,
    consultation: Consultation,
    household_code: str,
    choice: str,
    cast_on=None,
    today: dt.date | None = None,
) -> Vote:
    """One household, one vote, while the consultation is open."""
    require(actor, "democracy.manage", consultation)
    consultation = _locked(consultation)
    if consultation.matter_type.mode != MatterMode.DECIDE:
        raise DemocracyError(_("This matter is for comment, not for a vote."), field="choice")
    cast_on = _date(cast_on or (today or timezone.localdate()), "cast_on")
    if consultation.state != ConsultationState.OPEN or cast_on > consultation.closes_on:
        raise Conflict(_("Voting has closed."), field="cast_on")
    if cast_on < consultation.opens_on:
        raise DemocracyError(_("Voting has not opened yet."), field="cast_on")
    if choice not in VoteChoice.values:
        raise DemocracyError(_("Choose agree, disagree or abstain."), field="choice")
    code = _household_code(household_code, "household")
    household = Household.objects.filter(
        community=consultation.community, code=code, is_active=True
    ).first()
    if household is None or household.registered_at > consultation.created_at:
        raise DemocracyError(
            _("Household %(code)s is not registered in this community.") % {"code": code},
            field="household",
        )
    if Vote.objects.filter(consultation=consultation, household=household).exists():
        raise Conflict(_("Household %(code)s has already voted.") % {"code": code},
                       field="household")  # fmt: skip
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                consultation=consultation, household=household, choice=choice,
                cast_on=cast_on, recorded_by=actor,
            )  # fmt: skip
    except IntegrityError as exc:  # a concurrent vote of the same household
        raise Conflict(_("Household %(code)s has already voted.") % {"code": code},
                       field="household") from exc  # fmt: skip
    Consultation.objects.filter(pk=consultation.pk).update(**{choice: F(choice) + 1})
    consultation.refresh_from_db(fields=["yes", "no", "abstain"])
    record(actor=actor, action="democracy.record_vote", obj=consultation,
           changes={"votes_cast": [consultation.votes_cast - 1, consultation.votes_cast],
                    "household": [None, household.code]})  # fmt: skip
    return vote


def evaluate(consultation: Consultation) -> bool | None:
    """Whether the yes votes pass the consultation's own threshold (None: not a vote)."""
    if consultation.threshold_percent is None:
        return None
    return rules.passes(
        consultation.yes, consultation.households_total, consultation.threshold_percent,
        consultation.threshold_strict,
    )  # fmt: skip


def required_yes(consultation: Consultation) -> int | None:
    if consultation.threshold_percent is None:
        return None
    return rules.required_yes(
        consultation.households_total, consultation.threshold_percent,
        consultation.threshold_strict,
    )  # fmt: skip


@transaction.atomic
def close_consultation(
    *, actor, consultation: Consultation, closed_on=None, today: dt.date | None = None
) -> Consultation:
    require(actor, "democracy.manage", consultation)
    consultation = _locked(consultation)
    if consultation.state != ConsultationState.OPEN:
        raise Conflict(_("This consultation is already closed."), field="state")
    before = snapshot(consultation, CONSULTATION_FIELDS)
    closed_on = _date(closed_on or (today or timezone.localdate()), "closed_on")
    if closed_on < consultation.opens_on:
        raise DemocracyError(_("It cannot close before it opens."), field="closed_on")
    consultation.state = ConsultationState.CLOSED
    consultation.closed_on = closed_on
    consultation.is_valid = evaluate(consultation)
    consultation.save(update_fields=["state", "closed_on", "is_valid"])
    _audit(actor, "democracy.close_consultation", consultation, before,
           fields=CONSULTATION_FIELDS)  # fmt: skip
    return consultation


@transaction.atomic
def recognize_consultation(
    *,
    actor,
    consultation: Consultation,
    recognized_by: Organization,
    number: str,
    recognized_on,
    today: dt.date | None = None,
) -> Consultation:
    """The commune's decision recognizing a valid result of residents' decision."""
    require(actor, "democracy.manage", recognized_by)
    require(actor, "democracy.manage", consultation)
    consultation = _locked(consultation)
    if consultation.state != ConsultationState.CLOSED:
        raise Conflict(_("Close the consultation before recognizing it."), field="state")
    if not consultation.is_valid:
        raise DemocracyError(
            _("Only a valid result of residents' decision is recognized."), field="state"
        )
    before = snapshot(consultation, CONSULTATION_FIELDS)
    number = _text(number, "number", max_length=100)
    recognized_on = _date(recognized_on, "recognized_on", today=today, future_ok=False)
    if recognized_on < consultation.closed_on:
        raise DemocracyError(
            _("The recognition cannot come before the consultation closed."),
            field="recognized_on",
        )
    consultation.state = ConsultationState.RECOGNIZED
    consultation.recognized_by, consultation.recognition_number = recognized_by, number
    consultation.recognized_on = recognized_on
    consultation.save(
        update_fields=["state", "recognized_by", "recognition_number", "recognized_on"]
    )
    _audit(actor, "democracy.recognize_consultation", consultation, before,
           fields=CONSULTATION_FIELDS)  # fmt: skip
    return consultation


def _comment_matter(consultation: Consultation) -> None:
    if consultation.matter_type.mode != MatterMode.COMMENT:
        raise DemocracyError(_("This matter is decided by a vote, not by comments."),
                             field="consultation")  # fmt: skip


@transaction.atomic
def add_comment(
    *, actor, consultation: Consultation, topic: str, content: str, received_on=None,
    today: dt.date | None = None,
) -> Comment:  # fmt: skip
    require(actor, "democracy.manage", consultation)
    consultation = _locked(consultation)
    _comment_matter(consultation)
    if consultation.state != ConsultationState.OPEN:
        raise Conflict(_("Comments are closed."), field="received_on")
    topic = _text(topic, "topic", max_length=100)
    content = _text(content, "content", max_length=5000)
    received_on = _date(received_on or (today or timezone.localdate()), "received_on")
    if received_on < consultation.opens_on or received_on > consultation.closes_on:
        raise DemocracyError(_("Received outside the comment period."), field="received_on")
    comment = Comment.objects.create(
        consultation=consultation, topic=topic, content=content, received_on=received_on
    )
    _audit(actor, "democracy.add_comment", comment)
    return comment


@transaction.atomic
def respond_to_comments(
    *, actor, consultation: Consultation, response: str, responded_on,
    today: dt.date | None = None,
) -> Consultation:  # fmt: skip
    """The proposing body's documented answer to the comments (closes the comment period)."""
    require(actor, "democracy.manage", consultation)
    consultation = _locked(consultation)
    _comment_matter(consultation)
    before = snapshot(consultation, CONSULTATION_FIELDS)
    response = _text(response, "response", max_length=20000)
    responded_on = _date(responded_on, "responded_on", today=today, future_ok=False)
    if responded_on < consultation.opens_on:
        raise DemocracyError(
            _("The response cannot come before the consultation opened."), field="responded_on"
        )
    consultation.response, consultation.responded_on = response, responded_on
    if consultation.state == ConsultationState.OPEN:
        consultation.state = ConsultationState.CLOSED
        consultation.closed_on = max(responded_on, consultation.opens_on)
    consultation.save(update_fields=["response", "responded_on", "state", "closed_on"])
    _audit(actor, "democracy.respond_to_comments", consultation, before,
           fields=CONSULTATION_FIELDS)  # fmt: skip
    return consultation


# Rules (operators) --------------------------------------------------------------------------


def _require_operator(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise PermissionDenied(_("Only administrators change the rules."))


def check_percent(value) -> Decimal:
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DemocracyError(_("Enter a number between 0 and 100."), field="percent") from exc
    if not percent.is_finite() or percent < 0 or percent > 100:
        raise DemocracyError(_("A threshold is a share between 0% and 100%."), field="percent")
    return percent.quantize(Decimal("0.0001"))


@transaction.atomic
def add_threshold_rule(
    *, actor, matter_type_code: str, percent, strict: bool, citation: str, effective_from
) -> ThresholdRule:
    """A new threshold from a date; matters opened before keep theirs. The rule before it
    ends the day before."""
    _require_operator(actor)
    matter_type = MatterType.objects.filter(code=matter_type_code, mode=MatterMode.DECIDE).first()
    if matter_type is None:
        raise DemocracyError(
            _("Unknown matter type to decide: %(code)s.") % {"code": matter_type_code},
            field="matter_type",
        )
    percent = check_percent(percent)
    citation = _text(citation, "citation", max_length=300)
    effective_from = _date(effective_from, "effective_from")
    if ThresholdRule.objects.filter(
        matter_type=matter_type, effective_from=effective_from
    ).exists():
        raise Conflict(_("A rule already starts on that day."), field="effective_from")
    if (
        effective_from < timezone.localdate()
        and Consultation.objects.filter(
            matter_type=matter_type, opens_on__gte=effective_from
        ).exists()
    ):
        raise Conflict(
            _(
                "Matters of this kind were opened since that date under the rule then in "
                "force; a new rule takes effect from today or later."
            ),
            field="effective_from",
        )
    previous = rules.threshold_rule(matter_type, effective_from)
    if previous is not None and previous.effective_from < effective_from:
        previous.effective_to = effective_from - dt.timedelta(days=1)
        previous.save(update_fields=["effective_to"])
    rule = ThresholdRule.objects.create(
        matter_type=matter_type, percent=percent, strict=bool(strict), citation=citation,
        effective_from=effective_from,
    )  # fmt: skip
    _audit(actor, "democracy.add_threshold_rule", rule)
    return rule


# Supervision -------------------------------------------------------------------------------------


@transaction.atomic
def create_body(
    *, actor, unit: Organization, kind: str, name: str, term_start=None, term_end=None,
    projects: str = "",
) -> SupervisionBody:  # fmt: skip
    require(actor, "democracy.supervise", unit)
    if kind not in BodyKind.values:
        raise DemocracyError(_("Unknown kind of supervising body."), field="kind")
    name = _text(name, "name", max_length=300)
    term_start = _date(term_start, "term_start", required=False)
    term_end = _date(term_end, "term_end", required=False)
    if term_start and term_end and term_end < term_start:
        raise DemocracyError(_("The term cannot end before it starts."), field="term_end")
    projects = _text(projects, "projects", max_length=5000, required=False)
    body = SupervisionBody.objects.create(
        unit=unit, kind=kind, name=name, term_start=term_start, term_end=term_end,
        projects=projects,
    )  # fmt: skip
    _audit(actor, "democracy.create_body", body)
    return body


@transaction.atomic
def add_member(*, actor, body: SupervisionBody, name: str, position: str = "") -> BoardMember:
    require(actor, "democracy.supervise", body)
    name = _text(name, "name", max_length=200)
    position = _text(position, "position", max_length=100, required=False)
    member = BoardMember.objects.create(body=body, name=name, position=position)
    record(actor=actor, action="democracy.add_member", obj=body,
           changes={"member": [None, member.pk], "position": [None, position]})  # fmt: skip
    return member


@transaction.atomic
def record_activity(
    *, actor, body: SupervisionBody, kind: str, subject: str, held_on, programme: str = "",
    findings: str = "", today: dt.date | None = None,
) -> Activity:  # fmt: skip
    require(actor, "democracy.supervise", body)
    if kind not in ActivityKind.values:
        raise DemocracyError(_("Choose supervision or social criticism."), field="kind")
    subject = _text(subject, "subject", max_length=300)
    programme = _text(programme, "programme", max_length=300, required=False)
    findings = _text(findings, "findings", max_length=20000, required=False)
    held_on = _date(held_on, "held_on", today=today, future_ok=False)
    activity = Activity.objects.create(
        body=body, kind=kind, subject=subject, programme=programme, findings=findings,
        held_on=held_on,
    )  # fmt: skip
    _audit(actor, "democracy.record_activity", activity)
    return activity


@transaction.atomic
def add_recommendation(
    *, actor, activity: Activity, addressee: Organization, content: str, made_on, due_on,
    today: dt.date | None = None,
) -> Recommendation:  # fmt: skip
    require(actor, "democracy.supervise", activity)
    content = _text(content, "content", max_length=5000)
    made_on = _date(made_on, "made_on", today=today, future_ok=False)
    due_on = _date(due_on, "due_on")
    if made_on < activity.held_on:
        raise DemocracyError(
            _("A recommendation cannot come before its activity."), field="made_on"
        )
    if due_on < made_on:
        raise DemocracyError(_("The deadline cannot come before the recommendation."),
                             field="due_on")  # fmt: skip
    rec = Recommendation.objects.create(
        activity=activity, addressee=addressee, content=content, made_on=made_on, due_on=due_on
    )
    _audit(actor, "democracy.add_recommendation", rec)
    return rec


@transaction.atomic
def respond_to_recommendation(
    *, actor, recommendation: Recommendation, responded_on, content: str,
    today: dt.date | None = None,
) -> Response:  # fmt: skip
    """The body concerned answers; the first answer marks the recommendation answered."""
    require(actor, "democracy.respond", recommendation.addressee)
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    responded_on = _date(responded_on, "responded_on", today=today, future_ok=False)
    if responded_on < rec.made_on:
        raise DemocracyError(
            _("A response cannot be dated before its recommendation (%(day)s).")
            % {"day": rec.made_on.strftime("%d/%m/%Y")},
            field="responded_on",
        )
    content = _text(content, "content", max_length=20000)
    response = Response.objects.create(
        recommendation=rec, responded_on=responded_on, content=content, responder=actor
    )
    if rec.answered_on is None or responded_on < rec.answered_on:
        before = snapshot(rec, ["answered_on"])
        rec.answered_on = responded_on
        rec.save(update_fields=["answered_on"])
        record(actor=actor, action="democracy.answer_recommendation", obj=rec, before=before,
               after=snapshot(rec, ["answered_on"]))  # fmt: skip
    _audit(actor, "democracy.respond_to_recommendation", response)
    return response


SATISFACTION_LEVELS = ["very_satisfied", "satisfied", "neutral", "dissatisfied"]


@transaction.atomic
def record_satisfaction(
    *, actor, unit: Organization, service: str, period_start, period_end, counts: dict,
) -> SatisfactionSurvey:  # fmt: skip
    """Counts of residents' ratings per level for a service and period (replaces the
    earlier counts of the same service and period)."""
    require(actor, "democracy.supervise", unit)
    service = _text(service, "service", max_length=200)
    period_start = _date(period_start, "period_start")
    period_end = _date(period_end, "period_end")
    if period_end < period_start:
        raise DemocracyError(_("The period cannot end before it starts."), field="period_end")
    values = {}
    for level in SATISFACTION_LEVELS:
        value = counts.get(level, 0) or 0
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**7:
            raise DemocracyError(_("Enter a whole number of ratings."), field=level)
        values[level] = value
    if not any(values.values()):
        raise DemocracyError(_("Record at least one rating."), field="very_satisfied")
    survey, _created = SatisfactionSurvey.objects.update_or_create(
        unit=unit, service=service, period_start=period_start, period_end=period_end,
        defaults=values,
    )  # fmt: skip
    _audit(actor, "democracy.record_satisfaction", survey)
    return survey
