"""Page forms: they parse and shape input; the rules are the services' to enforce, and a
service's error is shown next to the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateField, ServiceErrorsMixin

from .models import ActivityKind, BodyKind, ConsultationForm, DisclosureForm, VoteChoice


def _date(label, *, required=True, **kwargs):
    return DateField(label=label, required=required, **kwargs)


def _text(label, *, max_length=300, textarea=False, required=False, **kwargs):
    widget = forms.Textarea(attrs={"rows": 3}) if textarea else None
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, **kwargs
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _unit_choices(units):
    return [(u.pk, u.name) for u in units]


class DisclosureCreateForm(ServiceErrorsMixin, forms.Form):
    aliases = {"category": "category_code"}
    unit = forms.TypedChoiceField(label=_("Publicizing unit"), coerce=int)
    category_code = forms.ChoiceField(label=_("Category"))
    title = _text(_("Title"), required=True)
    decision_number = _text(_("Decision number"), max_length=100)
    decision_date = _date(_("Decision date"))
    content = _text(_("Content"), max_length=20000, textarea=True)
    published_on = _date(_("Publicized on"), required=False)
    forms = forms.MultipleChoiceField(
        label=_("Forms"), choices=DisclosureForm.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    posted_until = _date(_("Posted until"), required=False)
    files = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args, units=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)
        self.fields["category_code"].choices = [(c.code, str(c)) for c in categories]


class PublishForm(ServiceErrorsMixin, forms.Form):
    published_on = _date(_("Publicized on"))
    forms = forms.MultipleChoiceField(
        label=_("Forms"), choices=DisclosureForm.choices, widget=forms.CheckboxSelectMultiple
    )
    posted_until = _date(_("Posted until"), required=False)
    files = MultipleFileField(label=_("Files"), required=False)


class ConsultationCreateForm(ServiceErrorsMixin, forms.Form):
    aliases = {"matter_type": "matter_type_code"}
    unit = forms.TypedChoiceField(label=_("Organizing unit"), coerce=int)
    community = forms.TypedChoiceField(label=_("Residential community"), coerce=int)
    matter_type_code = forms.ChoiceField(label=_("Matter"))
    title = _text(_("Title"), required=True)
    description = _text(_("Description"), max_length=20000, textarea=True)
    form = forms.ChoiceField(label=_("Form"), choices=ConsultationForm.choices)
    opens_on = _date(_("Opens on"))
    closes_on = _date(_("Closes on"))

    def __init__(self, *args, units=(), communities=(), matter_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)
        self.fields["community"].choices = _unit_choices(communities)
        self.fields["matter_type_code"].choices = [
            (m.code, f"{m} — {m.get_mode_display()}") for m in matter_types
        ]


class VoteForm(ServiceErrorsMixin, forms.Form):
    aliases = {"household": "household_code"}
    household_code = _text(_("Household code"), max_length=40, required=True)
    choice = forms.ChoiceField(
        label=_("Choice"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )
    cast_on = _date(_("Date"), required=False)


class CloseForm(ServiceErrorsMixin, forms.Form):
    closed_on = _date(_("Closed on"), required=False)


class RecognizeForm(ServiceErrorsMixin, forms.Form):
    recognized_by = forms.TypedChoiceField(label=_("Recognized by"), coerce=int)
    number = _text(_("Decision number"), max_length=100, required=True)
    recognized_on = _date(_("Decision date"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recognized_by"].choices = _unit_choices(units)


class CommentForm(ServiceErrorsMixin, forms.Form):
    topic = _text(_("Topic"), max_length=100, required=True)
    content = _text(_("Comment"), max_length=5000, textarea=True, required=True)
    received_on = _date(_("Received on"), required=False)


class CommentResponseForm(ServiceErrorsMixin, forms.Form):
    response = _text(_("Response"), max_length=20000, textarea=True, required=True)
    responded_on = _date(_("Responded on"))


class HouseholdForm(ServiceErrorsMixin, forms.Form):
    code = _text(_("Household code"), max_length=40, required=True)
    representative = _text(_("Representative (kept for officers only)"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Sheet (.xlsx or .csv)"), required=False)


class BodyForm(ServiceErrorsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = _text(_("Name"), required=True)
    term_start = _date(_("Term from"), required=False)
    term_end = _date(_("Term until"), required=False)
    projects = _text(_("Projects supervised (one per line)"), max_length=5000, textarea=True)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class MemberForm(ServiceErrorsMixin, forms.Form):
    name = _text(_("Name"), max_length=200, required=True)
    position = _text(_("Position in the board"), max_length=100)


class ActivityForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    programme = _text(_("Programme"))
    subject = _text(_("Subject"), required=True)
    held_on = _date(_("Date"))
    findings = _text(_("Findings"), max_length=20000, textarea=True)


class RecommendationForm(ServiceErrorsMixin, forms.Form):
    addressee = forms.TypedChoiceField(label=_("Body concerned"), coerce=int)
    content = _text(_("Recommendation"), max_length=5000, textarea=True, required=True)
    made_on = _date(_("Made on"))
    due_on = _date(_("Answer by"))

    def __init__(self, *args, addressees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = _unit_choices(addressees)


class ResponseForm(ServiceErrorsMixin, forms.Form):
    responded_on = _date(_("Responded on"))
    content = _text(_("Response"), max_length=20000, textarea=True, required=True)


class SatisfactionForm(ServiceErrorsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit rated"), coerce=int)
    service = _text(_("Service"), max_length=200, required=True)
    period_start = _date(_("From"))
    period_end = _date(_("To"))
    very_satisfied = forms.IntegerField(label=_("Very satisfied"), min_value=0, initial=0)
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, initial=0)
    neutral = forms.IntegerField(label=_("Neutral"), min_value=0, initial=0)
    dissatisfied = forms.IntegerField(label=_("Dissatisfied"), min_value=0, initial=0)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)
