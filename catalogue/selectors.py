"""Reads of the catalogue: public pages and the feed see only what is public."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from accounts.roles import is_ministry_officer
from catalogue.models import Listing, ListingPhoto
from config.queries import AnyOf

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


def feed_listings() -> QuerySet[Listing]:
    """Every listing, live or delisted (a tombstone), in the feed's ``(updated_at, id)`` order.

    The feed reads it as ``values_list`` rows with its relations from ``feed_photos`` and
    ``feed_delivery_provinces``: model instances cost most of a page's time (docs/performance.md).
    """
    return Listing.objects.order_by("updated_at", "pk")


def feed_photos(listing_ids) -> dict[int, list[tuple[str, str]]]:
    """``{listing id: [(image name, thumbnail name), ...]}`` in display order, for the feed."""
    photos: dict[int, list[tuple[str, str]]] = {}
    rows = (
        ListingPhoto.objects.filter(AnyOf(F("listing_id"), listing_ids))
        .order_by("listing_id", "position", "pk")
        .values_list("listing_id", "image", "thumbnail")
    )
    for listing_id, image, thumbnail in rows:
        photos.setdefault(listing_id, []).append((image, thumbnail))
    return photos


def feed_delivery_provinces(listing_ids) -> dict[int, list[str]]:
    """``{listing id: sorted province codes}`` for the feed; a listing without any is absent."""
    provinces: dict[int, list[str]] = {}
    rows = Listing.delivery_provinces.through.objects.filter(AnyOf(F("listing_id"), listing_ids))
    for listing_id, code in rows.values_list("listing_id", "province_id"):
        provinces.setdefault(listing_id, []).append(code)
    for codes in provinces.values():
        codes.sort()
    return provinces


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
