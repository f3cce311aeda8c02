"""The rules of the plans app, stated once.

Overdue: a task that is still open (planned or in progress) the day after its deadline.

At risk: an open task whose deadline falls within the next AT_RISK_WINDOW_DAYS days (today
included) and whose progress is behind a linear pace from its start to its deadline. A task
at p % is "on pace" until the day start + p % × (deadline − start); services store that day in
`Task.on_pace_until`, so the rule is one indexed date comparison:

    state open  and  today <= deadline <= today + window  and  on_pace_until < today

Example: a task from 1 January to 31 March reported at 50 % is on pace until 14/15 February;
from 17 March (two weeks before the deadline) it is at risk. A task that is already overdue is
counted as overdue, never also as at risk.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# Two weeks: the usual interval of a commission's weekly/fortnightly briefing (giao ban),
# so a task becomes "at risk" at the last briefing before its deadline.
AT_RISK_WINDOW_DAYS = 14


def on_pace_until(start: dt.date, deadline: dt.date, percent: Decimal | float | int) -> dt.date:
    """The last day `percent` is at or above a linear pace from start to deadline."""
    percent = max(Decimal(0), min(Decimal(100), Decimal(str(percent))))
    span = (deadline - start).days
    if percent >= 100:
        return deadline
    return start + dt.timedelta(days=int(span * percent / 100))


def at_risk_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today, today + dt.timedelta(days=AT_RISK_WINDOW_DAYS)
