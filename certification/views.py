"""Pages of the certification stage: the permit decision after curation, the permit case with
its document checklist (applicant and staff), the approver's queue and decision page, the
certificates (officers, applicants, print) and the public verification page.

Function-based views, like curation: each parses input with a form, calls one selector or one
service and renders or redirects. A case, document or certificate the user may not see is 404
(the selectors scope every read); a refused action comes back with the service's reasons, and a
form with bad input is shown again with the typed values and the reasons.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role, is_ministry_officer
from audit.selectors import timeline_for
from audit.workflow import Decision, TransitionRefused, check_transition
from certification import permissions, presentation, selectors, services
from certification.filters import CertificateFilter, PermitBoardFilter
from certification.forms import (
    ApproveForm,
    DocumentUploadForm,
    InfoRequestForm,
    InfoResponseForm,
    IssuePermitForm,
    OpenPermitCaseForm,
    RequiredReasonForm,
    SubmitCaseForm,
    VerifyNumberForm,
)
from certification.models import ChecklistItem, PermitCase
from curation import permissions as curation_permissions
from curation import presentation as curation_presentation
from curation import selectors as curation_selectors
from curation.deadlines import deadline_for
from curation.models import Application
from vendors.files import serve_private_file

S = PermitCase.Status
A = Application.Status
PAGE_SIZE = 25
# Documents are verified while the case is prepared, or while Kemenkes waits for information.
REVIEWABLE = (S.PREPARING, S.INFO_REQUESTED)
# Staff steps of a permit case, in the order the page offers them, with their button labels.
CASE_ACTIONS = {
    "submit": gettext_lazy("Mark as submitted to Kemenkes"),
    "start_review": gettext_lazy("Kemenkes started the review"),
    "request_info": gettext_lazy("Record a request for information"),
    "resume_review": gettext_lazy("Information sent: the review resumes"),
    "issue": gettext_lazy("Record the issued permit"),
    "refuse": gettext_lazy("Record the refusal"),
}
CASE_FORMS = {
    "submit": SubmitCaseForm,
    "request_info": InfoRequestForm,
    "issue": IssuePermitForm,
    "refuse": RequiredReasonForm,
}
CERTIFICATE_ACTIONS = {
    "suspend": gettext_lazy("Suspend"),
    "reinstate": gettext_lazy("Reinstate"),
    "revoke": gettext_lazy("Revoke"),
}


def _perform(request, call, success: str) -> bool:
    """Run one service call; say what happened, or each reason it was refused."""
    try:
        call()
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    except PermissionDenied as denied:
        messages.error(request, str(denied) or _("You are not allowed to do this."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
        return True
    return False


def _attempt(request, form, call, success: str) -> bool:
    """Run one service call for a valid form; a refusal becomes the form's errors, so the page
    shows the reasons beside the values the user typed."""
    try:
        call()
    except TransitionRefused as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
    except PermissionDenied as denied:
        form.add_error(None, str(denied) or _("You are not allowed to do this."))
    else:
        messages.success(request, success)
        return True
    return False


def _typed_text(request, form, name: str) -> str | None:
    """The text typed into ``name``: "" when left empty (the service says whether it is needed),
    None — with the form's reasons shown — when it cannot be kept (too long, NUL bytes). The
    caller then does nothing: acting without the text would silently drop it."""
    if form.is_valid():
        return form.cleaned_data[name]
    if not (request.POST.get(name) or "").strip():
        return ""
    for error in form.errors.get(name, []):
        messages.error(request, f"{form[name].label}: {error}")
    return None


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _require_staff(user) -> None:
    if not has_role(user, Role.STAFF):
        raise PermissionDenied(_("Only ministry staff may do this."))


def _require_officer(user) -> None:
    if not is_ministry_officer(user):
        raise PermissionDenied(_("Only ministry officers may see this page."))


def _require_approver(user) -> None:
    if not has_role(user, Role.APPROVER):
        raise PermissionDenied(_("Only an approving official may see the approvals."))


def _prefetched_case(application) -> PermitCase | None:
    """The application's permit case from the queue's prefetch (None when there is none)."""
    try:
        return application.permit_case
    except ObjectDoesNotExist:
        return None


# The panel on the curation application page (registered in apps.py)


def application_panel(user, application) -> dict | None:
    """The permit decision for staff once the product passed; afterwards, links to the permit
    case, the approval page and the certificate for those who may see them."""
    is_officer = is_ministry_officer(user)
    if not (is_officer or curation_permissions.is_applicant_of(user, application)):
        return None
    panel = {"template": "certification/_application_panel.html", "application": application}
    if application.status == A.PASSED:
        if not has_role(user, Role.STAFF):
            return None
        panel["kind"] = services.required_permit_kind(application)
        panel["open_form"] = OpenPermitCaseForm(auto_id="permit-%s")
        return panel
    if application.status not in (A.PERMIT_SUPPORT, A.AWAITING_APPROVAL, A.APPROVED, A.REJECTED):
        return None
    panel["case"] = selectors.case_of_application(application)
    if application.status == A.APPROVED:
        panel["certificate"] = selectors.certificate_of_application(application)
    panel["can_decide"] = (
        has_role(user, Role.APPROVER) and application.status == A.AWAITING_APPROVAL
    )
    if not (panel["case"] or panel.get("certificate") or panel["can_decide"]):
        return None
    return panel


# Staff: the permit decision after curation


@login_required
def passed_list(request):
    _require_staff(request.user)
    today = timezone.localdate()
    page = Paginator(selectors.passed_applications(today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kinds = selectors.permit_kinds_by_category()
    rows = [
        {
            "application": application,
            "deadline": deadline_for(application, today),
            "kind": kinds.get(application.product.category, ""),
            "open_form": OpenPermitCaseForm(auto_id=f"open-{application.pk}-%s"),
        }
        for application in page.object_list
    ]
    return render(request, "certification/passed.html", {"page": page, "rows": rows})


@login_required
@require_POST
def permit_open(request, pk):
    application = curation_selectors.get_application_for(request.user, pk)
    form = OpenPermitCaseForm(request.POST)
    form.is_valid()
    existing = bool(form.cleaned_data.get("existing_permit"))
    opened = {}

    def call():
        opened["case"] = services.open_permit_case(
            application=application, by=request.user, existing_permit=existing
        )

    success = (
        _("Permit case opened. Check the vendor's permit, then record its number.")
        if existing
        else _("Permit case opened. The vendor can now upload the documents of the checklist.")
    )
    if _perform(request, call, success):
        return redirect("certification:case", pk=opened["case"].pk)
    return redirect(_next_or(request, reverse("certification:passed")))


@login_required
@require_POST
def permit_skip(request, pk):
    application = curation_selectors.get_application_for(request.user, pk)
    _perform(
        request,
        lambda: services.skip_permit(application=application, by=request.user),
        _("%(product)s needs no permit: it now waits for approval.")
        % {"product": application.product.name},
    )
    return redirect(_next_or(request, reverse("certification:passed")))


# The permit case (applicant and staff)


@login_required
def my_permits(request):
    cases = list(selectors.cases_of_applicant(request.user))
    return render(request, "certification/my_permits.html", {"cases": cases})


def _staff_actions(case: PermitCase, user, forms: dict) -> list[dict]:
    """The steps staff may record from the case's state, each with its form and, when it may
    not run yet, the reasons (e.g. the documents still to verify before submitting)."""
    actions = []
    for name, label in CASE_ACTIONS.items():
        if not getattr(case, name)._django_fsm.has_transition(case.status):
            continue
        # An existing permit is accepted, never submitted; a new one is issued after review.
        if name == "submit" and case.existing_permit:
            continue
        if name == "issue" and case.status == S.PREPARING and not case.existing_permit:
            continue
        form = forms.get(name)
        if form is None and name in CASE_FORMS:
            extra = {"kind": case.kind} if name == "issue" else {}
            form = CASE_FORMS[name](auto_id=f"{name}-%s", **extra)
        if name == "issue" and case.existing_permit:
            label = gettext_lazy("Accept the existing permit")
        actions.append(
            {
                "name": name,
                "label": label,
                "check": check_transition(case, name, user),
                "form": form,
            }
        )
    return actions


def _case_page(request, case: PermitCase, forms: dict | None = None):
    user = request.user
    forms = forms or {}
    application = case.application
    is_owner = curation_permissions.is_applicant_of(user, application)
    is_staff = has_role(user, Role.STAFF)
    upload_check = permissions.can_upload_documents(user, case) if is_owner else Decision.deny()
    can_upload = bool(upload_check) and not case.existing_permit
    checklist = selectors.checklist_of(case)
    for row in checklist:
        key = f"item-{row['item'].pk}"
        row["form"] = (
            (forms.get(key) or DocumentUploadForm(auto_id=f"{key}-%s")) if can_upload else None
        )
    requests = selectors.info_requests_of(case)
    open_requests = [r for r in requests if r.closed_at is None]
    for info in open_requests:
        key = f"answer-{info.pk}"
        info.answer_form = (
            forms.get(key)
            or InfoResponseForm(auto_id=f"{key}-%s", initial={"response": info.response})
            if bool(upload_check)
            else None
        )
    context = {
        "case": case,
        "application": application,
        "vendor": application.vendor,
        "is_owner": is_owner,
        "is_officer": is_ministry_officer(user),
        "is_staff": is_staff,
        "steps": presentation.case_steps(case),
        "checklist": checklist,
        "checklist_has_documents": any(row["current"] or row["older"] for row in checklist),
        "can_upload": can_upload,
        "can_review": is_staff and case.status in REVIEWABLE,
        "open_requests": open_requests,
        "closed_requests": [r for r in requests if r.closed_at is not None],
        "actions": _staff_actions(case, user, forms) if is_staff else [],
        "timeline": timeline_for(case),
        "today": timezone.localdate(),
    }
    return render(request, "certification/case_detail.html", context)


@login_required
def case_detail(request, pk):
    return _case_page(request, selectors.get_case_for(request.user, pk))


def _upload_refused(request, case):
    """Back to the case with the reason when the user may not add to it now (the page then
    shows no upload or answer form that could carry the reason)."""
    decision = permissions.can_upload_documents(request.user, case)
    if decision:
        return None
    messages.error(request, decision.reason)
    return redirect("certification:case", pk=case.pk)


@login_required
@require_POST
def document_upload(request, pk, item_pk):
    case = selectors.get_case_for(request.user, pk)
    item = get_object_or_404(ChecklistItem, pk=item_pk, kind=case.kind)
    if refused := _upload_refused(request, case):
        return refused
    key = f"item-{item.pk}"
    form = DocumentUploadForm(request.POST, request.FILES, auto_id=f"{key}-%s")
    if form.is_valid() and _attempt(
        request,
        form,
        lambda: services.upload_document(case=case, item=item, by=request.user, upload=form.upload),
        _("%(document)s uploaded. Ministry staff will check it.") % {"document": item.name},
    ):
        return redirect(reverse("certification:case", args=[case.pk]) + f"#{key}")
    return _case_page(request, case, {key: form})


@login_required
@require_POST
def info_answer(request, pk, request_pk):
    case = selectors.get_case_for(request.user, pk)
    info = get_object_or_404(case.info_requests.all(), pk=request_pk)
    if refused := _upload_refused(request, case):
        return refused
    key = f"answer-{info.pk}"
    form = InfoResponseForm(request.POST, auto_id=f"{key}-%s")
    if form.is_valid() and _attempt(
        request,
        form,
        lambda: services.respond_to_info_request(
            request=info, by=request.user, response=form.cleaned_data["response"]
        ),
        _("Answer sent. Ministry staff pass it on to Kemenkes."),
    ):
        return redirect("certification:case", pk=case.pk)
    return _case_page(request, case, {key: form})


@login_required
def document_file(request, pk):
    """A permit document, for the vendor's owners and ministry officers only. Always downloaded
    (never shown inside Kurasi's pages), under a generated name."""
    document = selectors.get_document_for(request.user, pk)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/webp": "webp"}.get(
        document.content_type, "jpg"
    )
    name = f"{document.item.code}-{document.uploaded_at:%Y%m%d-%H%M}.{extension}"
    response = serve_private_file(document.file, document.content_type, download_name=name)
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_POST
def document_review(request, pk, outcome):
    document = selectors.get_document_for(request.user, pk)
    by = request.user
    if outcome == "verify":
        _perform(
            request,
            lambda: services.verify_document(document=document, by=by),
            _("Document verified."),
        )
    elif outcome == "reject":
        reason = _typed_text(request, RequiredReasonForm(request.POST), "reason")
        if reason is not None:
            _perform(
                request,
                lambda: services.reject_document(document=document, by=by, reason=reason),
                _("Document rejected; the vendor sees your reason and can upload it again."),
            )
    else:
        raise Http404
    return redirect(
        reverse("certification:case", args=[document.case_id]) + f"#item-{document.item_id}"
    )


@login_required
@require_POST
def case_action(request, pk, action):
    if action not in CASE_ACTIONS:
        raise Http404
    case = selectors.get_case_for(request.user, pk)
    _require_staff(request.user)
    by = request.user
    if action in ("start_review", "resume_review"):
        service = (
            services.start_permit_review
            if action == "start_review"
            else services.resume_permit_review
        )
        _perform(request, lambda: service(case=case, by=by), _("Recorded."))
        return redirect("certification:case", pk=case.pk)
    extra = {"kind": case.kind} if action == "issue" else {}
    form = CASE_FORMS[action](request.POST, auto_id=f"{action}-%s", **extra)
    if form.is_valid():
        data = form.cleaned_data
        calls = {
            "submit": lambda: services.submit_permit_case(
                case=case, by=by, reference=data["reference"], submitted_on=data["submitted_on"]
            ),
            "request_info": lambda: services.request_permit_info(
                case=case, by=by, message=data["message"], due_on=data["due_on"]
            ),
            "issue": lambda: services.issue_permit(
                case=case,
                by=by,
                permit_number=data["permit_number"],
                issued_on=data["issued_on"],
                valid_until=data["valid_until"],
            ),
            "refuse": lambda: services.refuse_permit(case=case, by=by, reason=data["reason"]),
        }
        done = {
            "submit": _("Recorded as submitted to Kemenkes."),
            "request_info": _("Request recorded; the vendor sees it on the permit page."),
            "issue": _("Permit recorded. The application now waits for approval."),
            "refuse": _("Refusal recorded."),
        }
        if _attempt(request, form, calls[action], done[action]):
            return redirect("certification:case", pk=case.pk)
    return _case_page(request, case, {action: form})


@login_required
def permit_board(request):
    _require_officer(request.user)
    today = timezone.localdate()
    board = PermitBoardFilter(request.GET or None, queryset=selectors.permit_board(today))
    page = Paginator(board.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    required = selectors.required_documents_by_kind()
    rows = [
        {
            "case": case,
            "required": required.get(case.kind, 0),
            # The application's clock in permit support; afterwards the approval queue shows it.
            "deadline": deadline_for(case.application, today)
            if case.application.status == A.PERMIT_SUPPORT
            else None,
        }
        for case in page.object_list
    ]
    return render(
        request,
        "certification/permit_board.html",
        {"filter": board, "page": page, "rows": rows, "today": today},
    )


# Approval


@login_required
def approval_queue(request):
    _require_approver(request.user)
    today = timezone.localdate()
    page = Paginator(selectors.approval_queue(today), PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = selectors.permit_kinds_by_category()
    rows = [
        {
            "application": application,
            "deadline": deadline_for(application, today),
            "case": _prefetched_case(application),
            "kind": kinds.get(application.product.category, ""),
        }
        for application in page.object_list
    ]
    return render(request, "certification/approval_queue.html", {"page": page, "rows": rows})


def _permit_blocker(application, case, kind: str) -> str:
    """Why the permit does not allow approval yet, in the service's words ("" when it does)."""
    if not kind:
        return ""
    if case is None or case.status != S.ISSUED or case.valid_until < timezone.localdate():
        return _("This product needs a valid distribution permit (%(kind)s) before approval.") % {
            "kind": kind
        }
    return ""


def _merged_timeline(application, case) -> list:
    """The application's and its permit case's transitions, in the order they happened."""
    entries = timeline_for(application)
    if case is not None:
        entries += timeline_for(case)
    return sorted(entries, key=lambda entry: entry.sequence)


@login_required
def approval_detail(request, pk):
    user = request.user
    _require_approver(user)
    application = curation_selectors.get_application_for(user, pk)
    case = selectors.case_of_application(application)
    kind = services.required_permit_kind(application)
    waiting = application.status == A.AWAITING_APPROVAL
    approve_check = permissions.can_approve_application(user, application)
    blocker = _permit_blocker(application, case, kind) if waiting else ""
    if blocker:
        approve_check = Decision.deny(*approve_check.reasons, blocker)
    names = [
        curation_presentation.curator_name(assignment)
        for assignment in curation_presentation.submitted_in_order(application)
    ]
    context = {
        "application": application,
        "vendor": application.vendor,
        "waiting": waiting,
        "kind": kind,
        "case": case,
        "checklist": selectors.checklist_of(case) if case else [],
        "info_requests": selectors.info_requests_of(case) if case else [],
        "spec_rows": curation_presentation.specification_rows(application),
        "photos": curation_selectors.application_photos(application),
        "decision": curation_presentation.decision_table(
            curation_selectors.decision_visible_to(user, application), names
        ),
        "approve_check": approve_check,
        "reject_check": (
            permissions.can_approve_application(user, application)
            and check_transition(application, "reject", user)
        )
        if waiting
        else None,
        "approve_form": ApproveForm(auto_id="approve-%s"),
        "reject_form": RequiredReasonForm(auto_id="reject-%s"),
        "certificate": selectors.certificate_of_application(application)
        if application.status == A.APPROVED
        else None,
        "timeline": _merged_timeline(application, case),
    }
    return render(request, "certification/approval_detail.html", context)


@login_required
@require_POST
def approval_approve(request, pk):
    _require_approver(request.user)
    application = curation_selectors.get_application_for(request.user, pk)
    note = _typed_text(request, ApproveForm(request.POST), "note")
    if note is None:
        return redirect("certification:approval", pk=application.pk)
    try:
        certificate = services.approve_application(
            application=application, by=request.user, note=note
        )
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    except PermissionDenied as denied:
        messages.error(request, str(denied) or _("You are not allowed to do this."))
    else:
        messages.success(
            request,
            _("Approved. Certificate %(number)s is issued, valid until %(date)s.")
            % {"number": certificate.number, "date": certificate.valid_until.strftime("%d-%m-%Y")},
        )
    return redirect("certification:approval", pk=application.pk)


@login_required
@require_POST
def approval_reject(request, pk):
    _require_approver(request.user)
    application = curation_selectors.get_application_for(request.user, pk)
    reason = _typed_text(request, RequiredReasonForm(request.POST), "reason")
    if reason is None:
        return redirect("certification:approval", pk=application.pk)
    if _perform(
        request,
        lambda: services.reject_application_at_approval(
            application=application, by=request.user, reason=reason
        ),
        _("The application is rejected; the vendor sees your reason."),
    ):
        return redirect("certification:approvals")
    return redirect("certification:approval", pk=application.pk)


# Certificates


@login_required
def certificate_list(request):
    user = request.user
    if not is_ministry_officer(user):
        if has_role(user, Role.APPLICANT):
            return redirect("certification:my_certificates")
        raise PermissionDenied(_("Only ministry officers may see every certificate."))
    listing = CertificateFilter(request.GET or None, queryset=selectors.certificates_for_officers())
    page = Paginator(listing.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = has_role(user, Role.APPROVER)
    today = timezone.localdate()
    rows = []
    for certificate in page.object_list:
        actions = []
        if can_manage:
            for name, label in CERTIFICATE_ACTIONS.items():
                if getattr(certificate, name)._django_fsm.has_transition(certificate.status):
                    actions.append(
                        {
                            "name": name,
                            "label": label,
                            "check": check_transition(certificate, name, user),
                        }
                    )
        rows.append(
            {
                "certificate": certificate,
                "status": presentation.effective_status(certificate, today),
                "actions": actions,
            }
        )
    return render(
        request,
        "certification/certificate_list.html",
        {"filter": listing, "page": page, "rows": rows, "can_manage": can_manage},
    )


@login_required
def my_certificates(request):
    today = timezone.localdate()
    rows = [
        {"certificate": c, "status": presentation.effective_status(c, today)}
        for c in selectors.certificates_of_applicant(request.user)
    ]
    return render(request, "certification/my_certificates.html", {"rows": rows})


@login_required
@require_POST
def certificate_action(request, pk, action):
    if action not in CERTIFICATE_ACTIONS:
        raise Http404
    certificate = selectors.get_certificate_for(request.user, pk)
    reason = _typed_text(request, RequiredReasonForm(request.POST), "reason")
    if reason is None:
        return redirect(_next_or(request, reverse("certification:certificates")))
    service = {
        "suspend": services.suspend_certificate,
        "reinstate": services.reinstate_certificate,
        "revoke": services.revoke_certificate,
    }[action]
    done = {
        "suspend": _("Certificate %(number)s is suspended."),
        "reinstate": _("Certificate %(number)s is active again."),
        "revoke": _("Certificate %(number)s is revoked."),
    }[action] % {"number": certificate.number}
    _perform(
        request, lambda: service(certificate=certificate, by=request.user, reason=reason), done
    )
    return redirect(_next_or(request, reverse("certification:certificates")))


def _qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    return mark_safe(  # noqa: S308 — segno writes the SVG itself, from our own URL
        qr.svg_inline(scale=4, title=_("QR code: verify this certificate"), dark="#000")
    )


@login_required
def certificate_print(request, pk):
    certificate = selectors.get_certificate_for(request.user, pk)
    verify_url = request.build_absolute_uri(
        reverse("certification:verify", args=[certificate.number])
    )
    return render(
        request,
        "certification/certificate_print.html",
        {
            "certificate": certificate,
            "status": presentation.effective_status(certificate, timezone.localdate()),
            "spec_rows": presentation.certified_specification(certificate),
            "verify_url": verify_url,
            "qr_svg": _qr_svg(verify_url),
            "is_officer": is_ministry_officer(request.user),
        },
    )


# Public verification (no login)


@never_cache
def verify_lookup(request):
    form = VerifyNumberForm(request.GET or None)
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        return redirect("certification:verify", number=number)
    return render(request, "certification/verify_lookup.html", {"form": form})


@never_cache
def verify_certificate(request, number):
    certificate = selectors.public_certificate(number)
    if certificate is None:
        return render(
            request,
            "certification/verify_not_found.html",
            {"number": number, "form": VerifyNumberForm(initial={"number": number})},
            status=404,
        )
    return render(
        request,
        "certification/verify.html",
        {
            "certificate": certificate,
            "status": presentation.effective_status(certificate, timezone.localdate()),
        },
    )
