"""Public catalogue pages and the machine feed (no login needed; nothing private shown)."""

import hashlib

import orjson
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import Role, has_role
from catalogue import selectors, services
from catalogue.feed import FeedError, feed_page
from catalogue.filters import ListingFilter
from catalogue.forms import ListingTermsForm
from catalogue.models import Listing
from certification.models import PermitKind
from vendors.permissions import is_owner

PAGE_SIZE = 24


@require_GET
def feed(request):
    try:
        page = feed_page(
            request=request,
            updated_since=request.GET.get("updated_since"),
            cursor=request.GET.get("cursor"),
            limit=request.GET.get("limit"),
        )
    except FeedError as error:
        return JsonResponse({"error": str(error)}, status=400)
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        query.pop("updated_since", None)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    # orjson writes UTF-8 without escaping non-ASCII and without spaces, as the feed always has.
    body = orjson.dumps({"items": page.items, "next": next_url})
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=30"
    return response


def search(request):
    listings = ListingFilter(
        request.GET or None,
        queryset=selectors.live_listings().order_by(*ListingFilter.SORTS["newest"]),
    )
    status = 200
    if listings.is_bound and not listings.is_valid():
        # Say which value is wrong rather than quietly showing the whole catalogue.
        rows, status = Listing.objects.none(), 400
    else:
        rows = listings.qs
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "catalogue/search.html", {"filter": listings, "page": page}, status=status
    )


def detail(request, pk):
    listing = selectors.get_live_listing(pk)
    return render(
        request,
        "catalogue/detail.html",
        {
            "listing": listing,
            "permit_kind": PermitKind(listing.permit_kind).label
            if listing.permit_kind in PermitKind.values
            else listing.permit_kind,
        },
    )


def vendor(request, pk):
    listings = selectors.live_listings().filter(vendor_id=pk).order_by("product_name", "pk")
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404
    return render(request, "catalogue/vendor.html", {"page": page, "first": page[0]})


@login_required
def my_listings(request):
    listings = list(selectors.listings_of_owner(request.user))
    return render(request, "catalogue/my_listings.html", {"listings": listings})


TRACKED = ("status", "price", "price_includes_tax", "minimum_order", "capacity_per_month")


def _changes(records, viewer, *, show_names: bool) -> list[dict]:
    """Each historical row with the tracked fields that differ from the row before it."""
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        actor = newer.history_user
        if actor is not None and actor.pk == viewer.pk:
            who = _("You")
        elif show_names and actor is not None:
            who = str(actor)
        else:
            who = _("Kurasi")
        changed = []
        for name in TRACKED:
            new = getattr(newer, name)
            old = getattr(older, name) if older is not None else None
            if older is None or new != old:
                field = Listing._meta.get_field(name)
                changed.append(
                    {
                        "label": field.verbose_name,
                        "old": _display(field, old) if older is not None else None,
                        "new": _display(field, new),
                    }
                )
        rows.append({"when": newer.history_date, "who": who, "changes": changed})
    return rows


def _display(field, value):
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


@login_required
def listing_edit(request, pk):
    user = request.user
    listing = selectors.get_listing_for(user, pk)
    owner = is_owner(user, listing.vendor)
    can_edit = owner and listing.status == Listing.Status.LIVE
    form = None
    if can_edit:
        form = ListingTermsForm.for_listing(
            listing, request.POST if request.method == "POST" else None
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.update_listing_terms(listing=listing, by=user, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            except PermissionDenied as denied:
                messages.error(request, str(denied))
                return redirect("catalogue:listing_edit", pk=listing.pk)
            else:
                messages.success(request, _("Saved. Buyers see the new terms now."))
                return redirect("catalogue:listing_edit", pk=listing.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the vendor's owners may change a listing in the catalogue."))
    history = _changes(selectors.listing_history(listing), user, show_names=not owner)
    return render(
        request,
        "catalogue/listing_edit.html",
        {"listing": listing, "form": form, "is_owner": owner, "history": history},
        status=400 if form is not None and form.errors else 200,
    )


def portal_section(user) -> dict | None:
    """Link "My catalogue listings" on the applicant portal once the applicant has any."""
    if not has_role(user, Role.APPLICANT) or not selectors.owner_has_listings(user):
        return None
    return {"template": "catalogue/_portal_listings.html"}
