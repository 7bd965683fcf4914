"""Small factories for tests: users with roles, vendors ready to submit, real photos."""

import io

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import User
from regions.models import Regency
from vendors.models import Product, Vendor

PASSWORD = "a-Strong-pass-123"

# Valid identity numbers (stdnum-checked): NIKs registered in Kota Bandung / Surabaya.
VALID_NIK = "3273011508850001"
VALID_NIK_2 = "3578024203900002"
VALID_NPWP_15 = "012345674123000"
VALID_NPWP_16 = "3273011508850001"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    first_name = "Test"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


def applicant(**kwargs) -> User:
    return UserFactory(role="applicant", **kwargs)


def staff(**kwargs) -> User:
    return UserFactory(role="staff", **kwargs)


def approver(**kwargs) -> User:
    return UserFactory(role="approver", **kwargs)


def curator(**kwargs) -> User:
    return UserFactory(role="curator", **kwargs)


def complete_vendor_fields() -> dict:
    regency = Regency.objects.get(code="3273")
    return {
        "legal_name": "CV Uji Coba",
        "trading_name": "Uji",
        "nib": "9120001234561",
        "npwp": VALID_NPWP_15,
        "owner_name": "Siti",
        "owner_nik": VALID_NIK,
        "phone": "+6281234560001",
        "address": "Jl. Uji No. 1",
        "province": regency.province,
        "regency": regency,
        "postal_code": "40214",
        "capital_rupiah": 100_000_000,
        "yearly_sales_rupiah": 500_000_000,
        "business_scale": "mikro",
        "year_founded": 2015,
        "workforce": 5,
    }


def vendor(*, owner: User | None = None, complete: bool = True, **fields) -> Vendor:
    owner = owner or applicant()
    values = complete_vendor_fields() if complete else {"legal_name": "CV Draf"}
    values.update(fields)
    obj = Vendor.objects.create(**values)
    obj.owners.add(owner)
    return obj


def product(*, vendor: Vendor, **fields) -> Product:
    values = {
        "category": Product.Category.CLOTH_MASK,
        "name": "Masker kain 3 lapis",
        "description": "Katun tiga lapis",
        "layers": 3,
        "unit": "pcs",
        "capacity_per_month": 1000,
        "indicative_price": 11000,
    }
    values.update(fields)
    return Product.objects.create(vendor=vendor, **values)


def image_bytes(fmt="JPEG", size=(800, 600), colour=(200, 30, 30), **save_kwargs) -> bytes:
    mode = "RGBA" if fmt == "PNG" and save_kwargs.pop("alpha", False) else "RGB"
    img = Image.new(mode, size, colour)
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def upload(data: bytes | None = None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(
        name, data if data is not None else image_bytes(), content_type=content_type
    )


def vendor_ready_to_submit(*, owner: User | None = None) -> Vendor:
    """A complete draft vendor with one product and one stored photo."""
    from vendors.services import add_product_photos

    owner = owner or applicant()
    obj = vendor(owner=owner)
    item = product(vendor=obj)
    add_product_photos(product=item, by=owner, uploads=[upload()])
    return obj


def read_streamed(response) -> bytes:
    """Body of a FileResponse, closing the file without response.close().

    response.close() sends request_finished, which on PostgreSQL closes the test's database
    connection in the middle of its transaction.
    """
    try:
        return b"".join(response.streaming_content)
    finally:
        for closer in response._resource_closers:
            closer()
        response._resource_closers.clear()


# Curation


def assessor(
    *,
    curators: int = 2,
    categories=("cloth_mask", "medical_mask", "hand_sanitizer", "coverall_gown", "face_shield"),
    lead=None,
):
    """An assessor organisation with ``curators`` qualified curators (users in group curator)."""
    from curation.models import AssessorOrganisation, Curator, CuratorQualification

    organisation = AssessorOrganisation.objects.create(
        name=f"PT Penilai {AssessorOrganisation.objects.count() + 1}",
        lead=lead or UserFactory(role="curator"),
    )
    for _index in range(curators):
        profile = Curator.objects.create(user=curator(), organisation=organisation)
        CuratorQualification.objects.bulk_create(
            CuratorQualification(curator=profile, category=c) for c in categories
        )
    return organisation


def programme(*, assessor_org=None, **fields):
    """An open programme with the default rubrics copied in."""
    import datetime

    from curation.models import Programme
    from curation.services import copy_default_rubrics

    today = timezone.localdate()
    values = {
        "name": "Kurasi APD dan Masker — Gelombang I",
        "categories": ["cloth_mask", "medical_mask", "hand_sanitizer", "coverall_gown"],
        "opens_on": today - datetime.timedelta(days=10),
        "closes_on": today + datetime.timedelta(days=30),
        "assessor": assessor_org if assessor_org is not None else assessor(),
    }
    values.update(fields)
    obj = Programme.objects.create(**values)
    copy_default_rubrics(programme=obj)
    return obj


def verified_vendor_with_product(*, owner=None, category="cloth_mask", photos=3):
    """A verified vendor and a product with ``photos`` stored photos, ready to enter."""
    from vendors.models import Vendor
    from vendors.services import add_product_photos

    owner = owner or applicant()
    obj = vendor(owner=owner)
    Vendor.objects.filter(pk=obj.pk).update(status=Vendor.Status.VERIFIED)
    obj.refresh_from_db()
    extra = {"alcohol_percent": 70, "unit": "bottle"} if category == "hand_sanitizer" else {}
    item = product(vendor=obj, category=category, **extra)
    if photos:
        add_product_photos(
            product=item,
            by=owner,
            uploads=[upload(image_bytes(size=(200, 150))) for _ in range(photos)],
        )
    return obj, item
