"""Pages of the curation stage for applicants, ministry staff, assessor leads and curators
(function-based views, like vendors).

Each view parses input with a form, calls one selector or one service and renders or redirects.
Applications the user may not see are 404 (``selectors.get_application_for``); a refused action
comes back as a message carrying the service's reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role, is_ministry_officer
from audit.selectors import latest_transition, timeline_for
from audit.workflow import TransitionRefused, check_transition
from curation import permissions, presentation, selectors, services
from curation.deadlines import deadline_for
from curation.filters import ScreeningQueueFilter
from curation.forms import (
    BulkScreenForm,
    ConflictForm,
    CuratorChoiceForm,
    EndAssignmentForm,
    EnterProductForm,
    NoConflictForm,
    ReassignForm,
    RequestSampleForm,
    SampleReceiptForm,
    ScoreSheetForm,
    ShipmentForm,
)
from curation.models import Application, Sample
from curation.panels import panels_for
from vendors.files import serve_photo
from vendors.forms import ReasonForm
from vendors.selectors import vendors_owned_by

S = Application.Status
PAGE_SIZE = 25
DECIDED = (S.PASSED, S.CURATION_FAILED, S.PERMIT_SUPPORT, S.AWAITING_APPROVAL, S.APPROVED)
# Screening transitions offered on the application page when check_transition allows them.
SCREENING_ACTIONS = ("return_for_changes", "reject", "allow_revision")


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


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        for error in errors:
            if name == "__all__":
                messages.error(request, error)
            else:
                messages.error(request, f"{form[name].label}: {error}")


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _is_only_curator(user, application) -> bool:
    """An assigned curator who sees the application through the assignment alone."""
    return (
        permissions.active_assignment(user, application) is not None
        and not permissions.is_applicant_of(user, application)
        and not is_ministry_officer(user)
        and not permissions.is_assessor_lead(user, application)
    )


def _application_page(user, application) -> str:
    if _is_only_curator(user, application):
        return reverse("curation:curator_application", args=[application.pk])
    return reverse("curation:detail", args=[application.pk])


def _own_products(user) -> list:
    return [product for vendor in vendors_owned_by(user) for product in vendor.products.all()]


def _latest_sample(application):
    samples = application.samples.all()
    return samples[0] if samples else None


def _sample_context(user, application) -> dict:
    sample = _latest_sample(application)
    context = {"sample": sample, "shipment_form": None, "receipt_form": None}
    if sample is None:
        return context
    if sample.status == Sample.Status.REQUESTED and permissions.can_ship_sample(sample, user):
        context["shipment_form"] = ShipmentForm()
    if sample.status in (Sample.Status.REQUESTED, Sample.Status.SHIPPED) and (
        permissions.can_handle_sample(sample, user)
    ):
        context["receipt_form"] = SampleReceiptForm(initial={"condition": "good"})
    return context


def _results_context(user, application, *, show_names: bool, rubric=None) -> dict:
    """The scoresheets and the decision the user may see, labelled for them."""
    submitted = presentation.submitted_in_order(application)
    own = permissions.active_assignment(user, application)
    # Officers and the lead see who scored; the applicant and other curators see numbers.
    names, columns = [], []
    for number, assignment in enumerate(submitted, start=1):
        if own is not None and assignment.pk == own.pk:
            name = _("You")
        elif show_names:
            name = presentation.curator_name(assignment)
        else:
            name = ""
        names.append(name)
        columns.append((assignment, name or _("Curator %(n)s") % {"n": number}))
    visible = selectors.scores_visible_to(user, application)
    sheets = None
    if visible:
        rubric = rubric or selectors.rubric_for(application)
        criteria = list(rubric.criteria.all()) if rubric else []
        sheets = presentation.scoresheets(criteria, columns, visible)
    return {
        "sheets": sheets,
        "decision": presentation.decision_table(
            selectors.decision_visible_to(user, application), names
        ),
    }


def _assignment_context(user, application) -> dict:
    """Curators on the application and the ones that could be added, for staff and the lead."""
    if not permissions.can_assign(user, application):
        return {"can_assign": False}
    active = [a for a in application.assignments.all() if a.ended_at is None]
    open_for_curators = application.status in (S.SAMPLE_REQUESTED, S.IN_CURATION)
    return {
        "can_assign": True,
        "assignments": application.assignments.all(),
        "active_count": len(active),
        "suggestions": selectors.suggest_curators(application) if open_for_curators else [],
        "open_for_curators": open_for_curators,
    }


DECISION_TRANSITIONS = ("pass_curation", "fail_curation")


def _timeline(user, application) -> list:
    """The application's history; the applicant sees the assessor's people as the assessor,
    as in the decision table, so curators are not pressed by name."""
    entries = timeline_for(application)
    if permissions.is_applicant_of(user, application) and not is_ministry_officer(user):
        assessor_people = {a.curator.user_id for a in application.assignments.all()}
        if application.assessor is not None:
            assessor_people.add(application.assessor.lead_id)
        label = application.assessor.name if application.assessor else _("the assessor")
        for entry in entries:
            if entry.actor_id in assessor_people:
                entry.actor_label = label
            # The decision's note carries the scores: it waits for the release, like the table.
            if entry.transition in DECISION_TRANSITIONS and not application.result_released_at:
                entry.note = _("The reasons are shown once the ministry releases the result.")
    return entries


# Applicant


@login_required
def programme_list(request):
    user = request.user
    if not has_role(user, Role.APPLICANT):
        raise PermissionDenied(_("Only UMKM applicants may enter products into a programme."))
    products = _own_products(user)
    entered = {
        (a.programme_id, a.product_id): a
        for a in selectors.applications_of_applicant(user)
        if a.status not in Application.INACTIVE_STATES
    }
    cards = []
    for programme in selectors.open_programmes():
        eligible = [p for p in products if programme.accepts(p.category)]
        free = [p for p in eligible if (programme.pk, p.pk) not in entered]
        cards.append(
            {
                "programme": programme,
                "entered": [
                    entered[(programme.pk, p.pk)]
                    for p in eligible
                    if (programme.pk, p.pk) in entered
                ],
                "form": EnterProductForm(products=free, auto_id=f"programme-{programme.pk}-%s")
                if free
                else None,
            }
        )
    return render(
        request, "curation/programmes.html", {"cards": cards, "has_products": bool(products)}
    )


@login_required
@require_POST
def programme_enter(request, pk):
    programme = get_object_or_404(selectors.open_programmes(), pk=pk)
    form = EnterProductForm(request.POST, products=_own_products(request.user))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("curation:programmes")
    product = form.cleaned_data["product"]
    try:
        application = services.create_application(
            vendor=product.vendor, product=product, programme=programme, by=request.user
        )
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        return redirect("curation:programmes")
    except PermissionDenied as denied:
        messages.error(request, str(denied))
        return redirect("curation:programmes")
    messages.success(
        request, _("Application saved as a draft. Check it, then submit it to the programme.")
    )
    return redirect("curation:detail", pk=application.pk)


@login_required
def my_applications(request):
    rows = presentation.applicant_rows(
        selectors.applications_of_applicant(request.user), timezone.localdate()
    )
    return render(request, "curation/my_applications.html", {"rows": rows})


def portal_section(user) -> dict | None:
    """The "My applications" section of the applicant portal (registered in apps.py)."""
    if not has_role(user, Role.APPLICANT):
        return None
    return {
        "template": "curation/_portal_applications.html",
        "rows": presentation.applicant_rows(
            selectors.applications_of_applicant(user), timezone.localdate()
        ),
    }


@login_required
def application_detail(request, pk):
    user = request.user
    application = selectors.get_application_for(user, pk)
    if _is_only_curator(user, application):
        return redirect("curation:curator_application", pk=application.pk)
    is_owner = permissions.is_applicant_of(user, application)
    is_staff = has_role(user, Role.STAFF)
    submit_name = "resubmit" if application.status == S.RETURNED else "submit"
    screening_actions = []
    for name in SCREENING_ACTIONS:
        if check_transition(application, name, user):
            transition = getattr(application, name)._django_fsm.get_transition(application.status)
            screening_actions.append(
                {
                    "name": name,
                    "label": transition.custom["label"],
                    "needs_reason": transition.custom.get("needs_reason"),
                }
            )
    context = {
        "application": application,
        "vendor": application.vendor,
        "is_owner": is_owner,
        "is_officer": is_ministry_officer(user),
        "deadline": deadline_for(application, timezone.localdate()),
        "your_turn": presentation.applicants_turn(
            application,
            sample_to_ship=any(
                sample.status == Sample.Status.REQUESTED for sample in application.samples.all()
            ),
        ),
        "steps": presentation.application_steps(application),
        "spec_rows": presentation.specification_rows(application),
        "photos": selectors.application_photos(application),
        "submit_check": check_transition(application, submit_name, user)
        if is_owner and application.status in (S.DRAFT, S.RETURNED)
        else None,
        "can_withdraw": is_owner and check_transition(application, "withdraw", user),
        "screening_actions": screening_actions,
        "request_sample_form": RequestSampleForm(
            initial={"assessor": application.programme.assessor_id}
        )
        if is_staff and application.status == S.SUBMITTED
        else None,
        "can_release": is_staff
        and application.status in DECIDED
        and application.result_released_at is None,
        "last_message": latest_transition(application)
        if application.status in (S.RETURNED, S.REJECTED)
        else None,
        "own_assignment": permissions.active_assignment(user, application),
        "timeline": _timeline(user, application),
        "panels": panels_for(user, application),
        **_sample_context(user, application),
        **_assignment_context(user, application),
        **_results_context(user, application, show_names=not is_owner),
    }
    return render(request, "curation/application_detail.html", context)


@login_required
@require_POST
def application_submit(request, pk):
    application = selectors.get_application_for(request.user, pk)
    _perform(
        request,
        lambda: services.submit_application(application=application, by=request.user),
        _("Submitted. Ministry staff will screen your application."),
    )
    return redirect("curation:detail", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = selectors.get_application_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("curation:detail", pk=application.pk)
    _perform(
        request,
        lambda: services.withdraw_application(
            application=application, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The application is withdrawn."),
    )
    return redirect("curation:detail", pk=application.pk)


def _sample_of(application, sample_pk):
    for sample in application.samples.all():
        if sample.pk == sample_pk:
            return sample
    raise Http404


@login_required
@require_POST
def sample_ship(request, pk, sample_pk):
    application = selectors.get_application_for(request.user, pk)
    sample = _sample_of(application, sample_pk)
    form = ShipmentForm(request.POST)
    if form.is_valid():
        _perform(
            request,
            lambda: services.record_shipment(sample=sample, by=request.user, **form.cleaned_data),
            _("Shipment recorded. The assessor will confirm when the sample arrives."),
        )
    else:
        _form_errors(request, form)
    return redirect(_application_page(request.user, application))


@login_required
@require_POST
def sample_receive(request, pk, sample_pk):
    application = selectors.get_application_for(request.user, pk)
    sample = _sample_of(application, sample_pk)
    form = SampleReceiptForm(request.POST)
    if form.is_valid():
        _perform(
            request,
            lambda: services.record_sample_receipt(
                sample=sample,
                by=request.user,
                quantity_received=form.cleaned_data["quantity_received"],
                condition=form.cleaned_data["condition"],
                notes=form.cleaned_data["notes"],
            ),
            _("Sample receipt recorded. Curation has started."),
        )
    else:
        _form_errors(request, form)
    return redirect(_application_page(request.user, application))


@login_required
def application_photo(request, pk, photo_id, variant):
    """A photo frozen into the application, for everyone who may see the application."""
    application = selectors.get_application_for(request.user, pk)
    if not permissions.can_view_application(request.user, application):
        raise Http404
    return serve_photo(selectors.get_application_photo(application, photo_id), variant)


# Staff


@login_required
def screening_queue(request):
    if not is_ministry_officer(request.user):
        raise PermissionDenied(_("Only ministry officers may see the application queue."))
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = S.SUBMITTED
    today = timezone.localdate()
    queue = ScreeningQueueFilter(data, queryset=selectors.screening_queue(today))
    page = Paginator(queue.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"application": application, "deadline": deadline_for(application, today)}
        for application in page.object_list
    ]
    return render(
        request,
        "curation/screening_queue.html",
        {
            "filter": queue,
            "page": page,
            "rows": rows,
            "can_screen": has_role(request.user, Role.STAFF),
            "bulk_form": BulkScreenForm(queryset=Application.objects.none()),
        },
    )


@login_required
@require_POST
def screening_bulk(request):
    if not has_role(request.user, Role.STAFF):
        raise PermissionDenied(_("Only ministry staff may screen applications."))
    back = _next_or(request, reverse("curation:screening_queue"))
    # Whole rows: the services read and save the applications the form hands back.
    form = BulkScreenForm(request.POST, queryset=selectors.screening_queue().defer(None))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    results = services.bulk_screen(
        applications=form.cleaned_data["applications"],
        action=form.cleaned_data["action"],
        by=request.user,
        reason=form.cleaned_data["reason"],
    )
    for result in results:
        text = _("%(reference)s · %(product)s: %(message)s") % {
            "reference": result.application.reference,
            "product": result.application.product.name,
            "message": result.message,
        }
        (messages.success if result.ok else messages.error)(request, text)
    return redirect(back)


@login_required
@require_POST
def application_screen(request, pk, action):
    application = selectors.get_application_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("curation:detail", pk=application.pk)
    reason = form.cleaned_data["reason"]
    by = request.user
    calls = {
        "return_for_changes": lambda: services.return_application(
            application=application, by=by, reason=reason
        ),
        "reject": lambda: services.reject_application(
            application=application, by=by, reason=reason
        ),
        "allow_revision": lambda: services.allow_revision(
            application=application, by=by, note=reason
        ),
        "release_result": lambda: services.release_result(application=application, by=by),
    }
    if action not in calls:
        raise Http404
    done = {
        "return_for_changes": _("Returned to the applicant for changes."),
        "reject": _("The application is rejected."),
        "allow_revision": _("The applicant may revise and submit again."),
        "release_result": _("The result is released: the applicant now sees the scores."),
    }
    _perform(request, calls[action], done[action])
    return redirect("curation:detail", pk=application.pk)


@login_required
@require_POST
def application_request_sample(request, pk):
    application = selectors.get_application_for(request.user, pk)
    form = RequestSampleForm(request.POST)
    if form.is_valid():
        _perform(
            request,
            lambda: services.request_sample(
                application=application,
                by=request.user,
                quantity=form.cleaned_data["quantity"],
                instructions=form.cleaned_data["instructions"],
                assessor=form.cleaned_data["assessor"],
            ),
            _("Sample requested. Now assign the curators."),
        )
    else:
        _form_errors(request, form)
    return redirect("curation:detail", pk=application.pk)


@login_required
@require_POST
def application_assign(request, pk):
    application = selectors.get_application_for(request.user, pk)
    form = CuratorChoiceForm(request.POST)
    if form.is_valid():
        curator = form.cleaned_data["curator"]
        _perform(
            request,
            lambda: services.assign_curator(
                application=application, curator=curator, by=request.user
            ),
            _("%(curator)s is assigned.") % {"curator": curator},
        )
    else:
        _form_errors(request, form)
    return redirect(_next_or(request, reverse("curation:detail", args=[application.pk])))


def _assignment_of(application, assignment_pk):
    for assignment in application.assignments.all():
        if assignment.pk == assignment_pk and assignment.ended_at is None:
            return assignment
    raise Http404


@login_required
@require_POST
def assignment_end(request, pk, assignment_pk):
    application = selectors.get_application_for(request.user, pk)
    assignment = _assignment_of(application, assignment_pk)
    form = EndAssignmentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("curation:detail", pk=application.pk)
    _perform(
        request,
        lambda: services.end_assignment(
            assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("%(curator)s is taken off the application.") % {"curator": assignment.curator},
    )
    return redirect("curation:detail", pk=application.pk)


@login_required
@require_POST
def assignment_reassign(request, pk, assignment_pk):
    application = selectors.get_application_for(request.user, pk)
    assignment = _assignment_of(application, assignment_pk)
    form = ReassignForm(request.POST)
    if form.is_valid():
        curator = form.cleaned_data["curator"]
        _perform(
            request,
            lambda: services.reassign_curator(
                assignment=assignment,
                to=curator,
                by=request.user,
                reason=form.cleaned_data["reason"],
            ),
            _("%(old)s is replaced by %(new)s.") % {"old": assignment.curator, "new": curator},
        )
    else:
        _form_errors(request, form)
    return redirect("curation:detail", pk=application.pk)


# Assessor lead


@login_required
def assessor_queue(request):
    if not selectors.leads_an_assessor(request.user):
        raise PermissionDenied(_("Only the lead of an assessor organisation may assign curators."))
    page = Paginator(selectors.lead_assignment_queue(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    suggestions = selectors.suggested_curators_for(list(page.object_list))
    today = timezone.localdate()
    rows = [
        {
            "application": application,
            "deadline": deadline_for(application, today),
            "suggestions": suggestions.get(application.pk, []),
            "can_assign": permissions.can_assign(request.user, application),
            "needs_curators": application.needs_moderation
            or len(application.active_assignments) < application.programme.curators_per_application,
        }
        for application in page.object_list
    ]
    return render(request, "curation/assessor_queue.html", {"page": page, "rows": rows})


# Curator


WORKSPACE_TABS = ("to_do", "finished")


@login_required
def workspace(request):
    """The curator's assignments a page at a time: the work still to do, or on the second tab
    the finished ones (scores submitted, or the application decided)."""
    user = request.user
    if permissions.curator_of(user) is None:
        raise PermissionDenied(_("Only curators of an assessor organisation have a workspace."))
    tab = request.GET.get("show")
    if tab not in WORKSPACE_TABS:
        tab = "to_do"
    page = Paginator(
        selectors.curator_workspace(user, finished=tab == "finished"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "assignment": assignment,
            "application": assignment.application,
            "deadline": deadline_for(assignment.application, today),
            "show_identity": permissions.can_see_identity(user, assignment.application),
            "sample": _latest_sample(assignment.application),
        }
        for assignment in selectors.ready_for_workspace(list(page.object_list))
    ]
    return render(
        request,
        "curation/workspace.html",
        {
            "tab": tab,
            "counts": selectors.workspace_counts(user),
            "page": page,
            "rows": rows,
            "is_lead": selectors.leads_an_assessor(user),
        },
    )


def _curator_assignment(request, pk):
    application = selectors.get_application_for(request.user, pk)
    assignment = permissions.active_assignment(request.user, application)
    if assignment is None:
        raise Http404
    return application, assignment


@login_required
def curator_application(request, pk):
    user = request.user
    application = selectors.get_application_for(user, pk)
    assignment = permissions.active_assignment(user, application)
    if assignment is None:
        # The lead, officers and the applicant read the shared page.
        return redirect("curation:detail", pk=application.pk)
    rubric = selectors.rubric_for(application)
    criteria = list(rubric.criteria.all()) if rubric else []
    can_score = permissions.can_score(user, assignment)
    form = None
    if can_score:
        own = {
            score.criterion_id: score
            for score in selectors.scores_visible_to(user, application).get(assignment.pk, [])
        }
        form = ScoreSheetForm(request.POST or None, criteria=criteria, scores=own)
        if request.method == "POST" and form.is_valid():
            submitting = request.POST.get("action") == "submit"
            service = services.submit_scores if submitting else services.save_scores
            try:
                service(assignment=assignment, by=user, values=form.values())
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            except (PermissionDenied, TransitionRefused) as refused:
                messages.error(request, str(refused))
                return redirect("curation:curator_application", pk=application.pk)
            else:
                messages.success(
                    request,
                    _("Scores submitted. Thank you.")
                    if submitting
                    else _("Draft saved. Only you can see it until you submit."),
                )
                return redirect("curation:curator_application", pk=application.pk)
    elif request.method == "POST":
        messages.error(request, can_score.reason)
        return redirect("curation:curator_application", pk=application.pk)
    show_identity = permissions.can_see_identity(user, application)
    context = {
        "application": application,
        "assignment": assignment,
        "show_identity": show_identity,
        "spec_rows": presentation.specification_rows(application),
        "photos": selectors.application_photos(application),
        "criteria": criteria,
        "can_score": can_score,
        "form": form,
        "blocks": form.blocks() if form else [],
        "no_conflict_form": NoConflictForm(auto_id="coi-%s"),
        "conflict_form": ConflictForm(auto_id="conflict-%s"),
        "timeline": timeline_for(application) if show_identity else None,
        **_sample_context(user, application),
        **(
            _results_context(user, application, show_names=False, rubric=rubric)
            if assignment.submitted_at
            else {}
        ),
    }
    return render(request, "curation/curator_application.html", context)


@login_required
@require_POST
def curator_no_conflict(request, pk):
    application, assignment = _curator_assignment(request, pk)
    form = NoConflictForm(request.POST)
    if form.is_valid():
        _perform(
            request,
            lambda: services.declare_no_conflict(assignment=assignment, by=request.user),
            _("Declaration recorded. You can now see the vendor and score the sample."),
        )
    else:
        messages.error(request, _("Tick the statement to declare that you have no conflict."))
    return redirect("curation:curator_application", pk=application.pk)


@login_required
@require_POST
def curator_conflict(request, pk):
    application, assignment = _curator_assignment(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("curation:curator_application", pk=application.pk)
    if _perform(
        request,
        lambda: services.declare_conflict(
            assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Conflict recorded. You are taken off this application; staff will assign another."),
    ):
        return redirect("curation:workspace")
    return redirect("curation:curator_application", pk=application.pk)
