"""Reads of the catalogue: public pages and the feed see only what is public."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

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
