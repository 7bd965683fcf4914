"""The machine feed of the catalogue (``GET /catalogue/feed.json``), see docs/catalogue-feed.md.

Items come in ``(updated_at, id)`` order; the cursor is that pair, signed so that a consumer can
neither forge nor mistype one unnoticed. Keyset paging stays stable while listings change: a
listing updated after a page was served comes again later with its new ``updated_at``, and a
delisted one comes back as a tombstone. Rows younger than a few seconds are held back so a
transaction that commits late cannot slip behind a cursor already handed out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalogue.models import Listing
from catalogue.selectors import feed_queryset

CURSOR_SALT = "catalogue.feed.cursor"


class FeedError(ValueError):
    """A request the feed cannot answer; the message is shown to the consumer (HTTP 400)."""


@dataclass(frozen=True)
class FeedPage:
    items: list[dict]
    next_cursor: str | None


def encode_cursor(listing: Listing) -> str:
    return signing.dumps(
        {"u": listing.updated_at.isoformat(), "i": listing.pk}, salt=CURSOR_SALT, compress=True
    )


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
        updated_at = parse_datetime(data["u"])
        pk = int(data["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FeedError("cursor is not valid: start again without it") from None
    if updated_at is None:
        raise FeedError("cursor is not valid: start again without it")
    return updated_at, pk


def parse_since(value: str) -> datetime.datetime:
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:  # well formed but impossible, e.g. month 13
        parsed = None
    if parsed is None:
        raise FeedError("updated_since must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


def parse_limit(value: str | None) -> int:
    if value in (None, ""):
        return settings.CATALOGUE_FEED_PAGE_SIZE
    try:
        limit = int(value)
    except ValueError:
        raise FeedError("limit must be a whole number") from None
    if not 1 <= limit <= settings.CATALOGUE_FEED_MAX_PAGE_SIZE:
        raise FeedError(f"limit must be between 1 and {settings.CATALOGUE_FEED_MAX_PAGE_SIZE}")
    return limit


def serialize(listing: Listing, request) -> dict:
    updated = listing.updated_at.isoformat()
    if listing.status != Listing.Status.LIVE:
        return {"id": listing.pk, "status": "delisted", "updated_at": updated}
    absolute = request.build_absolute_uri
    return {
        "id": listing.pk,
        "status": "live",
        "updated_at": updated,
        "url": absolute(reverse("catalogue:detail", args=[listing.pk])),
        "product": {
            "name": listing.product_name,
            "category": listing.category,
            "unit": listing.unit,
            "description": listing.description,
        },
        "vendor": {
            "id": listing.vendor_id,
            "name": listing.vendor_name,
            "province": {"code": listing.province_id, "name": listing.province.name},
            "regency": {"code": listing.regency_id, "name": listing.regency.name}
            if listing.regency_id
            else None,
            "business_phone": listing.business_phone or None,
            "business_email": listing.business_email or None,
        },
        "price": listing.price,
        "price_includes_tax": listing.price_includes_tax,
        "minimum_order": listing.minimum_order,
        "capacity_per_month": listing.capacity_per_month,
        "delivery_provinces": sorted(p.code for p in listing.delivery_provinces.all()),
        "tkdn_percent": float(listing.tkdn_percent) if listing.tkdn_percent is not None else None,
        "certificate": {
            "number": listing.certificate_number,
            "valid_until": listing.certificate_valid_until.isoformat(),
            "verify_url": absolute(f"/verify/{listing.certificate_number}/"),
        },
        "permit": {"kind": listing.permit_kind, "number": listing.permit_number}
        if listing.permit_number
        else None,
        "photos": [
            {"url": absolute(photo.image.url), "thumbnail_url": absolute(photo.thumbnail.url)}
            for photo in listing.photos.all()
        ],
    }


def feed_page(
    *, request, updated_since: str | None, cursor: str | None, limit: str | None
) -> FeedPage:
    size = parse_limit(limit)
    rows = feed_queryset()
    settle = timezone.now() - datetime.timedelta(seconds=settings.CATALOGUE_FEED_SETTLE_SECONDS)
    rows = rows.filter(updated_at__lte=settle)
    if cursor:
        after, pk = decode_cursor(cursor)
        rows = rows.filter(Q(updated_at__gt=after) | Q(updated_at=after, pk__gt=pk))
    elif updated_since:
        rows = rows.filter(updated_at__gte=parse_since(updated_since))
    page = list(rows[: size + 1])
    more = len(page) > size
    page = page[:size]
    return FeedPage(
        items=[serialize(listing, request) for listing in page],
        next_cursor=encode_cursor(page[-1]) if more else None,
    )
