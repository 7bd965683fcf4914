"""When ministry staff are due to verify a submitted vendor, and which vendors are overdue.

Vendors belong to no programme, so one setting (``VENDOR_REVIEW_WORKING_DAYS``) sets the
duration, counted in working days (``config.workdays``) from ``Vendor.submitted_at``. Only a
submitted vendor waits for staff; every other state has no deadline. The result has the same
attributes as ``curation.deadlines.Deadline`` so the shared ``_deadline.html`` partial shows both;
the type is repeated here because vendors, the first stage, imports nothing from curation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from config.workdays import add_working_days, local_date, overdue_before, working_days_between
from vendors.models import Vendor


@dataclass(frozen=True)
class ReviewDeadline:
    due_on: date
    working_days_left: int

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0

    @property
    def working_days_late(self) -> int:
        return max(0, -self.working_days_left)


def review_days() -> int:
    return max(0, settings.VENDOR_REVIEW_WORKING_DAYS)


def review_deadline(vendor: Vendor, today: date | None = None) -> ReviewDeadline | None:
    """The day staff should have verified ``vendor`` by; None unless it waits for them."""
    if vendor.status != Vendor.Status.SUBMITTED or vendor.submitted_at is None:
        return None
    today = today or timezone.localdate()
    due_on = add_working_days(local_date(vendor.submitted_at), review_days())
    if today <= due_on:
        left = working_days_between(today, due_on)
    else:
        # Late by at least one: a deadline that passed over a weekend is still passed.
        left = -max(1, working_days_between(due_on, today))
    return ReviewDeadline(due_on=due_on, working_days_left=left)


def overdue_review_q(today: date | None = None) -> Q:
    """Vendors overdue for verification today, as a filter (no query of its own)."""
    return Q(
        status=Vendor.Status.SUBMITTED,
        submitted_at__lt=overdue_before(review_days(), today),
    )


def overdue_flag(today: date | None = None) -> Case:
    """``overdue_review_q`` as a boolean annotation, to sort overdue vendors first."""
    return Case(
        When(overdue_review_q(today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
