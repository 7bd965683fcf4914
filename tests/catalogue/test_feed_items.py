"""The feed's items are built from plain rows, yet say exactly what the per-listing builder said.

``reference_item`` is the builder the feed used before it read ``values_list`` rows (one model
instance per listing, its photos and delivery provinces prefetched, ``reverse`` and
``build_absolute_uri`` per URL). The feed's pages must encode to the same JSON, byte for byte,
for every kind of listing a consumer meets.
"""

import json
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from catalogue.feed import feed_page
from catalogue.models import Listing, ListingPhoto
from regions.models import Regency
from tests.catalogue.helpers import copies, live_listing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_settle_window(settings):
    settings.CATALOGUE_FEED_SETTLE_SECONDS = 0


def reference_queryset():
    return (
        Listing.objects.select_related("province", "regency")
        .prefetch_related(
            Prefetch("photos", queryset=ListingPhoto.objects.order_by("position")),
            "delivery_provinces",
        )
        .order_by("updated_at", "pk")
    )


def reference_item(listing: Listing, request) -> dict:
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


def encoded(items) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def varied(db):
    """Listings of every shape: photos or none, tombstones, provinces, optional fields."""
    live = live_listing()
    first = live.listing
    plain, delisted, rich, no_regency, quoted = copies(first, 5)
    Listing.objects.filter(pk=delisted.pk).update(status=Listing.Status.DELISTED)
    rich.delivery_provinces.set(["35", "32", "11"])
    Listing.objects.filter(pk=rich.pk).update(
        tkdn_percent=Decimal("45.50"),
        permit_kind="AKD",
        permit_number="AKD 20901234567",
        business_phone="+62 22 1234567",
        business_email="jual@contoh.id",
        product_name="Masker \u201ckatun\u201d — 3 lapis",
        description='Tiga lapis, "combed"\nbaris kedua',
        price_includes_tax=True,
    )
    other_regency = Regency.objects.exclude(pk=first.regency_id).first()
    no_regency.delivery_provinces.set(["32"])
    Listing.objects.filter(pk=no_regency.pk).update(regency=None, tkdn_percent=Decimal("0"))
    Listing.objects.filter(pk=plain.pk).update(
        regency=other_regency, province=other_regency.province
    )
    # A certificate number and photo names that build_absolute_uri has to quote.
    Listing.objects.filter(pk=quoted.pk).update(certificate_number="KRS 2026/ü")
    ListingPhoto.objects.create(
        listing=quoted, position=0, image="listings/x/foto ü.jpg", thumbnail="listings/x/t ü.jpg"
    )
    ListingPhoto.objects.create(
        listing=quoted, position=1, image="listings/x/b.jpg", thumbnail="listings/x/b-t.jpg"
    )
    # A listing with photos whose certificate was suspended: a tombstone, no photos served.
    Listing.objects.filter(pk=first.pk).update(status=Listing.Status.DELISTED)
    second = live_listing(programme=live.case.programme)
    second.listing.delivery_provinces.set(["31", "36"])
    return [first, plain, delisted, rich, no_regency, quoted, second.listing]


@pytest.mark.parametrize(
    ("host", "secure", "prefix"),
    [("testserver", False, "/"), ("kurasi.example", True, "/kurasi/")],
    ids=["http", "https-behind-a-prefix"],
)
def test_feed_items_equal_the_per_listing_builder(settings, varied, host, secure, prefix):
    settings.ALLOWED_HOSTS = ["testserver", "kurasi.example"]
    request = RequestFactory().get("/catalogue/feed.json", secure=secure, HTTP_HOST=host)
    set_script_prefix(prefix)
    try:
        expected = [reference_item(listing, request) for listing in reference_queryset()]
        items = feed_page(request=request, updated_since=None, cursor=None, limit="500").items
    finally:
        set_script_prefix("/")

    assert encoded(items) == encoded(expected)
    # (status, has photos, names delivery provinces): every shape took part.
    kinds = {(i["status"], bool(i.get("photos")), bool(i.get("delivery_provinces"))) for i in items}
    assert kinds == {
        ("delisted", False, False),
        ("live", True, False),
        ("live", True, True),
        ("live", False, True),
        ("live", False, False),
    }
    assert len(items) == len(varied)


def test_paged_items_equal_the_per_listing_builder(varied):
    request = RequestFactory().get("/catalogue/feed.json")
    expected = [reference_item(listing, request) for listing in reference_queryset()]
    items, cursor = [], None
    while True:
        page = feed_page(request=request, updated_since=None, cursor=cursor, limit="2")
        items.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert encoded(items) == encoded(expected)
