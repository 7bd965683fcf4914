"""Staff exports (CSV and XLSX) of the catalogue's listings and of curation applications.

Ministry officers only (staff and approvers); anyone else signed in gets 403 with the reason,
and an anonymous visitor is sent to the login page. See ``catalogue.exports`` for the formats.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import is_ministry_officer
from catalogue import exports
from curation.models import Application
from regions.models import Province


def _require_officer(request) -> None:
    if not is_ministry_officer(request.user):
        raise PermissionDenied(_("Only ministry officers may see this page."))


def _respond(fmt: str, stem: str, header: list[str], rows):
    if fmt == "xlsx":
        return exports.xlsx_response(stem, header, rows)
    return exports.csv_response(stem, header, rows)


@require_GET
@never_cache
@login_required
def export_listings(request, fmt: str):
    _require_officer(request)
    return _respond(fmt, "listings", exports.LISTING_HEADER, exports.listing_rows())


@require_GET
@never_cache
@login_required
def export_applications(request, fmt: str):
    _require_officer(request)
    status = request.GET.get("status", "").strip()
    province = request.GET.get("province", "").strip()
    if status and status not in Application.Status.values:
        return JsonResponse({"error": f"unknown status: {status}"}, status=400)
    if province and not Province.objects.filter(pk=province).exists():
        return JsonResponse({"error": f"unknown province: {province}"}, status=400)
    rows = exports.applications_queryset(status=status or None, province=province or None)
    return _respond(fmt, "applications", exports.APPLICATION_HEADER, exports.application_rows(rows))


@login_required
@require_GET
def export_index(request):
    """The staff page offering every export, with the application filters."""
    _require_officer(request)
    return render(
        request,
        "catalogue/exports.html",
        {
            "statuses": Application.Status.choices,
            "provinces": Province.objects.order_by("name"),
        },
    )
