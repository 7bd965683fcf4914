"""When an application is due to leave its current state, and which ones are overdue.

Each programme sets an expected maximum duration per state in working days
(``Programme.expected_days``); the clock starts when the application entered the state
(``status_changed_at``). States without a duration (draft, ended states) have no deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from config.workdays import add_working_days, local_date, overdue_before, working_days_between


@dataclass(frozen=True)
class Deadline:
    due_on: date
    working_days_left: int

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0

    @property
    def working_days_late(self) -> int:
        return max(0, -self.working_days_left)


def expected_days(programme, status: str) -> int | None:
    value = (programme.expected_days or {}).get(status)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return None
    return days if days >= 0 else None


def deadline_for(application, today: date | None = None) -> Deadline | None:
    """The application's deadline in its current state, or None when the state has none."""
    days = expected_days(application.programme, application.status)
    if days is None:
        return None
    today = today or timezone.localdate()
    due_on = add_working_days(local_date(application.status_changed_at), days)
    if today <= due_on:
        left = working_days_between(today, due_on)
    else:
        left = -max(1, working_days_between(due_on, today))
    return Deadline(due_on=due_on, working_days_left=left)


def overdue_q(programmes, today: date | None = None, prefix: str = "") -> Q:
    """A filter matching the applications overdue today among those of ``programmes``.

    ``programmes`` is an iterable of Programme (only ``pk`` and ``expected_days`` are read);
    ``prefix`` lets a query reach applications through a relation (``"application__"``).
    Matches nothing when no programme sets a duration.
    """
    today = today or timezone.localdate()
    cutoffs: dict[int, object] = {}
    condition = Q(pk__in=[])
    for programme in programmes:
        for status in programme.expected_days or {}:
            days = expected_days(programme, status)
            if days is None:
                continue
            if days not in cutoffs:
                cutoffs[days] = overdue_before(days, today)
            condition |= Q(
                **{
                    f"{prefix}programme_id": programme.pk,
                    f"{prefix}status": status,
                    f"{prefix}status_changed_at__lt": cutoffs[days],
                }
            )
    return condition
