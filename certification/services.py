"""Every change in certification: permit cases and their documents, approval, certificates and
expiry. State changes run through ``audit.workflow.perform_transition``; certification also
drives the curation Application's transitions that belong to this stage."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.system import system_user
from audit.events import announce
from audit.workflow import (
    Decision,
    TransitionRefused,
    check_transition,
    perform_transition,
    refuse,
    require,
    save_as,
)
from certification import permissions, rules
from certification.documents import clean_document
from certification.models import (
    Certificate,
    CertificateCounter,
    ChecklistItem,
    InfoRequest,
    PermitCase,
    PermitDocument,
    PermitRequirement,
)
from certification.signals import certificate_changed
from curation.models import Application


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        refuse(_("Give a reason."))
    return reason


def required_permit_kind(application: Application) -> str:
    requirement = PermitRequirement.objects.filter(category=application.product.category).first()
    return requirement.kind if requirement else ""


# After curation: open a permit case, or go straight to approval.


def open_permit_case(*, application: Application, by, existing_permit: bool = False) -> PermitCase:
    kind = required_permit_kind(application)
    if not kind:
        refuse(_("This product category needs no distribution permit: send it for approval."))
    with transaction.atomic():
        application = perform_transition(application, "open_permit", by=by)
        case = PermitCase(application=application, kind=kind, existing_permit=existing_permit)
        save_as(case, by)
    return case


def skip_permit(*, application: Application, by) -> Application:
    """Send a passed application to approval when its category needs no izin edar."""
    if required_permit_kind(application):
        refuse(
            _("This product needs a distribution permit (%(kind)s): open a permit case first.")
            % {"kind": required_permit_kind(application)}
        )
    return perform_transition(application, "skip_permit", by=by)


# Documents


def upload_document(*, case: PermitCase, item: ChecklistItem, by, upload) -> PermitDocument:
    require(permissions.can_upload_documents(by, case))
    if item.kind != case.kind:
        raise ValidationError(_("This document is not on this permit's checklist."))
    clean = clean_document(upload)  # raises ValidationError before anything is stored
    document = PermitDocument(
        case=case,
        item=item,
        content_type=clean.content_type,
        size_bytes=clean.content.size,
        uploaded_by=by,
    )
    document.file.save(clean.content.name, clean.content, save=False)
    try:
        with transaction.atomic():
            for previous in PermitDocument.objects.select_for_update().filter(
                case=case, item=item, is_current=True
            ):
                previous.is_current = False
                save_as(previous, by, update_fields=["is_current"])
            save_as(document, by)
            announce("document_uploaded", instance=document, actor=by)
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def verify_document(*, document: PermitDocument, by) -> PermitDocument:
    return _review(document, by, PermitDocument.Review.VERIFIED, "")


def reject_document(*, document: PermitDocument, by, reason: str) -> PermitDocument:
    return _review(document, by, PermitDocument.Review.REJECTED, _reason(reason))


def _review(document: PermitDocument, by, outcome: str, reason: str) -> PermitDocument:
    require(permissions.can_review_documents(by, document.case))
    with transaction.atomic():
        locked = PermitDocument.objects.select_for_update().get(pk=document.pk)
        if not locked.is_current:
            refuse(_("A newer version of this document was uploaded; review that one."))
        if locked.case.status not in (
            PermitCase.Status.PREPARING,
            PermitCase.Status.INFO_REQUESTED,
        ):
            refuse(_("Documents are reviewed while the case is being prepared."))
        locked.review = outcome
        locked.rejection_reason = reason[:500]
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        save_as(locked, by)
    return locked


# The permit case


def submit_permit_case(*, case: PermitCase, by, reference: str, submitted_on=None) -> PermitCase:
    reference = (reference or "").strip()
    if not reference:
        refuse(_("Give the Kemenkes submission reference."))
    submitted_on = submitted_on or timezone.localdate()
    if submitted_on > timezone.localdate():
        refuse(_("The submission date cannot be in the future."))
    return perform_transition(
        case, "submit", by=by, note=reference, reference=reference, submitted_on=submitted_on
    )


def start_permit_review(*, case: PermitCase, by) -> PermitCase:
    return perform_transition(case, "start_review", by=by)


def request_permit_info(*, case: PermitCase, by, message: str, due_on) -> InfoRequest:
    message = _reason(message)
    if due_on is None or due_on < timezone.localdate():
        refuse(_("The due date must be today or later."))
    with transaction.atomic():
        case = perform_transition(case, "request_info", by=by, note=message)
        request = InfoRequest(case=case, message=message, due_on=due_on, created_by=by)
        save_as(request, by)
    return request


def respond_to_info_request(*, request: InfoRequest, by, response: str) -> InfoRequest:
    require(permissions.can_upload_documents(by, request.case))
    response = (response or "").strip()
    if not response:
        refuse(_("Write your answer."))
    with transaction.atomic():
        locked = InfoRequest.objects.select_for_update().get(pk=request.pk)
        if locked.closed_at is not None:
            refuse(_("This request is already closed."))
        locked.response = response[:4000]
        locked.responded_at = timezone.now()
        save_as(locked, by)
        announce("info_answered", instance=locked, actor=by)
    return locked


def resume_permit_review(*, case: PermitCase, by) -> PermitCase:
    with transaction.atomic():
        case = perform_transition(case, "resume_review", by=by)
        for request in case.info_requests.filter(closed_at__isnull=True):
            request.closed_at = timezone.now()
            save_as(request, by)
    return case


def issue_permit(*, case: PermitCase, by, permit_number: str, issued_on, valid_until) -> PermitCase:
    """Record the issued (or the vendor's existing) permit; the application goes to approval."""
    permit_number = " ".join((permit_number or "").upper().split())
    problems = rules.permit_problems(
        kind=case.kind, number=permit_number, issued_on=issued_on, valid_until=valid_until
    )
    if problems:
        raise TransitionRefused(Decision.deny(*problems))
    with transaction.atomic():
        # Serialise the issues of one permit kind (the number carries the kind), so that of two
        # cases given the same number at once the second sees the first's and is refused here
        # rather than by the unique constraint as a server error.
        list(PermitRequirement.objects.select_for_update().filter(kind=case.kind).order_by("pk"))
        if PermitCase.objects.filter(permit_number=permit_number).exclude(pk=case.pk).exists():
            refuse(_("This permit number is already recorded for another product."))
        case = perform_transition(
            case,
            "issue",
            by=by,
            note=permit_number,
            permit_number=permit_number,
            issued_on=issued_on,
            valid_until=valid_until,
        )
        perform_transition(case.application, "permit_issued", by=by, note=permit_number)
    return case


def refuse_permit(*, case: PermitCase, by, reason: str) -> PermitCase:
    """Kemenkes refused the permit: the case ends and so does the application."""
    decision = check_transition(case, "refuse", by)
    if not decision:
        raise TransitionRefused(decision)
    reason = _reason(reason)
    with transaction.atomic():
        case = perform_transition(case, "refuse", by=by, note=reason)
        perform_transition(
            case.application,
            "reject",
            by=by,
            note=_("Distribution permit refused: %(reason)s") % {"reason": reason},
        )
    return case


# Approval and certificates


def _next_number(today: datetime.date) -> str:
    counter, _created = CertificateCounter.objects.select_for_update().get_or_create(
        year=today.year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"KRS-{today.year}-{counter.last:06d}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def approve_application(*, application: Application, by, note: str = "") -> Certificate:
    """Approve (four-eyes) and issue the certificate, in one transaction."""
    decision = permissions.can_approve_application(by, application)
    if not decision:
        raise TransitionRefused(decision)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("programme", "product", "vendor")
            .get(pk=application.pk)
        )
        case = PermitCase.objects.filter(application=locked).first()
        kind = required_permit_kind(locked)
        today = timezone.localdate()
        if kind and (
            case is None or case.status != PermitCase.Status.ISSUED or case.valid_until < today
        ):
            refuse(
                _("This product needs a valid distribution permit (%(kind)s) before approval.")
                % {"kind": kind}
            )
        locked = perform_transition(locked, "approve", by=by, note=note.strip())
        valid_until = _add_months(today, locked.programme.certificate_validity_months)
        if case is not None and case.valid_until:
            valid_until = min(valid_until, case.valid_until)
        certificate = Certificate(
            number=_next_number(today),
            application=locked,
            vendor=locked.vendor,
            product=locked.product,
            programme=locked.programme,
            permit_case=case,
            specification=locked.specification,
            issued_on=today,
            valid_until=valid_until,
            approved_by=by,
            approval_note=note.strip(),
        )
        save_as(certificate, by)
        certificate_changed.send(sender=Certificate, certificate=certificate, actor=by)
    return certificate


def reject_application_at_approval(*, application: Application, by, reason: str) -> Application:
    # The decision either way is four-eyes: the documents' checker may not reject it either.
    decision = check_transition(application, "reject", by) and permissions.can_approve_application(
        by, application
    )
    if not decision:
        raise TransitionRefused(decision)
    return perform_transition(application, "reject", by=by, note=_reason(reason))


def _certificate_transition(certificate: Certificate, name: str, *, by, note: str) -> Certificate:
    """Every certificate status change: the transition and the announcement, atomically."""
    with transaction.atomic():
        certificate = perform_transition(certificate, name, by=by, note=note)
        certificate_changed.send(sender=Certificate, certificate=certificate, actor=by)
    return certificate


def _certificate_change(certificate: Certificate, name: str, *, by, reason: str) -> Certificate:
    if not (reason or "").strip():
        # Say first why the action is impossible, if it is, and only then that it needs a
        # reason; checked against the stored state, as the caller's copy may be older.
        decision = check_transition(Certificate.objects.get(pk=certificate.pk), name, by)
        if not decision:
            raise TransitionRefused(decision)
    # perform_transition checks everything again under the row lock, against the stored state.
    return _certificate_transition(certificate, name, by=by, note=_reason(reason))


def suspend_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    return _certificate_change(certificate, "suspend", by=by, reason=reason)


def reinstate_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    return _certificate_change(certificate, "reinstate", by=by, reason=reason)


def revoke_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    return _certificate_change(certificate, "revoke", by=by, reason=reason)


# Expiry (run daily by the expire_certifications command or task)


def expire_due(*, today: datetime.date | None = None) -> dict[str, list[str]]:
    """Expire permits and certificates whose date has passed; a permit that expires suspends
    the active certificates that rest on it. Returns what changed, by kind."""
    today = today or timezone.localdate()
    actor = system_user()
    changed: dict[str, list[str]] = {"permits": [], "suspended": [], "certificates": []}
    for case in PermitCase.objects.filter(status=PermitCase.Status.ISSUED, valid_until__lt=today):
        with transaction.atomic():
            case = perform_transition(
                case,
                "expire",
                by=actor,
                note=_("Valid until %(date)s.") % {"date": case.valid_until},
            )
            changed["permits"].append(case.permit_number)
            for certificate in case.certificates.filter(status=Certificate.Status.ACTIVE):
                _certificate_transition(
                    certificate,
                    "suspend",
                    by=actor,
                    note=_("The distribution permit %(number)s expired.")
                    % {"number": case.permit_number},
                )
                changed["suspended"].append(certificate.number)
    # Then certificates past their own date, suspended ones included: a certificate capped at
    # its permit's date is first suspended by the permit (the cascade, on record) and then
    # expired, its final state.
    for certificate in Certificate.objects.filter(
        status__in=[Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED], valid_until__lt=today
    ):
        _certificate_transition(
            certificate,
            "expire",
            by=actor,
            note=_("Valid until %(date)s.") % {"date": certificate.valid_until},
        )
        changed["certificates"].append(certificate.number)
    return changed
