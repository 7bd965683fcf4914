"""Who may act on an application, a sample or an assignment — each answer with its reason."""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, is_ministry_officer
from accounts.system import is_system_user
from audit.workflow import Decision

# Transitions that count as screening the application, for the four-eyes rule.
SCREENING_TRANSITIONS = (
    "return_for_changes",
    "request_sample",
    "open_permit",
    "skip_permit",
    "permit_issued",
)


def _owner_ids(vendor) -> set[int]:
    ids = getattr(vendor, "_owner_ids", None)
    if ids is None:
        ids = set(vendor.owners.values_list("pk", flat=True))
        vendor._owner_ids = ids
    return ids


def is_applicant_of(user, application) -> bool:
    return user.is_authenticated and user.pk in _owner_ids(application.vendor)


def curator_of(user):
    """The user's Curator profile, or None (cached on the user object)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_kurasi_curator"):
        from curation.models import Curator

        user._kurasi_curator = (
            Curator.objects.filter(user=user, is_active=True).select_related("organisation").first()
        )
    return user._kurasi_curator


def active_assignment(user, application):
    curator = curator_of(user)
    if curator is None:
        return None
    cached = getattr(application, "_active_assignments", None)
    if cached is not None:
        return next((a for a in cached if a.curator_id == curator.pk), None)
    return application.assignments.filter(curator=curator, ended_at__isnull=True).first()


def is_assessor_lead(user, application) -> bool:
    return (
        user.is_authenticated
        and application.assessor_id is not None
        and application.assessor.lead_id == user.pk
    )


def can_act_as_applicant(application, user) -> Decision:
    if is_applicant_of(user, application):
        return Decision.allow()
    return Decision.deny(_("Only the vendor's owners may do this."))


def can_screen(application, user) -> Decision:
    if has_role(user, Role.STAFF):
        return Decision.allow()
    return Decision.deny(_("Only ministry staff may screen applications."))


def screened_by(user, application) -> bool:
    from audit.selectors import transitions_for

    return (
        transitions_for(application)
        .filter(actor=user, transition__in=SCREENING_TRANSITIONS)
        .exists()
    )


def can_approve(application, user) -> Decision:
    if not has_role(user, Role.APPROVER):
        return Decision.deny(_("Only an approving official may do this."))
    if screened_by(user, application):
        return Decision.deny(
            _("You screened this application; another official must decide (four-eyes rule).")
        )
    return Decision.allow()


def is_system(application, user) -> Decision:
    if is_system_user(user):
        return Decision.allow()
    return Decision.deny(_("The curation result is computed from the scores, not set by hand."))


def can_receive_sample(application, user) -> Decision:
    if is_assessor_lead(user, application) or active_assignment(user, application):
        return Decision.allow()
    return Decision.deny(_("Only a curator assigned to this application may record the sample."))


def can_ship_sample(sample, user) -> Decision:
    return can_act_as_applicant(sample.application, user)


def can_handle_sample(sample, user) -> Decision:
    return can_receive_sample(sample.application, user)


def can_handle_sample_or_system(sample, user) -> Decision:
    if is_system_user(user):
        return Decision.allow()
    return can_handle_sample(sample, user)


def can_view_application(user, application) -> Decision:
    if (
        is_applicant_of(user, application)
        or is_ministry_officer(user)
        or is_assessor_lead(user, application)
        or active_assignment(user, application)
    ):
        return Decision.allow()
    return Decision.deny(_("You may not see this application."))


def can_assign(user, application) -> Decision:
    if has_role(user, Role.STAFF) or is_assessor_lead(user, application):
        return Decision.allow()
    return Decision.deny(_("Only ministry staff or the assessor's lead may assign curators."))


def can_see_identity(user, application) -> bool:
    """Curators see the vendor's identity only after declaring no conflict of interest."""
    if is_applicant_of(user, application) or is_ministry_officer(user):
        return True
    if is_assessor_lead(user, application):
        return True
    assignment = active_assignment(user, application)
    return bool(assignment and assignment.no_conflict_declared_at)


def can_score(user, assignment) -> Decision:
    if not user.is_authenticated or assignment.curator.user_id != user.pk:
        return Decision.deny(_("Only the assigned curator may score this application."))
    if assignment.ended_at is not None:
        return Decision.deny(_("This assignment has ended."))
    if assignment.no_conflict_declared_at is None:
        return Decision.deny(_("Declare that you have no conflict of interest first."))
    if assignment.submitted_at is not None:
        return Decision.deny(_("Your scores are submitted and can no longer be changed."))
    application = assignment.application
    if application.status == "sample_requested":
        return Decision.deny(_("Scoring starts when the sample has been received."))
    if application.status != "in_curation":
        return Decision.deny(
            _("Scores can no longer be given: the application is “%(state)s”.")
            % {"state": application.get_status_display()}
        )
    return Decision.allow()
