"""Reads of the certification pages, scoped to the user and joined up front."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.roles import is_ministry_officer
from certification.models import (
    Certificate,
    ChecklistItem,
    InfoRequest,
    PermitCase,
    PermitDocument,
)
from curation.models import Application

CASE_JOINS = (
    "application__product",
    "application__vendor",
    "application__vendor__province",
    "application__programme",
)


def cases_visible_to(user) -> QuerySet[PermitCase]:
    if not user.is_authenticated:
        return PermitCase.objects.none()
    if is_ministry_officer(user):
        return PermitCase.objects.all()
    return PermitCase.objects.filter(application__vendor__owners=user)


def get_case_for(user, pk: int) -> PermitCase:
    try:
        case = (
            cases_visible_to(user)
            .select_related(*CASE_JOINS)
            .prefetch_related("application__vendor__owners")
            .get(pk=pk)
        )
    except (PermitCase.DoesNotExist, ValueError):
        raise Http404 from None
    case.application.vendor._owner_ids = {o.pk for o in case.application.vendor.owners.all()}
    return case


def checklist_of(case: PermitCase) -> list[dict]:
    """Each checklist item of the case's permit kind with its current and older documents."""
    items = list(ChecklistItem.objects.filter(kind=case.kind).order_by("position", "pk"))
    documents: dict[int, list[PermitDocument]] = {}
    for document in (
        PermitDocument.objects.filter(case=case)
        .select_related("reviewed_by")
        .order_by("-uploaded_at")
    ):
        documents.setdefault(document.item_id, []).append(document)
    rows = []
    for item in items:
        versions = documents.get(item.pk, [])
        current = next((d for d in versions if d.is_current), None)
        rows.append(
            {"item": item, "current": current, "older": [d for d in versions if not d.is_current]}
        )
    return rows


def get_document_for(user, pk) -> PermitDocument:
    try:
        return PermitDocument.objects.select_related("case__application__vendor").get(
            pk=pk, case__in=cases_visible_to(user)
        )
    except PermitDocument.DoesNotExist:
        raise Http404 from None


def open_info_requests(case: PermitCase) -> QuerySet[InfoRequest]:
    return case.info_requests.filter(closed_at__isnull=True).order_by("due_on")


def permit_board() -> QuerySet[PermitCase]:
    """Every case for staff: overdue information requests first, then the longest waiting."""
    today = timezone.localdate()
    overdue = InfoRequest.objects.filter(
        case=OuterRef("pk"), closed_at__isnull=True, due_on__lt=today
    )
    return (
        PermitCase.objects.select_related(*CASE_JOINS)
        .annotate(has_overdue_request=Exists(overdue))
        .order_by("-has_overdue_request", "status_changed_at", "pk")
    )


def approval_queue() -> QuerySet[Application]:
    return (
        Application.objects.filter(status=Application.Status.AWAITING_APPROVAL)
        .select_related("product", "vendor", "vendor__province", "programme")
        .prefetch_related(Prefetch("permit_case", queryset=PermitCase.objects.all()))
        .order_by("status_changed_at", "pk")
    )


def certificates_for_officers() -> QuerySet[Certificate]:
    return Certificate.objects.select_related(
        "product", "vendor", "vendor__province", "programme", "permit_case"
    ).order_by("-issued_on", "-pk")


def certificates_of_applicant(user) -> QuerySet[Certificate]:
    return certificates_for_officers().filter(vendor__owners=user)


def get_certificate_for(user, pk: int) -> Certificate:
    queryset = certificates_for_officers()
    if not is_ministry_officer(user):
        queryset = queryset.filter(vendor__owners=user)
    try:
        return queryset.get(pk=pk)
    except Certificate.DoesNotExist:
        raise Http404 from None


def public_certificate(number: str) -> Certificate | None:
    """For the public verification page; the template shows no private data."""
    return (
        Certificate.objects.select_related(
            "product", "vendor", "vendor__province", "vendor__regency", "programme", "permit_case"
        )
        .filter(number=number.strip().upper())
        .first()
    )


def expiring(*, days: int = 90) -> QuerySet[Certificate]:
    today = timezone.localdate()
    return certificates_for_officers().filter(
        Q(status=Certificate.Status.ACTIVE), valid_until__lte=today + timezone.timedelta(days=days)
    )
