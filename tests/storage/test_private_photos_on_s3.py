"""Product photos in S3: stored privately, opened only through a short-lived signed URL that a
view hands out after its permission check, and removed with the photo."""

import io
import time
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from tests import factories
from tests.curation import builders
from tests.storage.browser import fetch

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def owner():
    return factories.applicant()


@pytest.fixture
def item(owner):
    _vendor, product = factories.verified_vendor_with_product(owner=owner, photos=0)
    return product


def upload_from_the_page(client, item, count=2):
    response = client.post(
        reverse("vendors:product_photos", args=[item.pk]),
        {"photos": [factories.upload(name=f"p{n}.jpg") for n in range(count)]},
    )
    assert response.status_code == 302
    return list(item.photos.order_by("created_at"))


def stored_objects(photo) -> set[str]:
    return {f"private/{photo.image.name}", f"private/{photo.thumbnail.name}"}


def photo_url(photo, variant="display") -> str:
    return reverse("vendors:photo_file", args=[photo.pk, variant])


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_uploaded_photos_are_stored_in_the_bucket_as_jpeg_and_thumbnail(
    client, owner, item, bucket
):
    client.force_login(owner)

    photos = upload_from_the_page(client, item)

    assert len(photos) == 2
    assert bucket.object_keys() == sorted(key for photo in photos for key in stored_objects(photo))
    assert all(key.startswith(f"private/photos/{item.vendor_id}/") for key in bucket.object_keys())
    for photo in photos:
        stored = bucket.client.get_object(Bucket=bucket.name, Key=f"private/{photo.image.name}")
        image = Image.open(io.BytesIO(stored["Body"].read()))
        assert (image.format, image.size) == ("JPEG", (photo.width, photo.height))
        thumb = bucket.client.get_object(Bucket=bucket.name, Key=f"private/{photo.thumbnail.name}")
        assert max(Image.open(io.BytesIO(thumb["Body"].read())).size) <= 400
        assert stored["ContentType"] == "image/jpeg"
        grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=f"private/{photo.image.name}")
        assert not [g for g in grants["Grants"] if g["Grantee"].get("URI", "").endswith("AllUsers")]


@pytest.mark.parametrize("variant", ["display", "thumb"])
def test_owner_is_redirected_to_a_signed_url_that_returns_the_photo(
    client, owner, item, bucket, variant
):
    client.force_login(owner)
    [photo] = upload_from_the_page(client, item, count=1)
    field = photo.thumbnail if variant == "thumb" else photo.image

    response = client.get(photo_url(photo, variant))

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(bucket.unsigned_url(f"private/{field.name}?"))
    assert query(location)["X-Amz-Expires"] == "60"
    assert response["Cache-Control"] == "private, max-age=30"
    fetched = fetch(location)
    assert fetched.status == 200
    stored = bucket.client.get_object(Bucket=bucket.name, Key=f"private/{field.name}")
    assert fetched.body == stored["Body"].read()
    assert fetched.headers["Content-Type"] == "image/jpeg"
    assert fetched.headers["Content-Disposition"] == "inline"


def test_application_photo_is_handed_out_the_same_way_to_its_owner(client, bucket):
    case = builders.submitted()
    photo_id = case.application.specification["photo_ids"][0]
    client.force_login(case.owner)

    response = client.get(reverse("curation:photo", args=[case.application.pk, photo_id, "thumb"]))

    assert response.status_code == 302
    fetched = fetch(response["Location"])
    assert fetched.status == 200
    assert Image.open(io.BytesIO(fetched.body)).format == "JPEG"


def test_another_applicant_gets_not_found_and_no_url(client, owner, item, bucket):
    client.force_login(owner)
    [photo] = upload_from_the_page(client, item, count=1)
    client.force_login(factories.applicant())

    response = client.get(photo_url(photo))

    assert response.status_code == 404
    assert "Location" not in response
    assert bucket.name not in response.content.decode()


def test_private_photo_cannot_be_fetched_without_a_signature(client, owner, item, bucket):
    client.force_login(owner)
    [photo] = upload_from_the_page(client, item, count=1)

    for key in stored_objects(photo):
        assert fetch(bucket.unsigned_url(key)).status == 403


def test_signed_url_for_one_photo_does_not_open_another(client, owner, item, bucket):
    client.force_login(owner)
    first, second = upload_from_the_page(client, item, count=2)
    location = client.get(photo_url(first))["Location"]

    retargeted = location.replace(first.image.name, second.image.name)

    assert retargeted != location
    fetched = fetch(retargeted)
    assert fetched.status == 403
    assert b"SignatureDoesNotMatch" in fetched.body


def test_signed_url_stops_working_once_it_expires(client, owner, item, bucket, settings):
    settings.PRIVATE_FILE_URL_EXPIRE = 2
    client.force_login(owner)
    [photo] = upload_from_the_page(client, item, count=1)

    location = client.get(photo_url(photo))["Location"]
    assert fetch(location).status == 200

    signed = query(location)
    signed_at = datetime.strptime(signed["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    expires_at = signed_at.timestamp() + int(signed["X-Amz-Expires"])
    time.sleep(max(0.0, expires_at - time.time()) + 0.5)

    fetched = fetch(location)
    assert fetched.status == 403
    assert b"Request has expired" in fetched.body
    # A new visit to the page gets a new, working URL.
    assert fetch(client.get(photo_url(photo))["Location"]).status == 200


def test_removing_a_photo_deletes_its_objects(
    client, owner, item, bucket, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    keep, gone = upload_from_the_page(client, item, count=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("vendors:photo_delete", args=[gone.pk]))

    assert response.status_code == 302
    assert bucket.object_keys() == sorted(stored_objects(keep))
