"""Forms of the case pages. They parse and shape input; the rules (required text, dates in
order, which step is allowed in which state, who may act) are the services', so most fields
are lenient and a service's error is shown next to the field it names.

The intake form's citizens and matters are repeated rows named `c-<i>-<field>` and
`m-<i>-<field>`, so a row can be added by htmx without a management form."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateField, ServiceErrorsMixin

from ..models import Channel, MatterKind, Result, Topic

CITIZEN_FIELDS = ("name", "address", "contact")
MATTER_FIELDS = ("kind", "summary", "complicated", "remote_area", "several_places")
MATTER_FLAGS = ("complicated", "remote_area", "several_places")
MAX_ROWS = 500
_ROW = re.compile(r"^([cm])-(\d{1,3})-([a-z_]+)$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Documents (PDF, JPEG, PNG, DOCX, XLSX; 10 MB each)"))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _text(label, *, max_length=300, textarea=False, required=False, rows=3, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if textarea else None
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, **kwargs
    )


def _date(label, *, required=False, **kwargs):
    return DateField(label=label, required=required, **kwargs)


def parse_rows(data, letter: str, fields: tuple[str, ...]) -> list[dict]:
    """The repeated rows `<letter>-<i>-<field>` of a POST, in index order, with their index;
    rows whose text fields are all blank are left out."""
    found: dict[int, dict] = {}
    for key in data:
        match = _ROW.match(key)
        if match and match[1] == letter and match[3] in fields:
            found.setdefault(int(match[2]), {})[match[3]] = data.get(key, "")
    rows = []
    for index in sorted(found)[:MAX_ROWS]:
        row = {f: found[index].get(f, "") for f in fields}
        texts = [v for f, v in row.items() if f not in MATTER_FLAGS and f != "kind"]
        if not any(str(v).strip() for v in texts):
            continue
        row["index"] = index
        rows.append(row)
    return rows


class IntakeForm(ServiceErrorsMixin, forms.Form):
    """The petition itself; its citizens and matters come as rows (see `parse_rows`)."""

    aliases = {"topic_code": "topic"}

    unit = forms.TypedChoiceField(label=_("Receiving unit"), coerce=int)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = _date(_("Received on"), required=True)
    topic = forms.ChoiceField(label=_("Topic"))
    area = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contents = _text(_("Contents"), max_length=20000, textarea=True, rows=6, required=True)
    anonymous = forms.BooleanField(
        label=_("Anonymous petition (no citizen recorded)"), required=False
    )
    first_complaint = forms.IntegerField(
        label=_("First complaint (number), for a second-time complaint"),
        required=False,
        min_value=1,
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["topic"].choices = [("", "—")] + [
            (t.code, str(t)) for t in Topic.objects.order_by("sort_order", "code")
        ]
        self.fields["received_on"].initial = timezone.localdate()


# The case page's transition forms ----------------------------------------------------------


class ComplexityFields(forms.Form):
    """Complicated, especially complicated (a denunciation only), and the criteria that make
    it so — offered when criteria are in force for the matter's kind."""

    complicated = forms.BooleanField(label=_("Complicated"), required=False)
    especially_complicated = forms.BooleanField(
        label=_("Especially complicated (denunciation)"), required=False
    )
    grounds = forms.MultipleChoiceField(
        label=_("Grounds of complexity"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, criteria=(), denunciation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if criteria:
            self.fields["grounds"].choices = [(c.code, c.text) for c in criteria]
            self.fields["grounds"].help_text = _("Legal basis: %(citation)s") % {
                "citation": "; ".join(sorted({c.citation for c in criteria}))
            }
        else:
            del self.fields["grounds"]
        if not denunciation:
            del self.fields["especially_complicated"]


class ClassifyForm(ServiceErrorsMixin, ComplexityFields):
    field_order = ["kind", "complicated", "especially_complicated", "grounds"]

    kind = forms.ChoiceField(label=_("Kind"), choices=MatterKind.choices)
    remote_area = forms.BooleanField(label=_("Remote area"), required=False)
    several_places = forms.BooleanField(label=_("Checks needed in several places"), required=False)
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)


class ComplexityForm(ServiceErrorsMixin, ComplexityFields):
    on = _date(_("Date"), required=True)
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)


class AcceptForm(ServiceErrorsMixin, forms.Form):
    on = _date(_("Accepted on"), required=True)
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)
    files = MultipleFileField()


class NotAcceptForm(ServiceErrorsMixin, forms.Form):
    on = _date(_("Date"), required=True)
    reason = _text(_("Reason for not accepting"), max_length=2000, textarea=True, rows=2)
    files = MultipleFileField()


class ForwardForm(ServiceErrorsMixin, forms.Form):
    to = forms.TypedChoiceField(label=_("Forward to"), coerce=int)
    on = _date(_("Date"), required=True)
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)
    files = MultipleFileField()

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(o.pk, o.name) for o in organizations]


class SettlingForm(ServiceErrorsMixin, forms.Form):
    on = _date(_("Date"), required=True)
    note = _text(
        _("What was done (verification, meetings)"), max_length=2000, textarea=True, rows=2
    )
    files = MultipleFileField()


class ExtendForm(ServiceErrorsMixin, forms.Form):
    aliases = {"extensions": "decision_number"}

    on = _date(_("Date"), required=True)
    decision_number = _text(_("Decision number"), max_length=100)
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)
    files = MultipleFileField()


class DecideForm(ServiceErrorsMixin, forms.Form):
    aliases = {"state": "decision_date"}

    decision_number = _text(_("Decision number"), max_length=100)
    decision_date = _date(_("Decision date"), required=True)
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", "—"), *Result.choices], required=False
    )
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)
    files = MultipleFileField()


class CloseForm(ServiceErrorsMixin, forms.Form):
    on = _date(_("Closed on"), required=True)
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    aliases = {"kind": "on"}

    on = _date(_("Withdrawn on"), required=True)
    note = _text(_("Note"), max_length=2000, textarea=True, rows=2)
    files = MultipleFileField()


class AssignForm(ServiceErrorsMixin, forms.Form):
    handler = forms.TypedChoiceField(
        label=_("Handler"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [("", _("Nobody"))] + [
            (p.pk, p.get_full_name() or p.username) for p in people
        ]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )
