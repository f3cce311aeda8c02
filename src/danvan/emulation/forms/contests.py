"""A contest's forms: the contest, teams, judges, prizes, the coverage rule, entries and a
team's scores."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.org.models import AreaLevel

from ..models import ContestKind, GroupBy
from .common import (
    ServiceErrorsMixin,
    _date,
    _number,
    _text,
    _units,
)
from .models import EvaluationForm

CRITERION_ROWS = 5


ROUND_ROWS = 5


class ContestForm(ServiceErrorsMixin, forms.Form):
    """The contest and a fixed number of criteria rows (cN_*) and rounds rows (rN_*); rows
    left blank are skipped. The service numbers criteria and rounds from 0 among the rows
    given, so `add_service_error` maps its index back to the row on the page."""

    organizer = forms.TypedChoiceField(label=_("Organizer"), coerce=int)
    code = _text(_("Code"), max_length=60, help_text=_("Short and unique, e.g. hoi-thi-dvk-2025"))
    name = _text(_("Name"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ContestKind.choices, widget=forms.RadioSelect)
    year = forms.IntegerField(label=_("Year"))
    movement = forms.TypedChoiceField(
        label=_("Movement"), coerce=int, required=False, empty_value=None
    )
    description = _text(_("Description"), max_length=5000, textarea=True)

    def __init__(self, *args, units=(), movements=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["organizer"], units)
        self.fields["movement"].choices = [("", _("— none —"))] + [
            (m.pk, m.name) for m in movements
        ]
        for i in range(CRITERION_ROWS):
            self.fields[f"c{i}_name"] = _text(_("Criterion"))
            self.fields[f"c{i}_max_score"] = _number(_("Maximum score"), placeholder="10")
            self.fields[f"c{i}_weight"] = _number(_("Weight"), placeholder="1")
        for i in range(ROUND_ROWS):
            self.fields[f"r{i}_name"] = _text(_("Round"), max_length=200)
            self.fields[f"r{i}_advance"] = forms.IntegerField(
                label=_("Teams advancing per group"), required=False
            )
            self.fields[f"r{i}_group_by"] = forms.ChoiceField(
                label=_("Group by"), choices=GroupBy.choices, initial=GroupBy.NONE
            )
        self._criterion_rows: list[int] = []
        self._round_rows: list[int] = []

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if not re.match(r"[cr]\d+_", name)]

    @property
    def criterion_rows(self):
        return [
            [self[f"c{i}_{part}"] for part in ("name", "max_score", "weight")]
            for i in range(CRITERION_ROWS)
        ]

    @property
    def round_rows(self):
        return [
            [self[f"r{i}_{part}"] for part in ("name", "advance", "group_by")]
            for i in range(ROUND_ROWS)
        ]

    def criteria(self) -> list[dict]:
        data, rows = self.cleaned_data, []
        self._criterion_rows = []
        for i in range(CRITERION_ROWS):
            name, max_score, weight = (
                data.get(f"c{i}_{p}") for p in ("name", "max_score", "weight")
            )
            if not (name or max_score or weight):
                continue
            spec = {"name": name}
            if max_score:
                spec["max_score"] = max_score
            if weight:
                spec["weight"] = weight
            rows.append(spec)
            self._criterion_rows.append(i)
        return rows

    def rounds(self) -> list[dict]:
        data, rows = self.cleaned_data, []
        self._round_rows = []
        for i in range(ROUND_ROWS):
            name, advance = data.get(f"r{i}_name"), data.get(f"r{i}_advance")
            if not name and advance is None:
                continue
            rows.append(
                {"name": name, "advance": advance, "group_by": data.get(f"r{i}_group_by") or "none"}
            )
            self._round_rows.append(i)
        return rows

    def add_service_error(self, exc) -> None:
        field = exc.field or ""
        found = re.fullmatch(r"(criteria|rounds)\.(\d+)(?:\.(\w+))?", field)
        if found:
            kind, index, part = found.group(1), int(found.group(2)), found.group(3)
            rows = self._criterion_rows if kind == "criteria" else self._round_rows
            if 0 <= index < len(rows):
                prefix = f"{'c' if kind == 'criteria' else 'r'}{rows[index]}_"
                name = prefix + (part or "name")
                if name in self.fields:
                    self.add_error(name, str(exc.message))
                    return
        super().add_service_error(exc)


MEMBER_SEPARATOR = re.compile(r"\s*[—–]\s*|\s+-\s+")


class TeamForm(ServiceErrorsMixin, forms.Form):
    name = _text(_("Team name"), max_length=200)
    unit = forms.TypedChoiceField(label=_("Represents"), coerce=int)
    members = _text(
        _("Members"),
        max_length=5000,
        textarea=True,
        help_text=_("One per line: name — role"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["unit"], units)

    def add_service_error(self, exc) -> None:
        if (exc.field or "").startswith("members."):
            self.add_error("members", str(exc.message))
            return
        super().add_service_error(exc)

    def member_list(self) -> list[dict]:
        """Lines like "Nguyễn Thị Lan — team leader"; a line without a separator is a name."""
        rows = []
        for line in (self.cleaned_data.get("members") or "").splitlines():
            if line.strip():
                parts = MEMBER_SEPARATOR.split(line.strip(), maxsplit=1)
                name, role = [*parts, ""][:2]
                rows.append({"name": name.strip(), "role": role.strip()})
        return rows


class JudgeForm(ServiceErrorsMixin, forms.Form):
    round = forms.TypedChoiceField(label=_("Round"), coerce=int)
    username = _text(_("Username"), max_length=150, required=True)

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.pk, f"{r.order}. {r.name}") for r in rounds]


class PrizeForm(ServiceErrorsMixin, forms.Form):
    aliases = {"team": "recipient", "entry": "recipient"}

    name = _text(_("Prize"), max_length=200, help_text=_("e.g. First prize"))
    recipient = forms.ChoiceField(label=_("Awarded to"))

    def __init__(self, *args, teams=(), entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"team:{t.pk}", t.name) for t in teams]
        choices += [(f"entry:{e.pk}", f"{e.title} — {e.author}") for e in entries]
        self.fields["recipient"].choices = [("", "—"), *choices]


class CoverageRuleForm(ServiceErrorsMixin, forms.Form):
    unit_type = forms.ChoiceField(label=_("Type of unit expected to send entries"))
    area_level = forms.ChoiceField(label=_("At area level"), required=False)
    minimum = forms.IntegerField(label=_("Entries per unit at least"), initial=1)

    def __init__(self, *args, unit_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_type"].choices = [(t.code, t.display_name) for t in unit_types]
        self.fields["area_level"].choices = [("", _("Any level")), *AreaLevel.choices]


class EntryForm(ServiceErrorsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    title = _text(_("Title"))
    author = _text(_("Author"), max_length=200)
    outlet = _text(_("Outlet"), max_length=200)
    link = _text(_("Link"), max_length=500)
    submitted_on = _date(_("Submitted on"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class TeamScoreForm(EvaluationForm):
    """A judge's scores for one team: one field per contest criterion."""
