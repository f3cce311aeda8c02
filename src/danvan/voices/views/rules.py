"""The rule tables in force: deadlines and reception days."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..models import (
    DeadlineRule,
    ReceptionRule,
)
from .periods import _base


@login_required
def rules(request):
    context = _base(
        request,
        deadline_rules=DeadlineRule.objects.all(),
        reception_rules=ReceptionRule.objects.all(),
        today=timezone.localdate(),
    )
    return render(request, "voices/rules.html", context)
