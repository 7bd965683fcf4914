"""The machine feed of the catalogue (``GET /catalogue/feed.json``), see docs/catalogue-feed.md.

Items come in ``(updated_at, id)`` order; the cursor is that pair, signed so that a consumer can
neither forge nor mistype one unnoticed. Keyset paging stays stable while listings change: a
listing updated after a page was served comes again later with its new ``updated_at``, and a
delisted one comes back as a tombstone. Rows younger than a few seconds are held back so a
transaction that commits late cannot slip behind a cursor already handed out.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalogue.models import Listing, ListingPhoto
from catalogue.selectors import feed_delivery_provinces, feed_listings, feed_photos
from regions.selectors import region_names

CURSOR_SALT = "catalogue.feed.cursor"
LIVE = Listing.Status.LIVE.value


class FeedError(ValueError):
    """A request the feed cannot answer; the message is shown to the consumer (HTTP 400)."""


@dataclass(frozen=True)
class FeedPage:
    items: list[dict]
    next_cursor: str | None


def encode_cursor(updated_at: datetime.datetime, pk: int) -> str:
    return signing.dumps({"u": updated_at.isoformat(), "i": pk}, salt=CURSOR_SALT, compress=True)


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


# The columns of a feed row, in the order ``_items`` unpacks them.
COLUMNS = (
    "id",
    "status",
    "updated_at",
    "product_name",
    "category",
    "unit",
    "description",
    "vendor_id",
    "vendor_name",
    "province_id",
    "regency_id",
    "business_phone",
    "business_email",
    "price",
    "price_includes_tax",
    "minimum_order",
    "capacity_per_month",
    "tkdn_percent",
    "certificate_number",
    "certificate_valid_until",
    "permit_kind",
    "permit_number",
)

# Characters ``iri_to_uri`` leaves as they are: a path made only of these, starting with one
# slash and without dot segments, is made absolute by ``build_absolute_uri`` by prefixing the
# scheme and host, nothing else.
_PLAIN_PATH = re.compile(r"/(?!/)[A-Za-z0-9_.~/#%\[\]=:;$&()+,!?*@'-]*")
_MARKER = 987654321


class _Urls:
    """Absolute URLs for one page, equal to ``request.build_absolute_uri``'s.

    ``build_absolute_uri`` parses and quotes its argument on every call, and ``reverse`` walks the
    URL resolver: at three or more URLs per item they were a large share of a page's time. The
    detail URL is reversed once per page around a marker id; other paths take the plain prefix
    when they need no quoting and fall back to ``build_absolute_uri`` otherwise.
    """

    def __init__(self, request):
        self.build = request.build_absolute_uri
        self.origin = self.build("/")[:-1]
        detail = self.build(reverse("catalogue:detail", args=[_MARKER]))
        self.detail_head, _, self.detail_tail = detail.rpartition(str(_MARKER))
        self.image_url = ListingPhoto._meta.get_field("image").storage.url
        self.thumbnail_url = ListingPhoto._meta.get_field("thumbnail").storage.url

    def absolute(self, path: str) -> str:
        if _PLAIN_PATH.fullmatch(path) and "/./" not in path and "/../" not in path:
            return self.origin + path
        return self.build(path)

    def detail(self, pk: int) -> str:
        return f"{self.detail_head}{pk}{self.detail_tail}"

    def photos(self, photos: list[tuple[str, str]]) -> list[dict]:
        return [
            {
                "url": self.absolute(self.image_url(image)),
                "thumbnail_url": self.absolute(self.thumbnail_url(thumbnail)),
            }
            for image, thumbnail in photos
        ]


def _items(rows: list[tuple], request) -> list[dict]:
    """The feed items of one page of ``COLUMNS`` rows (the shape docs/catalogue-feed.md shows)."""
    live_ids = [row[0] for row in rows if row[1] == LIVE]
    photos = feed_photos(live_ids) if live_ids else {}
    provinces = feed_delivery_provinces(live_ids) if live_ids else {}
    urls = _Urls(request) if live_ids else None
    province_names, regency_names = region_names() if live_ids else ({}, {})
    items = []
    append = items.append
    for (
        pk,
        status,
        updated_at,
        product_name,
        category,
        unit,
        description,
        vendor_id,
        vendor_name,
        province_id,
        regency_id,
        business_phone,
        business_email,
        price,
        price_includes_tax,
        minimum_order,
        capacity_per_month,
        tkdn_percent,
        certificate_number,
        certificate_valid_until,
        permit_kind,
        permit_number,
    ) in rows:
        if status != LIVE:
            append({"id": pk, "status": "delisted", "updated_at": updated_at.isoformat()})
            continue
        listing_photos = photos.get(pk)
        append(
            {
                "id": pk,
                "status": "live",
                "updated_at": updated_at.isoformat(),
                "url": urls.detail(pk),
                "product": {
                    "name": product_name,
                    "category": category,
                    "unit": unit,
                    "description": description,
                },
                "vendor": {
                    "id": vendor_id,
                    "name": vendor_name,
                    "province": {"code": province_id, "name": province_names.get(province_id)},
                    "regency": (
                        {"code": regency_id, "name": regency_names.get(regency_id)}
                        if regency_id
                        else None
                    ),
                    "business_phone": business_phone or None,
                    "business_email": business_email or None,
                },
                "price": price,
                "price_includes_tax": price_includes_tax,
                "minimum_order": minimum_order,
                "capacity_per_month": capacity_per_month,
                "delivery_provinces": provinces.get(pk, []),
                "tkdn_percent": float(tkdn_percent) if tkdn_percent is not None else None,
                "certificate": {
                    "number": certificate_number,
                    "valid_until": certificate_valid_until.isoformat(),
                    "verify_url": urls.absolute(f"/verify/{certificate_number}/"),
                },
                "permit": {"kind": permit_kind, "number": permit_number} if permit_number else None,
                "photos": urls.photos(listing_photos) if listing_photos else [],
            }
        )
    return items


def feed_rows(*, updated_since: str | None, cursor: str | None) -> QuerySet[Listing]:
    """The listings a page starts from, in feed order: after the cursor, else since a time."""
    rows = feed_listings()
    settle = timezone.now() - datetime.timedelta(seconds=settings.CATALOGUE_FEED_SETTLE_SECONDS)
    rows = rows.filter(updated_at__lte=settle)
    if cursor:
        after, pk = decode_cursor(cursor)
        # The redundant lower bound is what lets the database start the index scan at the
        # cursor: with the OR alone it reads every earlier row of the index and filters them out,
        # which made paging through the whole feed quadratic (docs/performance.md).
        return rows.filter(
            Q(updated_at__gte=after), Q(updated_at__gt=after) | Q(updated_at=after, pk__gt=pk)
        )
    if updated_since:
        return rows.filter(updated_at__gte=parse_since(updated_since))
    return rows


def feed_page(
    *, request, updated_since: str | None, cursor: str | None, limit: str | None
) -> FeedPage:
    size = parse_limit(limit)
    rows = feed_rows(updated_since=updated_since, cursor=cursor)
    page = list(rows.values_list(*COLUMNS)[: size + 1])
    more = len(page) > size
    page = page[:size]
    return FeedPage(
        items=_items(page, request),
        next_cursor=encode_cursor(page[-1][2], page[-1][0]) if more else None,
    )
