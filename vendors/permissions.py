"""Who may do what to a vendor and its products; each answer carries the reason.

Used as the ``permission=`` of the vendor transitions and by the views and templates, which
show a refused action with its reason instead of a bare 403.
"""

from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, is_ministry_officer
from audit.workflow import Decision


def is_owner(user, vendor) -> bool:
    if not user.is_authenticated or vendor.pk is None:
        return False
    owner_ids = getattr(vendor, "_owner_ids", None)
    if owner_ids is None:
        owner_ids = set(vendor.owners.values_list("pk", flat=True))
        vendor._owner_ids = owner_ids
    return user.pk in owner_ids


def can_view_vendor(user, vendor) -> Decision:
    if is_owner(user, vendor) or is_ministry_officer(user):
        return Decision.allow()
    return Decision.deny(_("Only the vendor's owners and ministry officers may see this vendor."))


def can_edit_vendor(user, vendor) -> Decision:
    if not is_owner(user, vendor):
        return Decision.deny(_("Only the vendor's owners may change its details."))
    if vendor.status not in vendor.EDITABLE_STATES:
        return Decision.deny(
            _("The business details cannot be changed while the registration is “%(state)s”.")
            % {"state": vendor.get_status_display()}
        )
    return Decision.allow()


def can_submit_vendor(vendor, user) -> Decision:
    if not is_owner(user, vendor):
        return Decision.deny(_("Only the vendor's owners may submit it for verification."))
    return Decision.allow()


def can_review_vendor(vendor, user) -> Decision:
    if not has_role(user, Role.STAFF):
        return Decision.deny(_("Only ministry staff may verify, return or reject a vendor."))
    return Decision.allow()


def can_manage_products(user, vendor) -> Decision:
    if not is_owner(user, vendor):
        return Decision.deny(_("Only the vendor's owners may change its products."))
    if vendor.status in (vendor.Status.REJECTED, vendor.Status.SUSPENDED):
        return Decision.deny(
            _("Products cannot be changed while the registration is “%(state)s”.")
            % {"state": vendor.get_status_display()}
        )
    return Decision.allow()
