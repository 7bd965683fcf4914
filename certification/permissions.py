"""Who may act in the certification stage, each answer with its reason."""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, is_ministry_officer
from accounts.system import is_system_user
from audit.workflow import Decision
from curation import permissions as curation_permissions


def can_run_case(case, user) -> Decision:
    if has_role(user, Role.STAFF):
        return Decision.allow()
    return Decision.deny(_("Only ministry staff may record the steps of a permit case."))


def is_system(obj, user) -> Decision:
    if is_system_user(user):
        return Decision.allow()
    return Decision.deny(_("Expiry follows the dates; nobody sets it by hand."))


def can_manage_certificate(certificate, user) -> Decision:
    """Approvers suspend and revoke; the system also suspends when a permit expires."""
    if is_system_user(user) or has_role(user, Role.APPROVER):
        return Decision.allow()
    return Decision.deny(_("Only an approving official may change a certificate."))


def can_reinstate_certificate(certificate, user) -> Decision:
    if has_role(user, Role.APPROVER):
        return Decision.allow()
    return Decision.deny(_("Only an approving official may reinstate a certificate."))


def can_view_case(user, case) -> Decision:
    application = case.application
    if curation_permissions.is_applicant_of(user, application) or is_ministry_officer(user):
        return Decision.allow()
    return Decision.deny(_("You may not see this permit case."))


def can_upload_documents(user, case) -> Decision:
    if not curation_permissions.is_applicant_of(user, case.application):
        return Decision.deny(_("Only the vendor's owners may upload permit documents."))
    if case.status not in (case.Status.PREPARING, case.Status.INFO_REQUESTED):
        return Decision.deny(
            _(
                "Documents can be uploaded while the case is being prepared or information is "
                "requested (now “%(state)s”)."
            )
            % {"state": case.get_status_display()}
        )
    return Decision.allow()


def can_review_documents(user, case) -> Decision:
    if not has_role(user, Role.STAFF):
        return Decision.deny(_("Only ministry staff may verify permit documents."))
    return Decision.allow()


def verified_documents_of(user, application) -> bool:
    from certification.models import PermitDocument

    return PermitDocument.objects.filter(case__application=application, reviewed_by=user).exists()


def can_approve_application(user, application) -> Decision:
    """Four-eyes: never the officer who screened the application or checked its documents."""
    decision = curation_permissions.can_approve(application, user)
    if not decision:
        return decision
    if verified_documents_of(user, application):
        return Decision.deny(
            _(
                "You checked this product's permit documents; another official must decide "
                "(four-eyes rule)."
            )
        )
    return Decision.allow()
