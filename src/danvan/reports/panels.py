"""The reports app's part of the home page (core/home.py): period reports to finish."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import ngettext

from danvan.accounts.scope import can
from danvan.core import home, tones

from . import queries
from .models import ReportState


def home_items(user, unit) -> list[home.Item]:
    """To do: this level's period reports still in draft."""
    if unit is None or not can(user, "reports.issue", unit):
        return []
    drafts = (
        queries.reports(user, unit=unit)
        .filter(state=ReportState.DRAFT, unit__area_id=unit.area_id)
        .count()
    )
    url = reverse("reports:reports") + "?" + urlencode({"unit": unit.pk})
    return [
        home.Item(home.TODO, ngettext("%(n)d period report to finish and issue",
                  "%(n)d period reports to finish and issue", drafts) % {"n": drafts},
                  drafts, url, tones.INFO)
    ]  # fmt: skip
