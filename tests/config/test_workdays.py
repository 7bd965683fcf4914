"""Working days as the ministry counts them: weekends, public holidays and joint leave days
(cuti bersama) do not count, across the Idul Fitri break and the turn of the year; the
database cut-off of ``overdue_before`` says "overdue" exactly when ``deadline_for`` does.

The holiday dates are those of the ``holidays`` package (categories public and government),
checked against its data for 2026: Nyepi and Idul Fitri with their joint leave days make
Wednesday 18 to Tuesday 24 March 2026 one block of days off; 24 December 2026 is joint leave
for Christmas, 1 January and 5 January 2027 (Isra' Mi'raj) are public holidays.
"""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from config.workdays import (
    add_working_days,
    is_working_day,
    overdue_before,
    working_days_between,
)
from curation.deadlines import deadline_for

JAKARTA = ZoneInfo("Asia/Jakarta")
D = datetime.date


def days_from(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def test_idul_fitri_2026_block_and_its_joint_leave_days_are_not_working_days():
    block = list(days_from(D(2026, 3, 18), D(2026, 3, 24)))

    assert [is_working_day(day) for day in block] == [False] * 7
    # Wednesday 18, Friday 20, Monday 23 and Tuesday 24 are joint leave or holidays on weekdays.
    assert [day.weekday() for day in block] == [2, 3, 4, 5, 6, 0, 1]
    assert is_working_day(D(2026, 3, 17))
    assert is_working_day(D(2026, 3, 25))


def test_one_working_day_after_the_day_before_idul_fitri_is_the_day_after_the_break():
    assert add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)
    # Monday 16 March + 5: Tuesday 17, then 25, 26, 27 and Monday 30 March.
    assert add_working_days(D(2026, 3, 16), 5) == D(2026, 3, 30)
    assert working_days_between(D(2026, 3, 16), D(2026, 3, 30)) == 5


def test_weekends_do_not_count():
    friday = D(2026, 7, 10)

    assert add_working_days(friday, 1) == D(2026, 7, 13)
    assert add_working_days(friday, 5) == D(2026, 7, 17)
    assert add_working_days(D(2026, 7, 11), 1) == D(2026, 7, 13)  # from a Saturday
    assert working_days_between(friday, D(2026, 7, 12)) == 0
    assert working_days_between(D(2026, 7, 12), friday) == 0


def test_christmas_and_new_year_across_the_year_boundary():
    # Wednesday 23 December 2026 + 3: the 24th (joint leave), the 25th and the weekend are off.
    assert add_working_days(D(2026, 12, 23), 3) == D(2026, 12, 30)
    # Wednesday 30 December + 3: Thursday 31, Monday 4 January, then Tuesday 5 is Isra' Mi'raj.
    assert add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 6)
    assert working_days_between(D(2026, 12, 23), D(2027, 1, 6)) == 6
    assert working_days_between(D(2027, 1, 6), D(2026, 12, 23)) == -6


def test_zero_working_days_is_the_same_day():
    assert add_working_days(D(2026, 3, 21), 0) == D(2026, 3, 21)
    assert working_days_between(D(2026, 3, 21), D(2026, 3, 21)) == 0


def entered(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    # Stored in UTC like the database does: 06:00 in Jakarta is 23:00 of the day before in UTC.
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA).astimezone(
        datetime.UTC
    )


# Lunar New Year, Nyepi, Idul Fitri and Good Friday 2026; Christmas to Isra' Mi'raj 2027.
START_DAYS = [
    *days_from(D(2026, 2, 1), D(2026, 4, 30)),
    *days_from(D(2026, 12, 1), D(2027, 1, 31)),
]


@pytest.mark.parametrize("days", [0, 1, 5, 10])
def test_overdue_before_agrees_with_deadline_for_on_every_day(days):
    """Every start day of two holiday-heavy stretches, entered just after midnight and just
    before midnight in Jakarta (the previous and the same day in UTC), and every "today" from
    the day before the start to a few days past the due date."""
    cutoffs: dict[datetime.date, datetime.datetime] = {}
    checked = overdue_seen = 0
    for start in START_DAYS:
        due_on = add_working_days(start, days)
        for hour, minute in [(0, 0), (23, 59)]:
            moment = entered(start, hour, minute)
            application = SimpleNamespace(
                programme=SimpleNamespace(expected_days={"submitted": days}),
                status="submitted",
                status_changed_at=moment,
            )
            for today in days_from(
                start - datetime.timedelta(days=1), due_on + datetime.timedelta(days=4)
            ):
                if today not in cutoffs:
                    cutoffs[today] = overdue_before(days, today)
                deadline = deadline_for(application, today)
                assert deadline.due_on == due_on, (start, hour)
                assert deadline.overdue == (today > due_on), (start, today, deadline)
                assert (moment < cutoffs[today]) == deadline.overdue, (start, hour, today)
                checked += 1
                overdue_seen += deadline.overdue
    # Both answers occur, so the agreement is not one of two constant functions.
    assert 0 < overdue_seen < checked


def test_lateness_counts_working_days_and_is_at_least_one():
    application = SimpleNamespace(
        programme=SimpleNamespace(expected_days={"submitted": 1}),
        status="submitted",
        status_changed_at=entered(D(2026, 3, 16), 10, 0),
    )

    on_time = deadline_for(application, D(2026, 3, 17))
    assert (on_time.due_on, on_time.overdue, on_time.working_days_left) == (
        D(2026, 3, 17),
        False,
        0,
    )
    # Over the Idul Fitri break: past due, yet no working day has passed since.
    assert deadline_for(application, D(2026, 3, 22)).working_days_late == 1
    assert deadline_for(application, D(2026, 3, 26)).working_days_late == 2
    assert deadline_for(application, D(2026, 3, 16)).working_days_left == 1
