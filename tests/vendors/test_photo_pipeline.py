"""The photo pipeline as an applicant meets it: what is accepted, what is refused, what is kept.

Every image is generated in memory with Pillow; nothing is read from or committed to disk.
"""

import io
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from PIL import Image

from tests import factories
from vendors import services
from vendors.images import THUMBNAIL_SIZE, process_photo
from vendors.models import ProductPhoto

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"^photos/\d+/[0-9a-f]{32}\.jpg$")
STORED_THUMB = re.compile(r"^photos/\d+/[0-9a-f]{32}_thumb\.jpg$")


# --- helpers -------------------------------------------------------------------------------


def encode(img: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def png_with_dimensions(width: int, height: int) -> bytes:
    """A valid PNG header claiming huge dimensions, with almost no pixel data (68 bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 10))
        + chunk(b"IEND", b"")
    )


def private_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "private"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def stored_image(field) -> Image.Image:
    with field.open("rb") as handle:
        img = Image.open(io.BytesIO(handle.read()))
        img.load()
    return img


def refusal(data: bytes, name="photo.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_photo(factories.upload(data, name=name))
    return caught.value


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; the pages themselves default to Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture
def owner():
    return factories.applicant()


@pytest.fixture
def item(owner):
    return factories.product(vendor=factories.vendor(owner=owner, complete=False))


def store(item, owner, *uploads) -> list[ProductPhoto]:
    return services.add_product_photos(product=item, by=owner, uploads=list(uploads))


# --- accepted formats, stored clean ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [
        ("JPEG", "masker.jpg", "image/jpeg"),
        ("PNG", "masker.png", "image/png"),
        ("WEBP", "masker.webp", "image/webp"),
    ],
)
def test_jpeg_png_and_webp_photos_are_stored_as_jpeg(item, owner, fmt, name, content_type):
    data = factories.image_bytes(fmt, size=(640, 480))

    [photo] = store(item, owner, factories.upload(data, name=name, content_type=content_type))

    stored = stored_image(photo.image)
    assert stored.format == "JPEG"
    assert stored.size == (640, 480)
    assert (photo.width, photo.height) == (640, 480)
    assert photo.size_bytes == photo.image.size
    assert STORED_NAME.match(photo.image.name)
    assert (Path(settings.MEDIA_ROOT) / "private" / photo.image.name).is_file()


@pytest.mark.parametrize("name", ["../../etc/passwd.jpg", "ktp-siti.jpg", "foto masker (1).JPG"])
def test_stored_file_name_is_generated_not_the_uploaded_name(item, owner, name):
    [photo] = store(item, owner, factories.upload(name=name))

    assert STORED_NAME.match(photo.image.name), photo.image.name
    assert STORED_THUMB.match(photo.thumbnail.name), photo.thumbnail.name
    assert photo.thumbnail.name == photo.image.name.replace(".jpg", "_thumb.jpg")
    stem = Path(name).stem
    assert stem not in photo.image.name and "passwd" not in photo.image.name
    # Everything written stays inside the private media folder.
    private_root = (Path(settings.MEDIA_ROOT) / "private").resolve()
    files = private_files()
    assert len(files) == 2
    assert all(private_root in f.resolve().parents for f in files)


def test_two_uploads_of_the_same_file_get_different_names(item, owner):
    first, second = store(item, owner, factories.upload(), factories.upload())
    assert first.image.name != second.image.name


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 54.0, 12.5)
    gps[3] = "E"
    gps[4] = (107.0, 36.0, 3.25)
    return exif


def test_gps_location_in_the_upload_is_not_in_the_stored_photo(item, owner):
    data = encode(Image.new("RGB", (800, 600), (10, 120, 200)), "JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the upload does carry GPS

    [photo] = store(item, owner, factories.upload(data))

    for field in (photo.image, photo.thumbnail):
        stored = stored_image(field)
        exif = stored.getexif()
        assert len(exif) == 0
        assert not exif.get_ifd(0x8825)
        assert "exif" not in stored.info
        with field.open("rb") as handle:
            raw = handle.read()
        assert b"Exif\x00\x00" not in raw
        assert b"PhoneMaker" not in raw


def test_sideways_phone_photo_is_stored_upright(item, owner):
    # Orientation 6: the camera held upright wrote a landscape buffer "rotate 90° CW to view".
    data = encode(Image.new("RGB", (800, 600), (10, 120, 200)), "JPEG", exif=gps_exif(6))

    [photo] = store(item, owner, factories.upload(data))

    stored = stored_image(photo.image)
    assert stored.size == (600, 800)
    assert (photo.width, photo.height) == (600, 800)
    assert stored.getexif().get(0x0112) is None  # no orientation left to apply twice
    thumb = stored_image(photo.thumbnail)
    assert thumb.height > thumb.width


def test_orientation_6_turns_the_top_of_the_picture_to_the_right():
    # Paint the left edge red in the stored buffer; rotated 90° clockwise it becomes the top.
    img = Image.new("RGB", (800, 600), (255, 255, 255))
    img.paste((255, 0, 0), (0, 0, 100, 600))
    data = encode(img, "JPEG", exif=gps_exif(6), quality=95)

    result = process_photo(factories.upload(data))

    upright = Image.open(result.image)
    red, green, blue = upright.getpixel((300, 20))
    assert red > 200 and green < 60 and blue < 60
    assert upright.getpixel((300, 780))[1] > 200  # bottom stays white


def test_jpeg_comment_is_removed(item, owner):
    secret = b"KTP Siti Rahayu 3273011508850001"
    data = encode(Image.new("RGB", (400, 300), (0, 90, 0)), "JPEG", comment=secret)
    assert Image.open(io.BytesIO(data)).info.get("comment") == secret

    [photo] = store(item, owner, factories.upload(data))

    stored = stored_image(photo.image)
    assert not stored.info.get("comment")
    with photo.image.open("rb") as handle:
        assert b"Siti" not in handle.read()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(encode(Image.new("CMYK", (300, 200), (0, 100, 200, 0)), "JPEG"), id="cmyk"),
        pytest.param(factories.image_bytes("PNG", size=(300, 200), alpha=True), id="rgba-png"),
        pytest.param(encode(Image.new("I;16", (300, 200), 40000), "PNG"), id="16-bit-png"),
        pytest.param(encode(Image.new("P", (300, 200)), "PNG", transparency=0), id="palette"),
        pytest.param(encode(Image.new("L", (300, 200), 128), "JPEG"), id="greyscale"),
    ],
)
def test_unusual_colour_modes_are_accepted_as_rgb_jpeg(item, owner, data):
    [photo] = store(item, owner, factories.upload(data))

    stored = stored_image(photo.image)
    assert stored.format == "JPEG"
    assert stored.mode == "RGB"
    assert stored.size == (300, 200)


def test_transparent_png_is_flattened_on_white_not_black():
    data = encode(Image.new("RGBA", (200, 100), (0, 0, 0, 0)), "PNG")
    result = process_photo(factories.upload(data, name="logo.png", content_type="image/png"))
    assert min(Image.open(result.image).getpixel((100, 50))) > 240


def test_16_bit_png_keeps_its_brightness():
    data = encode(Image.new("I;16", (100, 100), 40000), "PNG")  # 40000/65535 ≈ 61 % grey
    result = process_photo(factories.upload(data, name="scan.png", content_type="image/png"))
    grey = Image.open(result.image).getpixel((50, 50))
    assert all(145 <= channel <= 167 for channel in grey)


def test_thumbnail_is_at_most_400_px_and_display_copy_at_most_1600(item, owner):
    big = factories.image_bytes("JPEG", size=(3000, 1200))
    small = factories.image_bytes("JPEG", size=(300, 200))

    photo, tiny = store(item, owner, factories.upload(big), factories.upload(small))

    thumb = stored_image(photo.thumbnail)
    assert max(thumb.size) <= THUMBNAIL_SIZE == 400
    assert thumb.size == (400, 160)  # aspect ratio kept
    assert max(stored_image(photo.image).size) == 1600
    assert stored_image(tiny.thumbnail).size == (300, 200)  # never enlarged


# --- refused uploads ---------------------------------------------------------------------------


def test_decompression_bomb_png_is_refused_without_decoding():
    # 10000 × 10000 one-bit pixels: 12 kB on disk, 100 megapixels once decoded.
    bomb = encode(Image.new("1", (10000, 10000)), "PNG")
    assert len(bomb) < 50_000
    assert settings.PHOTO_MAX_PIXELS < 10000 * 10000

    error = refusal(bomb, name="bomb.png")

    assert error.code == "too_many_pixels"
    assert "megapixel" in error.messages[0]


@pytest.mark.parametrize(
    ("width", "height"),
    [(100_000, 100_000), (50_000, 50_000), (8000, 8000), (20_001, 1)],
)
def test_tiny_file_claiming_huge_dimensions_is_refused(width, height):
    error = refusal(png_with_dimensions(width, height), name="tiny.png")
    assert error.code == "too_many_pixels"


def test_pixel_limit_follows_the_setting(settings):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    error = refusal(factories.image_bytes("JPEG", size=(1200, 900)))
    assert error.code == "too_many_pixels"
    assert "1200×900" in error.messages[0]
    process_photo(factories.upload(factories.image_bytes("JPEG", size=(1000, 1000))))


def test_truncated_jpeg_is_refused_as_damaged():
    noise = Image.effect_noise((800, 600), 60).convert("RGB")
    data = encode(noise, "JPEG")

    error = refusal(data[: len(data) // 2])

    assert error.code == "corrupt"
    assert "damaged" in error.messages[0]


def test_truncated_png_is_refused_as_damaged():
    error = refusal(png_with_dimensions(100, 100), name="cut.png")
    assert error.code == "corrupt"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Daftar harga masker kain\n11000\n", id="text"),
        pytest.param(b"<!doctype html><html><script>alert(1)</script></html>", id="html"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            id="svg",
        ),
        pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", id="pdf"),
        pytest.param(b"", id="empty"),
        pytest.param(encode(Image.new("RGB", (50, 50)), "BMP"), id="bmp"),
        pytest.param(encode(Image.new("RGB", (50, 50)), "TIFF"), id="tiff"),
    ],
)
def test_non_photo_renamed_to_jpg_is_refused(data):
    error = refusal(data, name="photo.jpg")
    assert error.code == "not_image"
    assert "JPEG, PNG or WebP" in error.messages[0]


def frames():
    return [Image.new("RGB", (60, 60), colour) for colour in ((255, 0, 0), (0, 0, 255))]


def test_gif_is_refused_even_as_a_still_image():
    still, _ = frames()
    assert refusal(encode(still, "GIF"), name="a.gif").code == "not_image"
    first, *rest = frames()
    animated = encode(first, "GIF", save_all=True, append_images=rest)
    assert refusal(animated, name="a.jpg").code == "not_image"


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animated_webp_and_png_are_refused(fmt):
    first, *rest = frames()
    data = encode(first, fmt, save_all=True, append_images=rest)

    error = refusal(data, name=f"moving.{fmt.lower()}")

    assert error.code == "animated"
    assert "still photo" in error.messages[0]


def test_photo_over_the_byte_limit_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (700, 600), os.urandom(700 * 600 * 3))
    data = encode(noise, "PNG")  # random pixels do not compress: about 1.2 MB
    assert len(data) > settings.PHOTO_MAX_BYTES

    error = refusal(data, name="big.png")

    assert error.code == "too_large"
    assert "1 MB" in error.messages[0]


def test_byte_limit_holds_when_the_upload_does_not_say_its_size(settings):
    settings.PHOTO_MAX_BYTES = 10_000
    data = encode(Image.frombytes("RGB", (100, 100), os.urandom(30_000)), "PNG")
    upload = factories.upload(data, name="x.png")
    upload.size = None

    with pytest.raises(ValidationError) as caught:
        process_photo(upload)
    assert caught.value.code == "too_large"


def test_one_bad_photo_among_several_stores_none(item, owner):
    uploads = [
        factories.upload(name="front.jpg"),
        factories.upload(b"<html>not a photo</html>", name="side.jpg"),
        factories.upload(factories.image_bytes("PNG"), name="label.png"),
    ]

    with pytest.raises(ValidationError) as caught:
        store(item, owner, *uploads)

    assert caught.value.messages == [
        "Photo 2: This file is not a photo Kurasi can read: use JPEG, PNG or WebP."
    ]
    assert ProductPhoto.objects.count() == 0
    assert private_files() == []


def test_every_bad_photo_is_named_in_the_error(item, owner):
    bomb = png_with_dimensions(50_000, 50_000)
    with pytest.raises(ValidationError) as caught:
        store(
            item,
            owner,
            factories.upload(b"text", name="a.jpg"),
            factories.upload(),
            factories.upload(bomb, name="c.png"),
        )
    messages = caught.value.messages
    assert [m.split(":")[0] for m in messages] == ["Photo 1", "Photo 3"]
    assert ProductPhoto.objects.count() == 0


def test_failure_while_storing_leaves_no_files_behind(item, owner, monkeypatch):
    original_save = ProductPhoto.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(ProductPhoto, "save", failing_save)

    with pytest.raises(RuntimeError):
        store(item, owner, factories.upload(), factories.upload())

    assert ProductPhoto.objects.count() == 0
    assert private_files() == []


# --- through the portal page -------------------------------------------------------------------


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def photos_url(item) -> str:
    return reverse("vendors:product_photos", args=[item.pk])


def test_owner_uploads_several_photos_from_the_page(owner_client, item):
    response = owner_client.post(
        photos_url(item),
        {"photos": [factories.upload(name="a.jpg"), factories.upload(name="b.jpg")]},
    )

    assert response.status_code == 302
    assert response["Location"] == photos_url(item)
    assert item.photos.count() == 2
    page = owner_client.get(photos_url(item))
    for photo in item.photos.all():
        assert reverse("vendors:photo_file", args=[photo.pk, "thumb"]) in page.content.decode()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.jpg", id="svg"),
        pytest.param(png_with_dimensions(100_000, 100_000), "bomb.png", id="bomb"),
        pytest.param(factories.image_bytes()[:2000], "cut.jpg", id="truncated"),
        pytest.param(b"", "empty.jpg", id="empty"),
    ],
)
def test_bad_upload_redisplays_the_page_with_an_error(owner_client, item, data, name):
    response = owner_client.post(
        photos_url(item), {"photos": [factories.upload(), factories.upload(data, name=name)]}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["photos"]
    assert errors
    html = response.content.decode()
    assert 'class="error"' in html
    assert item.photos.count() == 0
    assert private_files() == []


def test_pressing_upload_without_choosing_a_file_asks_for_one(owner_client, item):
    # A browser always sends the CSRF token; the empty file input sends no file at all.
    response = owner_client.post(photos_url(item), {"csrfmiddlewaretoken": "token"})

    assert response.status_code == 200
    assert response.context["form"].errors["photos"]
    assert not [m for m in response.context["messages"] if m.level_tag == "success"]


def test_stored_photo_is_served_only_as_jpeg_to_the_owner(owner_client, item, owner):
    [photo] = store(item, owner, factories.upload(name="ktp-siti.jpg"))

    response = owner_client.get(reverse("vendors:photo_file", args=[photo.pk, "display"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "JPEG"


# --- deleting ----------------------------------------------------------------------------------


def test_deleting_a_photo_removes_its_files(item, owner, django_capture_on_commit_callbacks):
    keep, gone = store(item, owner, factories.upload(), factories.upload())
    assert len(private_files()) == 4

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_product_photo(photo=gone, by=owner)

    assert list(item.photos.all()) == [keep]
    remaining = {p.name for p in private_files()}
    assert remaining == {Path(keep.image.name).name, Path(keep.thumbnail.name).name}


def test_owner_removes_a_photo_from_the_page(
    owner_client, item, owner, django_capture_on_commit_callbacks
):
    [photo] = store(item, owner, factories.upload())

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("vendors:photo_delete", args=[photo.pk]))

    assert response.status_code == 302
    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()
    assert private_files() == []


def test_deleting_a_product_removes_its_photo_files(
    item, owner, django_capture_on_commit_callbacks
):
    store(item, owner, factories.upload(), factories.upload())

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_product(product=item, by=owner)

    assert ProductPhoto.objects.count() == 0
    assert private_files() == []
