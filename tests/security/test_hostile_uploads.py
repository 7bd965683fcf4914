"""Hostile files through the two upload pages: product photos and permit documents.

The corpus in tests/data/hostile/ is made by scripts/make_hostile_corpus.py; its manifest says
for every file what each upload must do. A refused file gets a message that says why, and
leaves nothing behind: no row, no file under MEDIA_ROOT (isolated per test). An accepted file
is stored re-encoded under a generated name, without EXIF/GPS/XMP or anything the upload carried
besides its pixels (a PDF is the exception: stored as sent, and only ever downloaded).
"""

from __future__ import annotations

import datetime
import io
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from certification.documents import clean_document
from certification.models import ChecklistItem, PermitCase, PermitDocument
from curation.models import Application, AssessorOrganisation, Programme
from scripts.make_hostile_corpus import corpus as corpus_entries
from tests import factories
from tests.security.hostile import client_for, media_files
from vendors.images import process_photo
from vendors.models import ProductPhoto

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent.parent / "data" / "hostile"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["files"]
GPS_IFD = 0x8825

# What the person reads for each refusal (English; pages are requested in English).
REFUSALS = {
    "not_image": "This file is not a photo Kurasi can read: use JPEG, PNG or WebP.",
    "corrupt": "damaged or incomplete",
    "too_many_pixels": "too many pixels",
    "animated": "Animated images are not accepted",
    "empty": "The submitted file is empty.",
    "bad_type": "Upload the document as a PDF, or as a JPEG, PNG or WebP photo or scan.",
    "too_large": "too large",
}
STORED_PHOTO = re.compile(r"^photos/\d+/[0-9a-f]{32}(_thumb)?\.jpg$")
STORED_DOCUMENT = re.compile(r"^permits/\d+/[0-9a-f]{32}\.(pdf|jpg)$")
HOSTILE_NAMES = [
    "../../../../etc/passwd.jpg",
    "..\\..\\..\\windows\\win.ini.jpg",
    "/etc/passwd",
    "foto\u202egpj.exe",
    "фото масker 😷 中文.jpg",
    "a" * 300 + ".jpg",
    "<script>alert(1)</script>.jpg",
    'x" onerror="alert(1).jpg',
    "photo.php.jpg",
    ".htaccess",
    "CON.jpg",
    "photo\x00.php.jpg",
]


def corpus_file(entry: dict) -> bytes:
    return (CORPUS / entry["name"]).read_bytes()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    # Browsers claim what they like; the claim is never trusted, so it is always "a photo".
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def decoded(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def metadata_left(data: bytes) -> list[str]:
    """Anything besides pixels in a stored JPEG."""
    img = decoded(data)
    found = [key for key in ("exif", "xmp", "comment", "icc_profile") if img.info.get(key)]
    if len(img.getexif()):
        found.append("EXIF tags")
    if b"\xff\xe1" in data:  # an APP1 segment: EXIF or XMP
        found.append("APP1 segment")
    return found


def check_clean_jpeg(data: bytes, entry: dict, original: bytes) -> None:
    img = decoded(data)
    assert img.format == "JPEG" and img.mode == "RGB"
    assert not metadata_left(data), metadata_left(data)
    for marker in entry["forbidden"]:
        assert marker.encode("latin-1") not in data, marker
    if entry["gps"]:
        # The upload really carried a location; the stored copy has none.
        assert decoded(original).getexif().get_ifd(GPS_IFD)
    if entry["rotated"]:
        source = decoded(original)
        assert (img.width > img.height) == (source.height > source.width)


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def owner():
    return factories.applicant()


@pytest.fixture
def item(owner):
    return factories.product(vendor=factories.vendor(owner=owner))


@pytest.fixture
def permit_case(owner):
    """A permit case waiting for its documents, built directly in the database: only its state
    matters here (the workflow up to it is tested in tests/certification)."""
    vendor, product = factories.verified_vendor_with_product(
        owner=owner, category="medical_mask", photos=0
    )
    today = timezone.localdate()
    programme = Programme.objects.create(
        name="Kurasi APD",
        categories=["medical_mask"],
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
        assessor=AssessorOrganisation.objects.create(name="PT Penilai", lead=factories.curator()),
    )
    application = Application.objects.create(
        programme=programme,
        vendor=vendor,
        product=product,
        status=Application.Status.PERMIT_SUPPORT,
        created_by=owner,
    )
    return PermitCase.objects.create(application=application, kind="AKD")


def post_photo(owner, item, data: bytes, name: str):
    return client_for(owner).post(
        reverse("vendors:product_photos", args=[item.pk]), {"photos": upload(data, name)}
    )


def post_document(owner, case, data: bytes, name: str):
    checklist_item = ChecklistItem.objects.filter(kind=case.kind).order_by("position").first()
    return client_for(owner).post(
        reverse("certification:document_upload", args=[case.pk, checklist_item.pk]),
        {"file": upload(data, name)},
    )


def assert_refused(response, code: str, stored_rows) -> None:
    assert response.status_code == 200
    assert REFUSALS[code] in response.content.decode()
    assert not stored_rows.exists()
    assert media_files() == []


# --- the corpus -----------------------------------------------------------------------------


def test_the_corpus_is_what_the_script_makes_and_stays_small():
    entries = corpus_entries()
    assert [e.name for e in entries] == [m["name"] for m in MANIFEST]
    on_disk = {p.name for p in CORPUS.iterdir()} - {"manifest.json"}
    assert on_disk == {m["name"] for m in MANIFEST}
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 2 * 1024 * 1024
    assert any(m["name"].startswith("bomb_") for m in MANIFEST)


@pytest.mark.parametrize("entry", MANIFEST, ids=[m["name"] for m in MANIFEST])
def test_hostile_file_as_product_photo(owner, item, entry):
    original = corpus_file(entry)

    response = post_photo(owner, item, original, entry["name"])

    if entry["photo"] != "accepted":
        assert_refused(response, entry["photo"], ProductPhoto.objects.all())
        return
    assert response.status_code == 302
    photo = ProductPhoto.objects.get(product=item)
    assert STORED_PHOTO.match(photo.image.name) and STORED_PHOTO.match(photo.thumbnail.name)
    assert {p.name for p in media_files()} == {
        Path(photo.image.name).name,
        Path(photo.thumbnail.name).name,
    }
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as handle:
            check_clean_jpeg(handle.read(), entry, original)


@pytest.mark.parametrize("entry", MANIFEST, ids=[m["name"] for m in MANIFEST])
def test_hostile_file_as_permit_document(owner, permit_case, entry):
    original = corpus_file(entry)

    response = post_document(owner, permit_case, original, entry["name"])

    if entry["document"] != "accepted":
        assert_refused(response, entry["document"], PermitDocument.objects.all())
        return
    assert response.status_code == 302
    document = PermitDocument.objects.get(case=permit_case)
    assert STORED_DOCUMENT.match(document.file.name)
    assert [p.name for p in media_files()] == [Path(document.file.name).name]
    with document.file.open("rb") as handle:
        stored = handle.read()
    download = client_for(owner).get(reverse("certification:document", args=[document.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox"
    assert factories.read_streamed(download) == stored
    # Never rendered inside Kurasi's origin: the browser saves every document.
    assert download["Content-Disposition"].startswith("attachment;")
    if document.content_type == "application/pdf":
        assert stored == original
        assert download["Content-Type"] == "application/pdf"
    else:
        assert download["Content-Type"] == "image/jpeg"
        check_clean_jpeg(stored, entry, original)


# --- file names -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_uploaded_file_name_is_never_used(settings, owner, item, permit_case, name):
    photo_page = post_photo(owner, item, factories.image_bytes(size=(60, 40)), name)
    document_page = post_document(owner, permit_case, factories.image_bytes(size=(60, 40)), name)

    assert photo_page.status_code == document_page.status_code == 302
    photo = ProductPhoto.objects.get()
    document = PermitDocument.objects.get()
    assert STORED_PHOTO.match(photo.image.name)
    assert STORED_DOCUMENT.match(document.file.name)
    stored = media_files()
    assert len(stored) == 3  # display copy, thumbnail, document
    assert all(Path(settings.MEDIA_ROOT) in p.parents for p in stored)
    gallery = client_for(owner).get(reverse("vendors:product_photos", args=[item.pk]))
    case_page = client_for(owner).get(reverse("certification:case", args=[permit_case.pk]))
    for page in (gallery, case_page):
        html = page.content.decode()
        assert "<script>alert(1)" not in html and 'onerror="alert(1)' not in html
        assert "passwd" not in html and "win.ini" not in html


# --- oversized requests ---------------------------------------------------------------------


def padded_jpeg() -> bytes:
    """A valid JPEG of about 150 KB (bytes after its end marker count towards the size)."""
    return factories.image_bytes("JPEG", size=(60, 40)) + b"\x00" * 150_000


def test_photo_over_the_byte_limit_is_refused_and_nothing_stored(settings, owner, item):
    settings.PHOTO_MAX_BYTES = 100_000
    response = post_photo(owner, item, padded_jpeg(), "big.jpg")
    assert_refused(response, "too_large", ProductPhoto.objects.all())


def test_document_over_the_byte_limit_is_refused_and_nothing_stored(settings, owner, permit_case):
    settings.DOCUMENT_MAX_BYTES = 100_000
    pdf = (CORPUS / "document_ok.pdf").read_bytes()
    big = pdf.replace(b"trailer", b"%" + b"x" * 200_000 + b"\ntrailer")
    response = post_document(owner, permit_case, big, "big.pdf")
    assert_refused(response, "too_large", PermitDocument.objects.all())


def test_request_over_the_size_limit_gets_413_with_a_clear_page(settings, owner, item):
    settings.REQUEST_MAX_BYTES = 1024 * 1024
    data = factories.image_bytes(size=(60, 40)) + b"\x00" * (2 * 1024 * 1024)

    response = post_photo(owner, item, data, "huge.jpg")

    assert response.status_code == 413
    assert "at most 1 MB in one go" in response.content.decode()
    assert not ProductPhoto.objects.exists() and media_files() == []


def test_more_files_than_django_accepts_in_one_request_is_a_400_page(owner, item, settings):
    files = [upload(b"x", f"{n}.jpg") for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]

    response = client_for(owner).post(
        reverse("vendors:product_photos", args=[item.pk]), {"photos": files}
    )

    assert response.status_code == 400
    assert "The request could not be handled" in response.content.decode()
    assert not ProductPhoto.objects.exists() and media_files() == []


def test_more_photos_than_a_product_may_have_are_refused_and_none_stored(settings, owner, item):
    photos = [
        upload(factories.image_bytes(size=(40, 30)), f"{n}.jpg")
        for n in range(settings.PHOTO_MAX_PER_PRODUCT + 1)
    ]

    response = client_for(owner).post(
        reverse("vendors:product_photos", args=[item.pk]), {"photos": photos}
    )

    assert response.status_code == 200
    assert "at most" in response.content.decode()
    assert not ProductPhoto.objects.exists() and media_files() == []


def test_form_fields_over_the_memory_limit_are_a_400_page(settings, owner, item):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    vendor = item.vendor
    response = client_for(owner).post(
        reverse("vendors:product_edit", args=[vendor.pk, item.pk]),
        {"name": "Masker", "description": "x" * 100_000},
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.description == "Katun tiga lapis"


def test_too_many_form_fields_is_a_400_page(settings, owner, item):
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client_for(owner).post(
        reverse("vendors:product_edit", args=[item.vendor.pk, item.pk]), fields
    )
    assert response.status_code == 400


def test_mutated_photos_are_either_accepted_or_refused_with_a_reason():
    """A seeded fuzz: bytes flipped, cut and inserted in valid photos of every accepted format.
    Pillow reports malformed files with many exception types; none may escape as a 500."""
    # Not the 36-megapixel file: each of its variants would take a second to decode.
    seeds = [
        corpus_file(m)
        for m in MANIFEST
        if m["photo"] == "accepted" and not m["name"].startswith("limit_edge")
    ]
    rng = random.Random(20260101)
    outcomes = Counter()
    for _ in range(400):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            action = rng.random()
            if action < 0.6:
                data[at] = rng.randrange(256)
            elif action < 0.8:
                del data[at : at + rng.randint(1, 64)]
            else:
                data[at:at] = rng.randbytes(rng.randint(1, 64))
        for check in (process_photo, clean_document):
            try:
                check(upload(bytes(data), "mutated.jpg"))
                outcomes["accepted"] += 1
            except ValidationError as error:
                assert error.code in REFUSALS, error.code
                outcomes[error.code] += 1
    assert outcomes["accepted"] and outcomes["corrupt"]  # the fuzz reached both ends
