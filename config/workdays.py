"""Working days as a ministry office counts them: Monday to Friday in Asia/Jakarta, minus
Indonesian public holidays and the government's joint leave days (cuti bersama).

The dates come from the ``holidays`` package (both its ``public`` and ``government``
categories) so that nobody types a calendar by hand; Idul Fitri and the other lunar holidays
move every year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def holidays_in(year: int) -> dict[date, str]:
    """Public holidays and joint leave days of ``year``, with their names."""
    return dict(holidays.country_holidays("ID", years=year, categories=CATEGORIES))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays_in(day.year)


def add_working_days(start: date, days: int) -> date:
    """The day on which ``days`` working days after ``start`` have passed (``start`` not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def overdue_before(days: int, today: date | None = None) -> datetime:
    """The moment before which an item that entered its state is overdue today.

    An item that entered at ``t`` is due ``add_working_days(local_date(t), days)`` and overdue
    once that day has passed. Because the due date never decreases as ``t`` grows, "overdue"
    is the same as ``t`` earlier than a cut-off, which a database can filter and index.
    """
    today = today or timezone.localdate()
    return _overdue_before(days, today, timezone.get_current_timezone_name())


# A queue or the dashboard asks for one cut-off per programme and state on every request, and
# each is a walk back over the calendar: the answer only changes with the day.
@lru_cache(maxsize=4096)
def _overdue_before(days: int, today: date, zone: str) -> datetime:
    day = today - timedelta(days=1)
    while add_working_days(day, days) >= today:
        day -= timedelta(days=1)
    first_not_overdue = day + timedelta(days=1)
    return timezone.make_aware(datetime.combine(first_not_overdue, time.min))
