"""Every change in curation: entering a programme, screening, samples, assignments, scores and
the decision. State changes run through ``audit.workflow.perform_transition``; the other
changes check the same permissions, run atomically and record the actor in history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.system import system_user
from audit.events import announce
from audit.workflow import (
    TransitionRefused,
    check_transition,
    perform_transition,
    refuse,
    require,
    save_as,
)
from curation import permissions, scoring
from curation.models import (
    Application,
    Assignment,
    Criterion,
    Curator,
    Programme,
    Rubric,
    Sample,
    Score,
)
from vendors.models import Product, Vendor
from vendors.permissions import is_owner


def _with_reason(application: Application, name: str, *, by, reason: str) -> Application:
    decision = check_transition(application, name, by)
    if not decision:
        raise TransitionRefused(decision)
    reason = (reason or "").strip()
    if not reason:
        refuse(_("Give a reason the applicant can act on."))
    return perform_transition(application, name, by=by, note=reason)


# Programmes and rubrics


def copy_default_rubrics(*, programme: Programme) -> list[Rubric]:
    """Give a programme its own editable copy of the default rubric of each accepted category."""
    created = []
    with transaction.atomic():
        for template in Rubric.objects.filter(
            programme__isnull=True, category__in=programme.categories
        ):
            if programme.rubrics.filter(category=template.category).exists():
                continue
            criteria = list(template.criteria.all())
            template.pk = None
            template.programme = programme
            template.save()
            for criterion in criteria:
                criterion.pk = None
                criterion.rubric = template
            Criterion.objects.bulk_create(criteria)
            created.append(template)
    return created


# Applicant


def create_application(
    *, vendor: Vendor, product: Product, programme: Programme, by
) -> Application:
    if not is_owner(by, vendor):
        raise PermissionDenied(_("Only the vendor's owners may enter its products."))
    if product.vendor_id != vendor.pk:
        raise PermissionDenied(_("The product does not belong to this vendor."))
    existing = Application.objects.filter(programme=programme, product=product).exclude(
        status__in=Application.INACTIVE_STATES
    )
    if existing.exists():
        refuse(_("This product already has an application in this programme."))
    with transaction.atomic():
        application = Application(
            programme=programme, vendor=vendor, product=product, created_by=by
        )
        save_as(application, by)
    return application


def submit_application(*, application: Application, by) -> Application:
    name = "resubmit" if application.status == Application.Status.RETURNED else "submit"
    with transaction.atomic():
        # Lock the programme and the vendor so that two submissions cannot both take the last
        # quota place or both pass the one-chance rule.
        Programme.objects.select_for_update().get(pk=application.programme_id)
        Vendor.objects.select_for_update().get(pk=application.vendor_id)
        return perform_transition(application, name, by=by)


def withdraw_application(*, application: Application, by, reason: str = "") -> Application:
    return perform_transition(application, "withdraw", by=by, note=reason.strip())


# Staff screening


def return_application(*, application: Application, by, reason: str) -> Application:
    return _with_reason(application, "return_for_changes", by=by, reason=reason)


def reject_application(*, application: Application, by, reason: str) -> Application:
    return _with_reason(application, "reject", by=by, reason=reason)


def request_sample(
    *, application: Application, by, quantity: int = 5, instructions: str = "", assessor=None
) -> Sample:
    """Ask for a sample and hand the application to the assessor (the programme's by default)."""
    decision = permissions.can_screen(application, by)
    if not decision:
        raise TransitionRefused(decision)
    if quantity < 1:
        refuse(_("Ask for at least one unit."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        chosen = assessor or locked.assessor or locked.programme.assessor
        if chosen is not None and locked.assessor_id != chosen.pk:
            locked.assessor = chosen
            save_as(locked, by, update_fields=["assessor", "updated_at"])
        # Refused (wrong state, no assessor) raises here and rolls the assessor back too.
        locked = perform_transition(
            locked,
            "request_sample",
            by=by,
            note=_("%(n)s units to %(assessor)s") % {"n": quantity, "assessor": chosen},
        )
        sample = Sample(
            application=locked, quantity_requested=quantity, instructions=instructions.strip()
        )
        save_as(sample, by)
    return sample


@dataclass(frozen=True)
class BulkResult:
    application: Application
    ok: bool
    message: str


BULK_ACTIONS = {"request_sample", "return_for_changes", "reject"}


def bulk_screen(
    *, applications: Iterable[Application], action: str, by, reason: str = ""
) -> list[BulkResult]:
    """Run one screening action on many applications; each is checked and done on its own."""
    if action not in BULK_ACTIONS:
        raise ValueError(action)
    results = []
    for application in applications:
        try:
            if action == "request_sample":
                request_sample(application=application, by=by)
            elif action == "return_for_changes":
                return_application(application=application, by=by, reason=reason)
            else:
                reject_application(application=application, by=by, reason=reason)
        except (TransitionRefused, PermissionDenied) as refused:
            results.append(BulkResult(application, False, str(refused)))
        else:
            results.append(BulkResult(application, True, _("Done.")))
    return results


def allow_revision(*, application: Application, by, note: str = "") -> Application:
    """Send a failed application back to the applicant for another attempt.

    The round's curators come off it (their assignments and scores are kept), so the revised
    product is curated afresh rather than decided again from the old scores.
    """
    with transaction.atomic():
        application = perform_transition(application, "allow_revision", by=by, note=note.strip())
        reason = _("Revision %(n)s: a new curation round.") % {"n": application.revision_count}
        ended_at = timezone.now()
        for assignment in application.assignments.filter(ended_at__isnull=True):
            assignment.ended_at = ended_at
            assignment.end_reason = reason[:300]
            save_as(assignment, by)
    return application


RESULT_STATES = (
    Application.Status.PASSED,
    Application.Status.CURATION_FAILED,
    Application.Status.PERMIT_SUPPORT,
    Application.Status.AWAITING_APPROVAL,
    Application.Status.APPROVED,
)


def release_result(*, application: Application, by) -> Application:
    """Let the applicant see the scores and the reasons behind the curation result."""
    require(permissions.can_screen(application, by))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in RESULT_STATES:
            refuse(_("There is no curation result to release yet."))
        if locked.result_released_at is None:
            locked.result_released_at = timezone.now()
            save_as(locked, by, update_fields=["result_released_at", "updated_at"])
            announce("result_released", instance=locked, actor=by)
    return locked


# Samples


def record_shipment(
    *, sample: Sample, by, courier: str, tracking_number: str, shipped_on
) -> Sample:
    courier, tracking_number = courier.strip(), tracking_number.strip()
    if not courier or not tracking_number:
        refuse(_("Give the courier and the tracking number."))
    if shipped_on and shipped_on > timezone.localdate():
        refuse(_("The shipping date cannot be in the future."))
    return perform_transition(
        sample,
        "ship",
        by=by,
        note=f"{courier} {tracking_number}",
        courier=courier,
        tracking_number=tracking_number,
        shipped_on=shipped_on,
    )


def record_sample_receipt(
    *, sample: Sample, by, quantity_received: int, condition: str, notes: str = ""
) -> Sample:
    if quantity_received < 1:
        refuse(_("Record how many units arrived."))
    if condition not in Sample.Condition.values:
        refuse(_("Choose the condition of the sample on arrival."))
    with transaction.atomic():
        sample = perform_transition(
            sample,
            "receive",
            by=by,
            note=notes.strip(),
            quantity_received=quantity_received,
            condition=condition,
            notes=notes.strip(),
        )
        application = sample.application
        if application.status == Application.Status.SAMPLE_REQUESTED:
            perform_transition(application, "receive_sample", by=by)
    return sample


def close_sample(*, sample: Sample, by, retain: bool, note: str = "") -> Sample:
    return perform_transition(
        sample, "retain" if retain else "return_to_vendor", by=by, note=note.strip()
    )


# Assignments


def assign_curator(*, application: Application, curator: Curator, by) -> Assignment:
    with transaction.atomic():
        # Checked on the locked row: the caller's copy may be older than the database.
        locked = (
            Application.objects.select_for_update().select_related("product").get(pk=application.pk)
        )
        require(permissions.can_assign(by, locked))
        if locked.status not in (
            Application.Status.SAMPLE_REQUESTED,
            Application.Status.IN_CURATION,
        ):
            refuse(
                _(
                    "Curators are assigned while a sample is requested or in curation (now “%(state)s”)."
                )
                % {"state": locked.get_status_display()}
            )
        if locked.assessor_id is None or curator.organisation_id != locked.assessor_id:
            refuse(_("The curator does not work for this application's assessor."))
        if not curator.is_active:
            refuse(_("This curator is not active."))
        if not curator.qualifications.filter(category=locked.product.category).exists():
            refuse(_("This curator is not qualified for this product category."))
        active = locked.assignments.filter(ended_at__isnull=True)
        if active.filter(curator=curator).exists():
            refuse(_("This curator is already assigned."))
        if locked.assignments.filter(curator=curator, end_reason__startswith="COI").exists():
            refuse(_("This curator declared a conflict of interest for this application."))
        role = Assignment.Role.MODERATOR if locked.needs_moderation else Assignment.Role.CURATOR
        if role == Assignment.Role.CURATOR and (
            active.count() >= locked.programme.curators_per_application
        ):
            refuse(
                _("The application already has %(n)s curators.")
                % {"n": locked.programme.curators_per_application}
            )
        assignment = Assignment(application=locked, curator=curator, role=role, assigned_by=by)
        save_as(assignment, by)
        announce("curator_assigned", instance=assignment, actor=by)
    return assignment


def end_assignment(*, assignment: Assignment, by, reason: str) -> Assignment:
    """Take a curator off an application (the assignment is kept, marked ended)."""
    require(permissions.can_assign(by, assignment.application))
    reason = reason.strip()
    if not reason:
        refuse(_("Say why the curator is taken off."))
    with transaction.atomic():
        # Checked on the locked row: the caller's copy may predate the curator's submission.
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.submitted_at is not None:
            refuse(_("Submitted scores stay: this assignment cannot be ended."))
        if locked.ended_at is None:
            locked.ended_at = timezone.now()
            locked.end_reason = reason[:300]
            save_as(locked, by)
    return locked


def reassign_curator(*, assignment: Assignment, to: Curator, by, reason: str) -> Assignment:
    with transaction.atomic():
        end_assignment(assignment=assignment, by=by, reason=reason)
        return assign_curator(application=assignment.application, curator=to, by=by)


def declare_no_conflict(*, assignment: Assignment, by) -> Assignment:
    if assignment.curator.user_id != by.pk or assignment.ended_at is not None:
        raise PermissionDenied(_("Only the assigned curator may make this declaration."))
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.no_conflict_declared_at is None:
            locked.no_conflict_declared_at = timezone.now()
            save_as(locked, by)
    return locked


def declare_conflict(*, assignment: Assignment, by, reason: str) -> Assignment:
    """The curator has a conflict of interest: the assignment ends and staff must reassign."""
    if assignment.curator.user_id != by.pk or assignment.ended_at is not None:
        raise PermissionDenied(_("Only the assigned curator may make this declaration."))
    if assignment.no_conflict_declared_at is not None:
        refuse(_("You already declared no conflict; ask staff to take you off instead."))
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        locked.ended_at = timezone.now()
        locked.end_reason = ("COI: " + reason.strip())[:300]
        save_as(locked, by)
    return locked


# Scores and the decision


def _validated(
    assignment: Assignment, values: dict[int, tuple[int | None, str]], *, complete: bool
) -> dict[Criterion, tuple[int, str]]:
    rubric = assignment.application.programme.rubrics.get(
        category=assignment.application.product.category
    )
    criteria = {c.pk: c for c in rubric.criteria.all()}
    errors, clean = [], {}
    for criterion_id, (value, note) in values.items():
        criterion = criteria.get(int(criterion_id))
        if criterion is None:
            errors.append(_("Unknown criterion %(id)s.") % {"id": criterion_id})
            continue
        if value in (None, ""):
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or not 0 <= number <= criterion.scale_max:
            errors.append(
                _("%(criterion)s: the score must be between 0 and %(max)s.")
                % {"criterion": criterion.name, "max": criterion.scale_max}
            )
            continue
        clean[criterion] = (number, (note or "").strip()[:2000])
    if complete:
        stored = set(assignment.scores.values_list("criterion_id", flat=True))
        missing = [c.name for pk, c in criteria.items() if pk not in stored and c not in clean]
        if missing:
            errors.append(
                _("Score every criterion before submitting: %(names)s.")
                % {"names": ", ".join(missing)}
            )
    if errors:
        raise ValidationError(errors)
    return clean


def _locked_assignment(assignment: Assignment) -> Assignment:
    # The application row lock makes simultaneous last submissions decide exactly once.
    Application.objects.select_for_update().get(pk=assignment.application_id)
    return Assignment.objects.select_related(
        "curator", "application__programme", "application__product"
    ).get(pk=assignment.pk)


def _store_scores(assignment: Assignment, by, clean: dict) -> None:
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    for criterion, (value, note) in clean.items():
        score = existing.get(criterion.pk) or Score(assignment=assignment, criterion=criterion)
        score.value, score.note = value, note
        save_as(score, by)


def save_scores(*, assignment: Assignment, by, values: dict) -> Assignment:
    """Store a curator's draft scores; they stay hidden and changeable until submitted."""
    with transaction.atomic():
        locked = _locked_assignment(assignment)
        require(permissions.can_score(by, locked))
        _store_scores(locked, by, _validated(locked, values, complete=False))
    return locked


def submit_scores(*, assignment: Assignment, by, values: dict | None = None) -> Assignment:
    """Submit the scoresheet; when it is the last one due, the application is decided."""
    with transaction.atomic():
        locked = _locked_assignment(assignment)
        require(permissions.can_score(by, locked))
        _store_scores(locked, by, _validated(locked, values or {}, complete=True))
        locked.submitted_at = timezone.now()
        save_as(locked, by)
        decide_application(application=locked.application)
    return locked


def decide_application(*, application: Application) -> Application:
    """Decide from the submitted scores once every assigned curator has submitted."""
    actor = system_user()
    application = Application.objects.select_related("programme", "product").get(pk=application.pk)
    if application.status != Application.Status.IN_CURATION:
        return application
    if not check_transition(application, "pass_curation", actor):
        return application
    rubric = application.programme.rubrics.get(category=application.product.category)
    criteria = [
        scoring.CriterionSpec(c.pk, c.name, c.weight, c.scale_max, c.critical_minimum)
        for c in rubric.criteria.all()
    ]
    sheets = []
    assignments = (
        application.assignments.filter(ended_at__isnull=True, submitted_at__isnull=False)
        .select_related("curator__user")
        .prefetch_related("scores")
        .order_by("assigned_at", "pk")
    )
    for index, assignment in enumerate(assignments, start=1):
        values = {s.criterion_id: s.value for s in assignment.scores.all()}
        sheets.append(scoring.Sheet(f"K{index}", assignment.role, values))
    result = scoring.decide(
        criteria=criteria,
        sheets=sheets,
        pass_mark=application.programme.pass_mark,
        disagreement_threshold=application.programme.disagreement_threshold,
    )
    application.decision = result
    if result["outcome"] == scoring.MODERATION:
        application.needs_moderation = True
        save_as(application, actor, update_fields=["decision", "needs_moderation", "updated_at"])
        return application
    application.needs_moderation = False
    save_as(application, actor, update_fields=["decision", "needs_moderation", "updated_at"])
    name = "pass_curation" if result["outcome"] == scoring.PASSED else "fail_curation"
    note = _("Weighted mean %(mean)s%% against a pass mark of %(mark)s%%.") % {
        "mean": result["mean"],
        "mark": result["pass_mark"],
    }
    if result["critical_failures"]:
        note += " " + _("Below the critical minimum for most curators: %(names)s.") % {
            "names": ", ".join(result["critical_failures"])
        }
    application = perform_transition(application, name, by=actor, note=note)
    for sample in application.samples.filter(status=Sample.Status.RECEIVED):
        perform_transition(sample, "mark_tested", by=actor)
    return application
