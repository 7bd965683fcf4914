from accounts.roles import Role, has_role


def roles(request):
    user = request.user
    return {
        "is_applicant": has_role(user, Role.APPLICANT),
        "is_curator": has_role(user, Role.CURATOR),
        "is_staff_officer": has_role(user, Role.STAFF),
        "is_approver": has_role(user, Role.APPROVER),
    }
