from django.utils.functional import SimpleLazyObject

from curation import selectors


def curation(request):
    """``is_assessor_lead`` for the menu; asked only when a template actually reads it."""
    user = request.user
    return {"is_assessor_lead": SimpleLazyObject(lambda: selectors.leads_an_assessor(user))}
