"""Daily reminders: overdue work to whoever's turn it is, and permits and certificates that
are about to expire to their vendors.

Each reminder carries a key, so running the job twice in a day (or every day) tells a person
about one overdue stay in a state, or one expiry window, once.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from certification.models import Certificate, InfoRequest, PermitCase
from config.workdays import local_date
from curation.deadlines import deadline_for, overdue_q
from curation.models import Application, Assignment, Programme, Sample
from notifications.services import notify
from notifications.subscribers import application_params, application_url, users_with_role

# Days before expiry at which the vendor is reminded; a permit renewal takes months.
PERMIT_WINDOWS = (274, 90, 30)
CERTIFICATE_WINDOWS = (90, 30, 7)

APPLICANT_TURN = (Application.Status.RETURNED, Application.Status.SAMPLE_REQUESTED)


def _window(days_left: int, windows: tuple[int, ...]) -> int | None:
    inside = [w for w in windows if days_left <= w]
    return min(inside) if inside else None


def remind_overdue_applications(today: date) -> int:
    overdue = (
        Application.objects.filter(overdue_q(Programme.objects.only("pk", "expected_days"), today))
        .select_related("product", "vendor", "programme")
        # Once the sample is on its way, the wait is the assessor's, not the applicant's.
        .annotate(
            sample_shipped=Exists(
                Sample.objects.filter(application=OuterRef("pk"), status=Sample.Status.SHIPPED)
            )
        )
        .prefetch_related(
            "vendor__owners",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    ended_at__isnull=True, submitted_at__isnull=True
                ).select_related("curator__user"),
                to_attr="open_assignments",
            ),
        )
        .order_by("pk")
    )
    staff = list(users_with_role(Role.STAFF))
    approvers = list(users_with_role(Role.APPROVER))
    sent = 0
    for application in overdue:
        deadline = deadline_for(application, today)
        params = application_params(
            application,
            state=application.status,
            since=local_date(application.status_changed_at).isoformat(),
            due_on=deadline.due_on.isoformat() if deadline else "",
        )
        key = (
            f"overdue:application:{application.pk}:{application.status}:"
            f"{int(application.status_changed_at.timestamp())}"
        )
        url = application_url(application)
        if application.status in APPLICANT_TURN and not application.sample_shipped:
            recipients = [u for u in application.vendor.owners.all() if u.is_active]
            kind = "applicant_overdue"
        elif application.status == Application.Status.IN_CURATION and (
            application.open_assignments
        ):
            recipients = [a.curator.user for a in application.open_assignments]
            kind = "curator_overdue"
            url = reverse("curation:curator_application", args=[application.pk])
            # Curators may not have declared no conflict yet: they must not learn the vendor.
            params = {key: value for key, value in params.items() if key != "vendor"}
        elif application.status == Application.Status.AWAITING_APPROVAL:
            recipients, kind = approvers, "approver_overdue"
            url = reverse("certification:approval", args=[application.pk])
        else:
            recipients, kind = staff, "staff_overdue"
        sent += len(
            notify(recipients=recipients, kind=kind, params=params, url=url, dedupe_key=key)
        )
    return sent


def remind_overdue_info_requests(today: date) -> int:
    sent = 0
    requests = (
        InfoRequest.objects.filter(closed_at__isnull=True, responded_at__isnull=True)
        .filter(due_on__lt=today)
        .select_related("case__application__product", "case__application__vendor")
        .select_related("case__application__programme")
        .prefetch_related("case__application__vendor__owners")
    )
    for request in requests:
        application = request.case.application
        sent += len(
            notify(
                recipients=[u for u in application.vendor.owners.all() if u.is_active],
                kind="permit_info_requested",
                params=application_params(
                    application, message=request.message, due_on=request.due_on.isoformat()
                ),
                url=reverse("certification:case", args=[request.case_id]),
                dedupe_key=f"overdue:info_request:{request.pk}",
            )
        )
    return sent


def remind_expiring_permits(today: date) -> int:
    sent = 0
    cases = (
        PermitCase.objects.filter(
            status=PermitCase.Status.ISSUED,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=max(PERMIT_WINDOWS)),
        )
        .select_related("application__product", "application__vendor")
        .prefetch_related("application__vendor__owners")
    )
    for case in cases:
        window = _window((case.valid_until - today).days, PERMIT_WINDOWS)
        sent += len(
            notify(
                recipients=[u for u in case.application.vendor.owners.all() if u.is_active],
                kind="permit_expiring",
                params={
                    "product": case.application.product.name,
                    "permit_number": case.permit_number,
                    "valid_until": case.valid_until.isoformat(),
                },
                url=reverse("certification:case", args=[case.pk]),
                dedupe_key=f"expiring:permit:{case.pk}:{case.valid_until}:{window}",
            )
        )
    return sent


def remind_expiring_certificates(today: date) -> int:
    sent = 0
    certificates = (
        Certificate.objects.filter(
            status=Certificate.Status.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=max(CERTIFICATE_WINDOWS)),
        )
        .select_related("product", "vendor")
        .prefetch_related("vendor__owners")
    )
    for certificate in certificates:
        window = _window((certificate.valid_until - today).days, CERTIFICATE_WINDOWS)
        sent += len(
            notify(
                recipients=[u for u in certificate.vendor.owners.all() if u.is_active],
                kind="certificate_expiring",
                params={
                    "product": certificate.product.name,
                    "number": certificate.number,
                    "valid_until": certificate.valid_until.isoformat(),
                },
                url=reverse("certification:my_certificates"),
                dedupe_key=f"expiring:certificate:{certificate.pk}:{window}",
            )
        )
    return sent


def send_reminders(*, today: date | None = None) -> dict[str, int]:
    """Run every reminder; return how many notifications each kind of reminder created."""
    today = today or timezone.localdate()
    return {
        "overdue_applications": remind_overdue_applications(today),
        "overdue_information_requests": remind_overdue_info_requests(today),
        "expiring_permits": remind_expiring_permits(today),
        "expiring_certificates": remind_expiring_certificates(today),
    }
