"""Builders for the dashboard tests and ``bench/dashboard.py``: applications with an audit history
whose times are known.

``application`` and ``walk`` write one application and its TransitionLog rows through
``audit.services.record_transition`` with the clock frozen, so every stay lasts exactly what the
test says. ``populate`` bulk-creates many applications spread over states, provinces,
categories and programmes, with hash-chained log rows (``verify_audit`` still passes),
assignments, permit cases, information requests and certificates, for query budgets and the
benchmark.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from audit.models import ChainHead, TransitionLog
from audit.services import record_transition
from certification.models import Certificate, InfoRequest, PermitCase
from curation.models import Application, Assignment, Curator
from regions.models import Province
from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")
S = Application.Status

TRANSITION_INTO = {
    S.DRAFT: "allow_revision",
    S.SUBMITTED: "submit",
    S.RETURNED: "return_for_changes",
    S.REJECTED: "reject",
    S.SAMPLE_REQUESTED: "request_sample",
    S.IN_CURATION: "receive_sample",
    S.PASSED: "pass_curation",
    S.CURATION_FAILED: "fail_curation",
    S.PERMIT_SUPPORT: "open_permit",
    S.AWAITING_APPROVAL: "permit_issued",
    S.APPROVED: "approve",
    S.WITHDRAWN: "withdraw",
}

# The states each bulk application walks through after draft; the last one is where it stays.
PATHS: tuple[tuple[str, ...], ...] = (
    (),
    (S.SUBMITTED,),
    (S.SUBMITTED, S.RETURNED),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.SAMPLE_REQUESTED),
    (S.SUBMITTED, S.SAMPLE_REQUESTED, S.IN_CURATION),
    (S.SUBMITTED, S.SAMPLE_REQUESTED, S.IN_CURATION, S.CURATION_FAILED),
    (S.SUBMITTED, S.SAMPLE_REQUESTED, S.IN_CURATION, S.PASSED),
    (S.SUBMITTED, S.SAMPLE_REQUESTED, S.IN_CURATION, S.PASSED, S.PERMIT_SUPPORT),
    (
        S.SUBMITTED,
        S.SAMPLE_REQUESTED,
        S.IN_CURATION,
        S.PASSED,
        S.PERMIT_SUPPORT,
        S.AWAITING_APPROVAL,
    ),
    (S.SUBMITTED, S.SAMPLE_REQUESTED, S.IN_CURATION, S.PASSED, S.AWAITING_APPROVAL, S.APPROVED),
    (S.SUBMITTED, S.SAMPLE_REQUESTED, S.WITHDRAWN),
)
PROVINCES = ("31", "32", "33", "35", "73")
CATEGORIES = ("cloth_mask", "medical_mask", "hand_sanitizer", "coverall_gown")


def at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    """A moment in Jakarta time."""
    return datetime.datetime(year, month, day, hour, tzinfo=JAKARTA)


def application(*, programme, product, created: datetime.datetime, by=None) -> Application:
    """A draft application created at ``created`` (``created_at`` is set on insert)."""
    with time_machine.travel(created, tick=False):
        return Application.objects.create(
            programme=programme,
            vendor=product.vendor,
            product=product,
            created_by=by or product.vendor.owners.first(),
        )


def walk(item: Application, steps: Iterable[tuple[str, datetime.datetime]], *, by) -> Application:
    """Log ``item`` into each (state, moment) of ``steps`` and leave it in the last state."""
    source = item.status
    moment = item.status_changed_at
    for target, moment in steps:
        with time_machine.travel(moment, tick=False), transaction.atomic():
            record_transition(
                obj=item,
                transition=TRANSITION_INTO[target],
                source=source,
                target=target,
                actor=by,
            )
        source = target
    Application.objects.filter(pk=item.pk).update(status=source, status_changed_at=moment)
    item.refresh_from_db()
    return item


def vendor_products(owner, provinces: Sequence[str] = PROVINCES, categories=CATEGORIES):
    """One vendor per province, each with one product per category."""
    products = []
    for code in provinces:
        vendor = factories.vendor(
            owner=owner, province=Province.objects.get(code=code), regency=None
        )
        products += [factories.product(vendor=vendor, category=c) for c in categories]
    return products


def _step_days(index: int, step: int) -> int:
    # 1 to 15 days, varied so that medians and percentiles differ per state.
    return 1 + (index * 7 + step * 3) % 15


def populate(
    count: int,
    *,
    actor,
    programmes: Sequence,
    products: Sequence,
    curators: Sequence[Curator],
    today: datetime.date | None = None,
    number_prefix: str = "T",
) -> list[Application]:
    """Bulk-create ``count`` applications with their history and what hangs off them."""
    today = today or timezone.localdate()
    start = timezone.now() - datetime.timedelta(days=365)
    items, walks = [], []
    for index in range(count):
        path = PATHS[index % len(PATHS)]
        product = products[index % len(products)]
        created = start + datetime.timedelta(days=index % 60, minutes=index % 1440)
        moments, moment = [], created
        for step, _state in enumerate(path):
            moment += datetime.timedelta(days=_step_days(index, step))
            moments.append(moment)
        items.append(
            Application(
                programme=programmes[index % len(programmes)],
                vendor=product.vendor,
                product=product,
                status=path[-1] if path else S.DRAFT,
                created_by=actor,
                submitted_at=moments[0] if moments else None,
            )
        )
        walks.append((created, list(zip(path, moments, strict=True))))
    items = Application.objects.bulk_create(items, batch_size=1000)
    for item, (created, steps) in zip(items, walks, strict=True):
        item.created_at = created
        item.status_changed_at = steps[-1][1] if steps else created
    Application.objects.bulk_update(items, ["created_at", "status_changed_at"], batch_size=500)
    _log(items, walks, actor)
    _assignments(items, curators)
    _permits_and_certificates(items, actor, today, number_prefix)
    return items


def _log(items, walks, actor) -> None:
    content_type = ContentType.objects.get_for_model(Application)
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(pk=1)
        sequence, prev_hash, rows = head.last_sequence, head.last_hash, []
        for item, (_created, steps) in zip(items, walks, strict=True):
            source = S.DRAFT
            for target, moment in steps:
                sequence += 1
                row = TransitionLog(
                    sequence=sequence,
                    content_type=content_type,
                    object_id=str(item.pk),
                    object_repr=f"{item.product.name} — {item.programme.name}"[:255],
                    transition=TRANSITION_INTO[target],
                    source_state=source,
                    target_state=target,
                    actor=actor,
                    actor_username=actor.get_username(),
                    created_at=moment,
                    prev_hash=prev_hash,
                )
                row.hash = prev_hash = row.compute_hash()
                rows.append(row)
                source = target
        TransitionLog.objects.bulk_create(rows, batch_size=1000)
        ChainHead.objects.filter(pk=1).update(last_sequence=sequence, last_hash=prev_hash)


def _assignments(items, curators) -> None:
    """Two curators on each application that reached curation; open ones while in curation."""
    reached = [item for item in items if item.status not in _BEFORE_CURATION]
    rows = []
    for index, item in enumerate(reached):
        for offset in range(min(2, len(curators))):
            still_open = item.status == S.IN_CURATION and offset == 0
            rows.append(
                Assignment(
                    application=item,
                    curator=curators[(index + offset) % len(curators)],
                    assigned_by=item.created_by,
                    submitted_at=None
                    if still_open
                    else item.status_changed_at - datetime.timedelta(days=1 + index % 5),
                )
            )
    rows = Assignment.objects.bulk_create(rows, batch_size=1000)
    for row in rows:
        row.assigned_at = row.application.status_changed_at - datetime.timedelta(days=10)
    Assignment.objects.bulk_update(rows, ["assigned_at"], batch_size=500)


_BEFORE_CURATION = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.REJECTED, S.SAMPLE_REQUESTED, S.WITHDRAWN)
_PERMIT_STATES = (S.PERMIT_SUPPORT, S.AWAITING_APPROVAL)


def _permits_and_certificates(items, actor, today, number_prefix) -> None:
    cases = []
    for index, item in enumerate(i for i in items if i.status in _PERMIT_STATES):
        if item.status == S.PERMIT_SUPPORT:
            status = (
                PermitCase.Status.UNDER_REVIEW
                if index % 3 == 0
                else PermitCase.Status.INFO_REQUESTED
            )
            number = ""
        else:
            status, number = PermitCase.Status.ISSUED, f"KEMENKES RI AKD {item.pk:011d}"
        cases.append(PermitCase(application=item, kind="AKD", status=status, permit_number=number))
    cases = PermitCase.objects.bulk_create(cases, batch_size=1000)
    InfoRequest.objects.bulk_create(
        (
            InfoRequest(
                case=case,
                message="Mohon lengkapi hasil uji laboratorium.",
                # Three in four are past their due date.
                due_on=today + datetime.timedelta(days=(index % 20) - 15),
                created_by=actor,
            )
            for index, case in enumerate(cases)
            if case.status == PermitCase.Status.INFO_REQUESTED
        ),
        batch_size=1000,
    )
    Certificate.objects.bulk_create(
        (
            Certificate(
                number=f"KRS-{number_prefix}-{item.pk:07d}",
                application=item,
                vendor=item.vendor,
                product=item.product,
                programme=item.programme,
                issued_on=today - datetime.timedelta(days=30),
                valid_until=today + datetime.timedelta(days=item.pk % 200),
                approved_by=actor,
            )
            for item in items
            if item.status == S.APPROVED
        ),
        batch_size=1000,
    )


def refreshed_figures(filters=None, **kwargs):
    """The page's figures right after the summary caught up with the database."""
    from dashboard.selectors import DashboardFilters, dashboard_figures
    from dashboard.summary import refresh_summary

    refresh_summary()
    return dashboard_figures(filters or DashboardFilters(), **kwargs)
