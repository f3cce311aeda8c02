"""Download (XLSX, CSV) of the worklist: the matters the page lists, with the page's filters.

The rows come from `worklist.filtered_matters`, the page's own filters and scope, in the
page's order. Only the handling of each matter is exported: its number, kind, state, topic,
area, dates, deadline, handler and tracking code. Nothing about the citizens (no name,
address or contact) and nothing of what they wrote (neither the petition's contents nor the
matter's summary) is ever written to the file.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext_lazy

from danvan.core import tables

from .worklist import filtered_matters

WORKLIST_HEADERS = [
    gettext_lazy("Matter"),
    gettext_lazy("Kind"),
    gettext_lazy("State"),
    gettext_lazy("Topic"),
    gettext_lazy("Area"),
    gettext_lazy("Received on"),
    gettext_lazy("Due"),
    gettext_lazy("Days left"),
    gettext_lazy("Days overdue"),
    gettext_lazy("Handler"),
    gettext_lazy("Tracking code"),
]


def _rows(qs, today):
    for m in qs.iterator(chunk_size=1000):
        petition, due = m.petition, m.due_on
        days_left = (due - today).days if due else None
        handler = m.handler
        yield [
            m.pk,
            m.get_kind_display(),
            m.get_state_display(),
            str(petition.topic) if petition.topic_id else "",
            petition.area.name if petition.area_id else "",
            petition.received_on,
            due,
            days_left if days_left is not None and days_left >= 0 else None,
            -days_left if days_left is not None and days_left < 0 else None,
            (handler.get_full_name() or handler.username) if handler else "",
            petition.tracking_code,
        ]


@login_required
def worklist_export(request):
    qs, _shown = filtered_matters(request)
    today = timezone.localdate()
    filename = "matters-" + today.strftime("%Y%m%d")
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=WORKLIST_HEADERS, rows=_rows(qs, today), fmt=fmt, filename=filename
        ),
    )
