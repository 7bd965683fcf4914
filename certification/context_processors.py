from django.utils.functional import SimpleLazyObject

from certification import selectors


def certification(request):
    """Whether the applicant has permit cases and certificates, for the menu; asked (one query)
    only when a template reads it, so the menu stays short until there is something to show."""
    user = request.user
    return {"certifications": SimpleLazyObject(lambda: selectors.certifications_of(user))}
