"""Listing photos in S3: copied to the public location when a product is listed, readable by
anyone with a year-long cache, and deleted when the product is delisted."""

import re

import pytest
from django.urls import reverse

from catalogue.models import ListingPhoto
from certification import services
from config.s3 import PUBLIC_CACHE_CONTROL
from tests.catalogue.helpers import live_listing
from tests.storage.browser import fetch

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def public_keys(bucket, listing) -> list[str]:
    return bucket.object_keys(f"public/listings/{listing.pk}/")


def test_approved_listing_photos_are_public_and_cached_for_a_year(client, bucket):
    live = live_listing()
    photos = ListingPhoto.objects.filter(listing=live.listing)
    expected = sorted(
        f"public/{name}" for photo in photos for name in (photo.image.name, photo.thumbnail.name)
    )
    assert len(expected) == 6
    assert public_keys(bucket, live.listing) == expected

    page = client.get(reverse("catalogue:detail", args=[live.listing.pk]))
    sources = re.findall(r'<img src="([^"]+)"', page.content.decode())

    assert len(sources) == 3
    for src in sources:
        assert src.startswith(bucket.unsigned_url("public/listings/"))
        assert "Signature" not in src
        fetched = fetch(src)
        assert fetched.status == 200
        assert fetched.headers["Content-Type"] == "image/jpeg"
        assert fetched.headers["Cache-Control"] == PUBLIC_CACHE_CONTROL


def test_product_photos_stay_private_when_the_product_is_listed(bucket):
    live = live_listing()

    private = bucket.object_keys(f"private/photos/{live.listing.vendor_id}/")

    assert private
    assert all(fetch(bucket.unsigned_url(key)).status == 403 for key in private)


def test_delisting_deletes_the_public_photos(bucket, django_capture_on_commit_callbacks):
    live = live_listing()
    urls = [bucket.unsigned_url(key) for key in public_keys(bucket, live.listing)]
    assert all(fetch(url).status == 200 for url in urls)

    with django_capture_on_commit_callbacks(execute=True):
        services.suspend_certificate(certificate=live.certificate, by=live.approver, reason="Aduan")

    assert public_keys(bucket, live.listing) == []
    assert all(fetch(url).status in (403, 404) for url in urls)
