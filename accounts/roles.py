"""Roles are Django groups; this module names them and answers "does this user hold role X".

Group membership is read once per user object and cached on it, so a page that asks about
several roles costs one query.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser

from accounts.models import User


class Role(StrEnum):
    APPLICANT = "applicant"
    CURATOR = "curator"
    STAFF = "staff"
    APPROVER = "approver"


def role_names(user: User | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_kurasi_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._kurasi_roles = cached
    return cached


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return user.is_authenticated and user.is_active and role.value in role_names(user)


def is_ministry_officer(user: User | AnonymousUser) -> bool:
    """Staff and approvers both work for the ministry and may read every vendor."""
    return has_role(user, Role.STAFF) or has_role(user, Role.APPROVER)
