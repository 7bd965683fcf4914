"""Project-level pages: the front door, and the health check of the contract."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from accounts.roles import Role, has_role
from accounts.services import set_language_preference
from curation.selectors import leads_an_assessor


def home(request):
    user = request.user
    # Each role starts where its work waits.
    if has_role(user, Role.APPROVER):
        return redirect("certification:approvals")
    if has_role(user, Role.STAFF):
        return redirect("curation:screening_queue")
    if has_role(user, Role.APPLICANT):
        return redirect("vendors:portal")
    if has_role(user, Role.CURATOR):
        return redirect("curation:workspace")
    if leads_an_assessor(user):
        return redirect("curation:assessor_queue")
    return render(request, "home.html")


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def set_language(request):
    """Django's language switch, also remembered on the account for e-mails and next logins."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        set_language_preference(user=request.user, language=request.POST.get("language", ""))
    return response
