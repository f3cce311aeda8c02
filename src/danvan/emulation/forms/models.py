"""A model's forms: registration, progress, state, evaluation, recognition, commendation,
adoption, edit and an adoption's report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import VersionField

from ..models import ModelState, RegistrantKind
from .common import (
    MultipleFileField,
    ServiceErrorsMixin,
    _date,
    _text,
    plain_number,
)


class RegisterModelForm(ServiceErrorsMixin, forms.Form):
    aliases = {"field": "field_code", "level": "level_code", "labels": "label_names"}

    year = forms.IntegerField(label=_("Year"))
    level_code = forms.ChoiceField(label=_("Level"))
    kind = forms.ChoiceField(
        label=_("Registrant"), choices=RegistrantKind.choices, widget=forms.RadioSelect
    )
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    person_name = _text(_("Name of the individual"), max_length=200)
    person_position = _text(_("Position"), max_length=200)
    title = _text(_("Title of the model"))
    field_code = forms.ChoiceField(label=_("Field"))
    target_group = _text(_("Target group"))
    goals = _text(_("Goals"), max_length=5000, textarea=True)
    plan = _text(_("Plan"), max_length=5000, textarea=True)
    start_date = _date(_("Start"), required=False)
    end_date = _date(_("End"), required=False)
    label_names = forms.MultipleChoiceField(
        label=_("Labels"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, movement, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the levels that exist in the year being registered (no districts after
        # 30 June 2025); the service refuses the others too.
        try:
            year = int(self.data.get("year") or self.initial.get("year"))
        except (TypeError, ValueError):
            year = None
        self.fields["level_code"].choices = [
            (lv.code, lv.name) for lv in movement.levels.all() if year is None or lv.exists_in(year)
        ]
        self.fields["field_code"].choices = [(f.code, f.name) for f in movement.fields.all()]
        self.fields["label_names"].choices = [(lb.name, lb.name) for lb in movement.labels.all()]
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        # Shown only for an individual (app.js reads data-show-when).
        for name in ("person_name", "person_position"):
            self.fields[name].show_when = "kind=individual"


class ProgressForm(ServiceErrorsMixin, forms.Form):
    reported_on = _date(_("Date"))
    percent = forms.IntegerField(label=_("Percent done"))
    narrative = _text(_("What was done"), max_length=5000, textarea=True)
    files = MultipleFileField(
        label=_("Evidence (PDF, JPEG, PNG, DOCX, XLSX; 10 MB each)"), required=False
    )


class StateForm(ServiceErrorsMixin, forms.Form):
    state = forms.ChoiceField(choices=ModelState.choices, widget=forms.HiddenInput)
    reason = _text(_("Reason for abandoning"), max_length=2000, textarea=True)


class EvaluationForm(ServiceErrorsMixin, forms.Form):
    """One score field per criterion, named c_<criterion id>."""

    def __init__(self, *args, criteria=(), mine=None, **kwargs):
        super().__init__(*args, **kwargs)
        mine = mine or {}
        for criterion in criteria:
            self.fields[f"c_{criterion.pk}"] = forms.CharField(
                label=criterion.name,
                required=False,
                initial=mine.get(criterion.pk),
                help_text=_("0 to %(max)s, weight %(weight)s")
                % {
                    "max": plain_number(criterion.max_score),
                    "weight": plain_number(criterion.weight),
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def scores(self) -> dict[int, str]:
        return {
            int(name[2:]): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("c_") and value and value.strip()
        }


class RecognizeForm(ServiceErrorsMixin, forms.Form):
    aliases = {"level": "level_code"}
    level_code = forms.ChoiceField(label=_("Recognized at"))
    on = _date(_("On"), required=False)

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level_code"].choices = [(lv.code, lv.name) for lv in levels]


class CommendForm(ServiceErrorsMixin, forms.Form):
    form = _text(
        _("Form of commendation"), max_length=200, help_text=_("e.g. Certificate of merit")
    )
    issuing_body = _text(_("Issued by"))
    decision_number = _text(_("Decision number"), max_length=100)
    decision_date = _date(_("Decision date"))


class AdoptForm(ServiceErrorsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Adopting unit"), coerce=int)
    started_on = _date(_("Started on"))
    notes = _text(_("Notes"), max_length=5000, textarea=True)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class ModelEditForm(ServiceErrorsMixin, forms.Form):
    aliases = {"field": "field_code"}

    title = _text(_("Title of the model"), required=True)
    field_code = forms.ChoiceField(label=_("Field"))
    target_group = _text(_("Target group"))
    goals = _text(_("Goals"), max_length=5000, textarea=True)
    plan = _text(_("Plan"), max_length=5000, textarea=True)
    start_date = _date(_("Start"), required=False)
    end_date = _date(_("End"), required=False)
    version = VersionField()

    def __init__(self, *args, movement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_code"].choices = [(f.code, f.name) for f in movement.fields.all()]


class AdoptionReportForm(ServiceErrorsMixin, forms.Form):
    percent = forms.IntegerField(label=_("Percent done"))
    notes = _text(_("Notes"), max_length=5000)
