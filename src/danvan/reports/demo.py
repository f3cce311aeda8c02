"""Demo data for the reports app, built by `python -m danvan demo` (safe to run again):
one issued quarterly report of the Hải Phòng city Mass Mobilization Commission (Party format)
and one of a commune People's Committee (state format), for the last finished quarter."""

import logging
import time

from django.utils import timezone

from danvan.org.models import Organization

from . import services
from .models import PeriodReport
from .periods import current

log = logging.getLogger(__name__)
CITY_COMMISSION = "31-bdv"


def last_quarter():
    return current(timezone.localdate()).previous


def demo_units() -> list[Organization]:
    units = []
    commission = Organization.objects.filter(code=CITY_COMMISSION).first()
    if commission is not None:
        units.append(commission)
    city = Organization.objects.filter(code="31-tu").first()
    if city is not None:
        committee = (
            Organization.objects.filter(
                type__code="peoples-committee", area__level="commune", path__startswith=city.path
            )
            .order_by("area__path", "path")
            .first()
        )
        if committee is not None:
            units.append(committee)
    return units


def build(*, admin) -> dict[str, float]:
    """Returns the seconds each report took to generate and issue (the demo prints none)."""
    period = last_quarter()
    timings = {}
    for unit in demo_units():
        exists = PeriodReport.objects.filter(
            unit=unit, kind=period.kind, year=period.year, index=period.index
        ).exists()
        if exists:
            continue
        started = time.perf_counter()
        report = services.generate_report(actor=admin, unit=unit, period=period, run_now=True)
        collected = time.perf_counter()
        services.issue_report(actor=admin, report=report)
        finished = time.perf_counter()
        timings[unit.code] = finished - started
        log.info(
            "report %s: figures %.2f s, files %.2f s",
            unit.code,
            collected - started,
            finished - collected,
        )
    return timings
