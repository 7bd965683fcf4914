"""Demo catalogue: more certified UMKM products across categories and provinces.

Each vendor goes the whole way through the services — registration, verification, curation with
both curators, the permit where one is needed (an existing izin edar accepted by staff), approval
by ``approver1`` — so the catalogue, its feed and every audit trail are real. Idempotent: a
vendor whose NIB exists is skipped.
"""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum import luhn

from accounts.models import User
from accounts.roles import Role
from catalogue.services import update_listing_terms
from certification import services as certification
from curation import services as curation
from curation.models import Curator, Programme
from demo.images import product_picture
from regions.models import Province, Regency
from vendors import services as vendors
from vendors.models import Vendor
from vendors.scale import business_scale

# owner, name, legal name, regency, category, product, material/spec, unit, price, capacity, MOQ
CATALOGUE = [
    (
        "applicant12",
        "Cut Nyak Aminah",
        "CV Aceh Jahit Sejahtera",
        "1171",
        "cloth_mask",
        "Masker kain 3 lapis motif Aceh",
        {"layers": 3, "material": "Katun, motif kerawang"},
        "pcs",
        12_000,
        20_000,
        500,
    ),
    (
        "applicant13",
        "Rahmat Hidayat",
        "UD Minang Sulam Mandiri",
        "1375",
        "cloth_mask",
        "Masker kain sulam Bukittinggi",
        {"layers": 3, "material": "Katun sulam"},
        "pcs",
        17_500,
        8_000,
        200,
    ),
    (
        "applicant14",
        "Siti Aisyah",
        "CV Riau Medika Pratama",
        "1471",
        "medical_mask",
        "Masker medis 3 ply kotak 50",
        {"layers": 3, "material": "Spunbond, meltblown"},
        "box",
        42_000,
        25_000,
        100,
    ),
    (
        "applicant15",
        "Yohanes Simbolon",
        "PT Batam Pelindung Industri",
        "2171",
        "coverall_gown",
        "Gaun isolasi medis level 2",
        {"material": "SMS 45 gsm", "size": "M, L, XL"},
        "pcs",
        55_000,
        20_000,
        200,
    ),
    (
        "applicant16",
        "Dewi Anggraini",
        "Koperasi Wanita Matraman",
        "3175",
        "hand_sanitizer",
        "Hand sanitizer gel 60 ml saku",
        {"alcohol_percent": 70, "volume_ml": 60},
        "bottle",
        9_500,
        60_000,
        1_000,
    ),
    (
        "applicant17",
        "Bambang Riyadi",
        "CV Malang Face Shield",
        "3573",
        "face_shield",
        "Face shield anak dan dewasa",
        {"material": "PET 0,3 mm"},
        "pcs",
        12_500,
        30_000,
        500,
    ),
    (
        "applicant18",
        "Baiq Nurul",
        "UD Tenun Sasak Lombok",
        "5271",
        "cloth_mask",
        "Masker tenun Sasak 2 lapis",
        {"layers": 2, "material": "Tenun ikat, katun"},
        "pcs",
        22_000,
        4_000,
        100,
    ),
    (
        "applicant19",
        "Ahmad Fauzi",
        "CV Borneo Higienis",
        "6371",
        "hand_sanitizer",
        "Hand sanitizer cair 1 liter isi ulang",
        {"alcohol_percent": 80, "volume_ml": 1000},
        "litre",
        65_000,
        9_000,
        50,
    ),
    (
        "applicant20",
        "Maria Lumenta",
        "PT Minahasa APD Mandiri",
        "7171",
        "medical_mask",
        "Masker medis earloop anak",
        {"layers": 3, "material": "Spunbond, meltblown"},
        "box",
        45_000,
        12_000,
        100,
    ),
    (
        "applicant21",
        "Eko Prasetyo",
        "CV Sleman Konveksi Medis",
        "3404",
        "coverall_gown",
        "Coverall non-medis kerja lapangan",
        {"material": "Non-woven PP 70 gsm"},
        "pcs",
        48_000,
        10_000,
        100,
    ),
    (
        "applicant22",
        "Wayan Sukerta",
        "UD Lampung Pelindung Wajah",
        "1871",
        "face_shield",
        "Face shield full cover dengan topi",
        {"material": "PET 0,5 mm, topi kain"},
        "pcs",
        25_000,
        6_000,
        100,
    ),
]

COLOURS = {
    "cloth_mask": (40, 90, 160),
    "medical_mask": (90, 170, 210),
    "coverall_gown": (210, 210, 220),
    "hand_sanitizer": (150, 210, 170),
    "face_shield": (220, 220, 160),
}
SHAPES = {"cloth_mask": "mask", "medical_mask": "mask", "hand_sanitizer": "bottle"}


def _identity(index: int, regency: str) -> dict:
    base = f"05{index:06d}"
    return {
        "nib": f"91200012346{index:02d}",
        "npwp": base + luhn.calc_check_digit(base) + "126000",
        "owner_nik": f"{regency}0115089{index % 10}{index:04d}",
    }


def _owner(username: str, full_name: str, password: str) -> User:
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@kurasi.example",
            "email_verified_at": timezone.now(),
        },
    )
    if created:
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=Role.APPLICANT))
    return user


def seed_catalogue(users, *, password: str) -> int:
    programme = Programme.objects.get(name__startswith="Kurasi APD")
    staff, approver, lead = users["staff1"], users["approver1"], users["curator1"]
    curators = list(Curator.objects.filter(user__username__in=["curator1", "curator2"]))
    java_and_more = list(Province.objects.filter(code__in=["31", "32", "33", "34", "35", "36"]))
    listed = 0
    for index, (
        username,
        full_name,
        legal,
        regency_code,
        category,
        name,
        spec,
        unit,
        price,
        capacity,
        moq,
    ) in enumerate(CATALOGUE, start=12):
        identity = _identity(index, regency_code)
        if Vendor.objects.filter(nib=identity["nib"]).exists():
            continue
        owner = _owner(username, full_name, password)
        regency = Regency.objects.select_related("province").get(code=regency_code)
        vendor = vendors.create_vendor(
            by=owner,
            legal_name=legal,
            owner_name=full_name,
            phone=f"+62812345600{index:02d}",
            address="Jl. Contoh No. 1",
            province=regency.province,
            regency=regency,
            postal_code="12345",
            capital_rupiah=150_000_000,
            yearly_sales_rupiah=900_000_000,
            business_scale=business_scale(capital=150_000_000, yearly_sales=900_000_000),
            year_founded=2015,
            workforce=10,
            **identity,
        )
        product = vendors.save_product(
            vendor=vendor,
            by=owner,
            category=category,
            name=name,
            unit=unit,
            description=f"{name} produksi {legal}.",
            capacity_per_month=capacity,
            indicative_price=price,
            **spec,
        )
        vendors.add_product_photos(
            product=product,
            by=owner,
            uploads=[
                product_picture(
                    colour=COLOURS[category],
                    shape=SHAPES.get(category, "gown"),
                    variant=i,
                    size=(480, 360),
                )
                for i in range(3)
            ],
        )
        vendors.submit_vendor(vendor=vendor, by=owner)
        vendors.verify_vendor(vendor=vendor, by=staff)
        application = curation.create_application(
            vendor=vendor, product=product, programme=programme, by=owner
        )
        curation.submit_application(application=application, by=owner)
        sample = curation.request_sample(application=application, by=staff)
        assignments = [
            curation.assign_curator(application=application, curator=c, by=lead) for c in curators
        ]
        curation.record_sample_receipt(
            sample=sample, by=lead, quantity_received=5, condition="good"
        )
        rubric = programme.rubrics.get(category=category)
        for assignment, curator in zip(assignments, curators, strict=True):
            curation.declare_no_conflict(assignment=assignment, by=curator.user)
            curation.submit_scores(
                assignment=assignment,
                by=curator.user,
                values={c.pk: (min(4, c.scale_max), "Memenuhi.") for c in rubric.criteria.all()},
            )
        if certification.required_permit_kind(application):
            case = certification.open_permit_case(
                application=application, by=staff, existing_permit=True
            )
            today = timezone.localdate()
            certification.issue_permit(
                case=case,
                by=staff,
                permit_number=f"KEMENKES RI {case.kind} 2160302{index:04d}",
                issued_on=today - datetime.timedelta(days=200),
                valid_until=today + datetime.timedelta(days=1200),
            )
        else:
            certification.skip_permit(application=application, by=staff)
        certificate = certification.approve_application(application=application, by=approver)
        update_listing_terms(
            listing=certificate.listing,
            by=owner,
            price=price,
            price_includes_tax=index % 2 == 0,
            minimum_order=moq,
            capacity_per_month=capacity,
            delivery_provinces=[regency.province, *java_and_more] if index % 3 else [],
        )
        listed += 1
    return listed
