"""Reads of the certification pages, scoped to the user and joined up front."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.roles import is_ministry_officer
from certification.models import (
    Certificate,
    ChecklistItem,
    InfoRequest,
    PermitCase,
    PermitDocument,
    PermitRequirement,
)
from config.queries import count_of
from curation.models import Application
from curation.selectors import as_flag, overdue_condition, overdue_flag

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


def info_requests_of(case: PermitCase) -> list[InfoRequest]:
    """Every information request of the case, newest first, with who asked."""
    return list(case.info_requests.select_related("created_by").order_by("-created_at", "-pk"))


def permit_board(today: datetime.date | None = None) -> QuerySet[PermitCase]:
    """Every case for staff: overdue information requests first, then applications past their
    permit support deadline, then the longest waiting.

    Each case carries what the board shows without a query per row: whether an information
    request is overdue, whether the application is overdue in permit support
    (``permit_overdue``), the earliest due date of an open request, and its current documents
    waiting for verification and verified."""
    today = today or timezone.localdate()
    open_requests = InfoRequest.objects.filter(case=OuterRef("pk"), closed_at__isnull=True)
    # Counted per case of the page (correlated subqueries, after the LIMIT), not grouped over
    # the documents of every case before sorting.
    current = PermitDocument.objects.filter(case=OuterRef("pk"), is_current=True)
    # Past permit support only: once the permit is issued the approver's deadline runs, and
    # that one belongs to the approval queue.
    in_permit_support = Q(application__status=Application.Status.PERMIT_SUPPORT)
    return (
        # The applications of the page, with their vendor, product and programme, come in one
        # more query: joined here, every case's would be read and sorted to show 25.
        PermitCase.objects.prefetch_related(
            Prefetch(
                "application",
                queryset=Application.objects.select_related(
                    "product", "vendor", "vendor__province", "programme"
                ).defer("specification", "decision"),
            )
        )
        .annotate(
            has_overdue_request=Exists(open_requests.filter(due_on__lt=today)),
            permit_overdue=as_flag(
                in_permit_support & overdue_condition(today, prefix="application__")
            ),
            next_due_on=Subquery(open_requests.order_by("due_on").values("due_on")[:1]),
            documents_to_verify=count_of(current.filter(review=PermitDocument.Review.PENDING)),
            documents_verified=count_of(current.filter(review=PermitDocument.Review.VERIFIED)),
        )
        .order_by("-has_overdue_request", "-permit_overdue", "status_changed_at", "pk")
    )


def required_documents_by_kind() -> dict[str, int]:
    """How many documents the checklist of each permit kind requires (one query)."""
    return dict(
        ChecklistItem.objects.filter(required=True)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )


def cases_of_applicant(user) -> QuerySet[PermitCase]:
    """The applicant's permit cases, newest first, marked where the applicant has to act."""
    if not user.is_authenticated:
        return PermitCase.objects.none()
    unanswered = InfoRequest.objects.filter(
        case=OuterRef("pk"), closed_at__isnull=True, responded_at__isnull=True
    )
    rejected = PermitDocument.objects.filter(
        case=OuterRef("pk"), is_current=True, review=PermitDocument.Review.REJECTED
    )
    return (
        PermitCase.objects.filter(application__vendor__owners=user)
        .select_related(*CASE_JOINS)
        .annotate(has_unanswered_request=Exists(unanswered), has_rejected=Exists(rejected))
        .order_by("-created_at", "-pk")
    )


def case_of_application(application: Application) -> PermitCase | None:
    return PermitCase.objects.filter(application=application).first()


def certificate_of_application(application: Application) -> Certificate | None:
    return Certificate.objects.filter(application=application).first()


def passed_applications(today: datetime.date | None = None) -> QuerySet[Application]:
    """Applications that passed curation and wait for staff to decide on the permit, overdue
    first, then the longest waiting."""
    return (
        Application.objects.filter(status=Application.Status.PASSED)
        .select_related("product", "vendor", "vendor__province", "programme")
        .annotate(is_overdue=overdue_flag(today))
        .order_by("-is_overdue", "status_changed_at", "pk")
    )


def permit_kinds_by_category() -> dict[str, str]:
    """The permit kind each product category needs ("" for none), from the requirements data."""
    return dict(PermitRequirement.objects.values_list("category", "kind"))


def certifications_of(user) -> dict[str, bool]:
    """Whether the applicant has any permit case and any certificate, for the menu (one query)."""
    if not user.is_authenticated:
        return {"has_permits": False, "has_certificates": False}
    from accounts.models import User

    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_permits=Exists(
                PermitCase.objects.filter(application__vendor__owners=OuterRef("pk"))
            ),
            has_certificates=Exists(Certificate.objects.filter(vendor__owners=OuterRef("pk"))),
        )
        .values("has_permits", "has_certificates")
        .first()
    )
    return row or {"has_permits": False, "has_certificates": False}


def approval_queue(today: datetime.date | None = None) -> QuerySet[Application]:
    """Applications waiting for an approver, overdue first, then the longest waiting."""
    return (
        Application.objects.filter(status=Application.Status.AWAITING_APPROVAL)
        .select_related("product", "vendor", "vendor__province", "programme")
        .prefetch_related(Prefetch("permit_case", queryset=PermitCase.objects.all()))
        .annotate(is_overdue=overdue_flag(today))
        .order_by("-is_overdue", "status_changed_at", "pk")
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
        Q(status=Certificate.Status.ACTIVE), valid_until__lte=today + datetime.timedelta(days=days)
    )
