"""Background work: the daily deadline reminders (Django's tasks API, run by the
django-tasks-db worker: `python -m danvan db_worker`; enqueued daily by `voices_daily`)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core.jobs import enqueue_again, on_lost

from .models import OPEN_STATES, Matter, Notification
from .queries import DUE_SOON_DAYS


@task()
def notify_deadlines(today: str) -> int:
    """Tell each matter's handler about matters due within three days or overdue.
    Idempotent: a reminder is keyed by matter, due date and kind of reminder."""
    day = dt.date.fromisoformat(today)
    soon = day + dt.timedelta(days=DUE_SOON_DAYS)
    sent = 0
    open_matters = Matter.objects.filter(
        state__in=OPEN_STATES, handler__isnull=False
    ).select_related("handler")
    for matter in open_matters.iterator():
        due = matter.due_on
        if due is None or due > soon:
            continue
        late = due < day
        # Written once, in the handler's language (Vietnamese unless they chose another).
        with translation.override(matter.handler.language or settings.LANGUAGE_CODE):
            message = (
                _("Matter #%(id)s is overdue since %(due)s.")
                if late
                else _("Matter #%(id)s is due on %(due)s.")
            ) % {"id": matter.pk, "due": due.strftime("%d/%m/%Y")}
        with transaction.atomic():
            _note, created = Notification.objects.get_or_create(
                user=matter.handler,
                key=f"matter:{matter.pk}:{'overdue' if late else 'due'}:{due.isoformat()}",
                defaults={"message": message, "link": reverse("voices:matter", args=[matter.pk])},
            )
        sent += int(created)
    return sent


@on_lost(notify_deadlines)
def _reminders_lost(result, attempts: int) -> None:
    enqueue_again(result, attempts)  # idempotent: reminders already sent are not repeated
