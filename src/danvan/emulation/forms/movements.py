"""A movement's forms: the movement, its theme, criteria, labels and registration windows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .common import (
    ServiceErrorsMixin,
    _date,
    _number,
    _text,
    _units,
)


class MovementForm(ServiceErrorsMixin, forms.Form):
    organizer = forms.TypedChoiceField(label=_("Organizer"), coerce=int)
    code = _text(
        _("Code"),
        max_length=60,
        help_text=_("Short and unique, e.g. dvk-thanh-tri"),
    )
    name = _text(_("Name"), max_length=255)
    start_year = forms.IntegerField(label=_("From year"))
    end_year = forms.IntegerField(label=_("To year"), required=False)
    description = _text(_("Description"), max_length=5000, textarea=True)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["organizer"], units)


class ThemeForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"))
    title = _text(_("Theme"), help_text=_("e.g. Skillful Mass Mobilization – everything succeeds"))


class CriterionForm(ServiceErrorsMixin, forms.Form):
    name = _text(_("Criterion"))
    weight = _number(_("Weight"), initial="1")
    max_score = _number(_("Maximum score"), initial="10")


class LabelForm(ServiceErrorsMixin, forms.Form):
    name = _text(_("Label"), help_text=_("e.g. 70 years since the liberation of the capital"))


class WindowForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"))
    level = forms.ChoiceField(label=_("Level"), required=False)
    opens_on = _date(_("Opens on"))
    closes_on = _date(_("Closes on"))

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("All levels"))] + [
            (lv.code, lv.name) for lv in levels
        ]


class CloseWindowForm(ServiceErrorsMixin, forms.Form):
    aliases = {"last_day": "last_day"}
    last_day = _date(
        _("Last day it accepts"), required=False, help_text=_("Empty: yesterday was the last day")
    )
