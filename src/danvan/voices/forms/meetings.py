"""Forms of the reception and dialogue pages. They parse and shape input; the rules (a
delegate when the head is absent, a due date after the dialogue, who may record where) are
the services' (voices.services.meetings) to enforce, and their errors are put on the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import DateField, ServiceErrorsMixin

from ..models import HeadRole


def _units(field: forms.Field, units) -> None:
    field.choices = [(u.pk, u.name) for u in units]


class ReceptionForm(ServiceErrorsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    head_role = forms.ChoiceField(label=_("Head"), choices=HeadRole.choices)
    head_name = forms.CharField(label=_("Head's name"), max_length=200)
    held_on = DateField(label=_("Date"))
    citizens_received = forms.IntegerField(label=_("Citizens received"), min_value=0, initial=0)
    head_present = forms.BooleanField(
        label=_("The head received citizens in person"), required=False, initial=True
    )
    delegate = forms.CharField(
        label=_("Delegated to"),
        max_length=200,
        required=False,
        help_text=_("Required when the head was absent: who received citizens instead."),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], units)
        # The delegate matters only when the head was absent (app.js reads data-show-when).
        self.fields["delegate"].show_when = "!head_present=on"


class DialogueForm(ServiceErrorsMixin, forms.Form):
    aliases = {"topics": "topic_codes"}

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = DateField(label=_("Date"))
    heads = forms.CharField(
        label=_("Heads taking part"),
        max_length=300,
        help_text=_("Positions and names, e.g. Party secretary, People's Committee chair."),
    )
    participants = forms.IntegerField(label=_("Citizens taking part"), min_value=0, initial=0)
    topic_codes = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units=(), topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], units)
        self.fields["topic_codes"].choices = [(t.code, str(t)) for t in topics]


class CommitmentForm(ServiceErrorsMixin, forms.Form):
    content = forms.CharField(
        label=_("Commitment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.TypedChoiceField(label=_("Owner organization"), coerce=int)
    due_on = DateField(label=_("Due on"))

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["owner"], owners)


class AnswerForm(ServiceErrorsMixin, forms.Form):
    answered_on = DateField(label=_("Answered on"))
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
