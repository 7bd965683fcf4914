"""Reads of the catalogue: public pages and the feed see only what is public."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.roles import is_ministry_officer
from catalogue.models import Listing, ListingPhoto

PUBLIC_JOINS = ("province", "regency")


def live_listings() -> QuerySet[Listing]:
    return (
        Listing.objects.filter(status=Listing.Status.LIVE)
        .select_related(*PUBLIC_JOINS)
        .prefetch_related(Prefetch("photos", queryset=ListingPhoto.objects.order_by("position")))
    )


def get_live_listing(pk: int) -> Listing:
    try:
        return live_listings().prefetch_related("delivery_provinces").get(pk=pk)
    except (Listing.DoesNotExist, ValueError):
        raise Http404 from None


def feed_queryset() -> QuerySet[Listing]:
    return (
        Listing.objects.select_related(*PUBLIC_JOINS)
        .prefetch_related(
            Prefetch("photos", queryset=ListingPhoto.objects.order_by("position")),
            "delivery_provinces",
        )
        .order_by("updated_at", "pk")
    )


def listings_of_owner(user) -> QuerySet[Listing]:
    return (
        Listing.objects.filter(vendor__owners=user)
        .select_related(*PUBLIC_JOINS)
        .prefetch_related("delivery_provinces")
        .order_by("-updated_at")
    )


def owner_has_listings(user) -> bool:
    return Listing.objects.filter(vendor__owners=user).exists()


def get_listing_for(user, pk: int) -> Listing:
    """A listing its vendor's owner or a ministry officer may open; anyone else gets 404."""
    rows = Listing.objects.select_related("vendor", *PUBLIC_JOINS).prefetch_related(
        "delivery_provinces"
    )
    if not is_ministry_officer(user):
        rows = rows.filter(vendor__owners=user)
    try:
        return rows.get(pk=pk)
    except Listing.DoesNotExist:
        raise Http404 from None


def listing_history(listing: Listing) -> list:
    """The listing's historical rows, newest first, with who made each change."""
    return list(
        listing.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
