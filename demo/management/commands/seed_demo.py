"""Demo data: the contract's users and vendors in several registration states.

Idempotent: users are matched by username, vendors by NIB, so a second run changes nothing.
Refuses to run with DEBUG off, so it can never plant known passwords in production.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from certification.models import Certificate
from curation.models import Application
from dashboard.summary import refresh_summary
from demo.catalogue import seed_catalogue
from demo.certification import seed_certification
from demo.curation import seed_curation
from demo.images import product_picture
from regions.models import Regency
from vendors import services as vendor_services
from vendors.models import Vendor

PASSWORD = "kurasi-demo"

USERS = [
    # username, full name, role, is_staff (admin site)
    ("applicant1", "Siti Rahayu", Role.APPLICANT, False),
    ("applicant2", "Budi Santoso", Role.APPLICANT, False),
    ("applicant3", "Made Wirawan", Role.APPLICANT, False),
    ("applicant4", "Andi Pratama", Role.APPLICANT, False),
    ("applicant5", "Rina Marpaung", Role.APPLICANT, False),
    ("applicant6", "Sri Wahyuni", Role.APPLICANT, False),
    ("applicant7", "Joko Susilo", Role.APPLICANT, False),
    ("applicant8", "Nurhayati Daeng", Role.APPLICANT, False),
    ("applicant9", "Dedi Kurniawan", Role.APPLICANT, False),
    ("applicant10", "Lestari Wulandari", Role.APPLICANT, False),
    ("applicant11", "Hendra Gunawan", Role.APPLICANT, False),
    ("curator1", "Dewi Lestari", Role.CURATOR, False),
    ("curator2", "Agus Setiawan", Role.CURATOR, False),
    ("staff1", "Rudi Hartono", Role.STAFF, False),
    ("approver1", "Victoria Simanjuntak", Role.APPROVER, False),
]

# owner, final state, vendor fields, products
VENDORS = [
    (
        "applicant1",
        "verified",
        {
            "legal_name": "CV Sinar Jahit Mandiri",
            "trading_name": "Sinar Jahit",
            "nib": "9120001234561",
            "npwp": "012345674123000",
            "owner_name": "Siti Rahayu",
            "owner_nik": "3273011508850001",
            "phone": "+6281234560001",
            "email": "halo@sinarjahit.example",
            "address": "Jl. Cigondewah Kaler No. 12",
            "regency": "3273",
            "postal_code": "40214",
            "capital_rupiah": 350_000_000,
            "yearly_sales_rupiah": 1_400_000_000,
            "year_founded": 2014,
            "workforce": 18,
            "is_cooperative_member": True,
            "cooperative_name": "Koperasi Konveksi Bandung",
        },
        [
            (
                "cloth_mask",
                "Masker kain 3 lapis SNI",
                "mask",
                (20, 90, 140),
                {
                    "description": "Masker kain katun combed 30s tiga lapis, bisa dicuci hingga 30 kali.",
                    "material": "Katun combed 30s",
                    "standard_reference": "SNI 8914:2020",
                    "layers": 3,
                    "size": "Dewasa, 17 × 13 cm",
                    "unit": "pcs",
                    "capacity_per_month": 60_000,
                    "indicative_price": 11_000,
                },
            ),
            (
                "coverall_gown",
                "Gaun pelindung (gown) spunbond",
                "gown",
                (40, 120, 80),
                {
                    "description": "Gaun pelindung sekali pakai berbahan spunbond 75 gsm, jahitan rapat.",
                    "material": "Spunbond 75 gsm",
                    "size": "All size",
                    "unit": "pcs",
                    "capacity_per_month": 8_000,
                    "indicative_price": 45_000,
                },
            ),
        ],
    ),
    (
        "applicant2",
        "submitted",
        {
            "legal_name": "UD Bersih Sehat Sejahtera",
            "trading_name": "Bersih Sehat",
            "nib": "9120001234562",
            "npwp": "023456783123000",
            "owner_name": "Budi Santoso",
            "owner_nik": "3578024203900002",
            "phone": "+6281234560002",
            "address": "Jl. Rungkut Industri II No. 5",
            "regency": "3578",
            "postal_code": "60293",
            "capital_rupiah": 180_000_000,
            "yearly_sales_rupiah": 900_000_000,
            "year_founded": 2019,
            "workforce": 7,
        },
        [
            (
                "hand_sanitizer",
                "Hand sanitizer gel 70% 500 ml",
                "bottle",
                (150, 200, 230),
                {
                    "description": "Gel pembersih tangan beralkohol 70%, dengan lidah buaya.",
                    "alcohol_percent": 70,
                    "volume_ml": 500,
                    "shelf_life_months": 24,
                    "unit": "bottle",
                    "capacity_per_month": 12_000,
                    "indicative_price": 35_000,
                },
            ),
        ],
    ),
    (
        "applicant3",
        "returned",
        {
            "legal_name": "Koperasi Produsen Tenun Bali",
            "nib": "9120001234563",
            "npwp": "034567891123000",
            "owner_name": "Made Wirawan",
            "owner_nik": "5171014107920004",
            "phone": "+6281234560003",
            "address": "Jl. Gatot Subroto Barat No. 88",
            "regency": "5171",
            "postal_code": "80116",
            "capital_rupiah": 90_000_000,
            "yearly_sales_rupiah": 450_000_000,
            "year_founded": 2010,
            "workforce": 25,
        },
        [
            (
                "cloth_mask",
                "Masker tenun endek 2 lapis",
                "mask",
                (160, 40, 60),
                {
                    "description": "Masker dengan lapisan luar tenun endek dan lapisan dalam katun.",
                    "material": "Tenun endek, katun",
                    "layers": 2,
                    "unit": "pcs",
                    "capacity_per_month": 5_000,
                    "indicative_price": 25_000,
                },
            ),
        ],
    ),
    (
        "applicant4",
        "submitted",
        {
            "legal_name": "PT Makassar Medika Mandiri",
            "nib": "9120001234564",
            "npwp": "045678919123000",
            "owner_name": "Andi Pratama",
            "owner_nik": "7371011212870005",
            "phone": "+6281234560004",
            "address": "Jl. Urip Sumoharjo No. 20",
            "regency": "7371",
            "postal_code": "90231",
            "capital_rupiah": 2_500_000_000,
            "yearly_sales_rupiah": 9_000_000_000,
            "year_founded": 2016,
            "workforce": 60,
        },
        [
            (
                "medical_mask",
                "Masker medis 3 ply earloop",
                "mask",
                (70, 150, 200),
                {
                    "description": "Masker medis 3 ply dengan lapisan meltblown, kotak isi 50.",
                    "material": "Spunbond, meltblown",
                    "layers": 3,
                    "unit": "box",
                    "capacity_per_month": 20_000,
                    "indicative_price": 38_000,
                },
            ),
        ],
    ),
    (
        "applicant5",
        "draft",
        {
            "legal_name": "UD Pelindung Medan",
            "nib": "9120001234565",
            "owner_name": "Rina Marpaung",
            "address": "Jl. Sisingamangaraja No. 3",
            "regency": "1271",
            "postal_code": "20217",
        },
        [
            (
                "face_shield",
                "Face shield mika 0,5 mm",
                "gown",
                (200, 200, 90),
                {
                    "description": "Pelindung wajah mika PET 0,5 mm dengan busa dahi.",
                    "material": "PET 0,5 mm",
                    "unit": "pcs",
                    "capacity_per_month": 10_000,
                    "indicative_price": 15_000,
                },
            ),
        ],
    ),
    (
        "applicant6",
        "verified",
        {
            "legal_name": "CV Garmen Mataram Jogja",
            "trading_name": "Garmen Mataram",
            "nib": "9120001234566",
            "npwp": "089123459124000",
            "owner_name": "Sri Wahyuni",
            "owner_nik": "3471014502900006",
            "phone": "+6281234560006",
            "address": "Jl. Kaliurang Km 5 No. 17",
            "regency": "3471",
            "postal_code": "55281",
            "capital_rupiah": 250_000_000,
            "yearly_sales_rupiah": 1_200_000_000,
            "year_founded": 2012,
            "workforce": 22,
        },
        [
            (
                "cloth_mask",
                "Masker kain batik 3 lapis",
                "mask",
                (120, 70, 30),
                {
                    "description": "Masker kain dengan lapisan luar batik cap, tengah spunbond.",
                    "material": "Katun batik, spunbond",
                    "standard_reference": "SNI 8914:2020",
                    "layers": 3,
                    "unit": "pcs",
                    "capacity_per_month": 30_000,
                    "indicative_price": 15_000,
                },
            ),
        ],
    ),
    (
        "applicant7",
        "verified",
        {
            "legal_name": "UD Konveksi Solo Makmur",
            "nib": "9120001234567",
            "npwp": "091234567124000",
            "owner_name": "Joko Susilo",
            "owner_nik": "3372011003880007",
            "phone": "+6281234560007",
            "address": "Jl. Slamet Riyadi No. 200",
            "regency": "3372",
            "postal_code": "57141",
            "capital_rupiah": 120_000_000,
            "yearly_sales_rupiah": 700_000_000,
            "year_founded": 2017,
            "workforce": 9,
        },
        [
            (
                "cloth_mask",
                "Masker kain scuba",
                "mask",
                (30, 30, 30),
                {
                    "description": "Masker scuba satu lapis, elastis.",
                    "material": "Scuba",
                    "layers": 1,
                    "unit": "pcs",
                    "capacity_per_month": 50_000,
                    "indicative_price": 5_000,
                },
            ),
        ],
    ),
    (
        "applicant8",
        "verified",
        {
            "legal_name": "Koperasi Wanita Sipakatau Makassar",
            "nib": "9120001234568",
            "npwp": "013579131124000",
            "owner_name": "Nurhayati Daeng",
            "owner_nik": "7371016607930008",
            "phone": "+6281234560008",
            "address": "Jl. Perintis Kemerdekaan Km 9",
            "regency": "7371",
            "postal_code": "90245",
            "capital_rupiah": 60_000_000,
            "yearly_sales_rupiah": 300_000_000,
            "year_founded": 2008,
            "workforce": 30,
            "is_cooperative_member": True,
            "cooperative_name": "Koperasi Wanita Sipakatau",
        },
        [
            (
                "coverall_gown",
                "Gaun pelindung non-woven",
                "gown",
                (90, 160, 120),
                {
                    "description": "Gaun pelindung sekali pakai, manset elastis.",
                    "material": "Non-woven PP 60 gsm",
                    "unit": "pcs",
                    "capacity_per_month": 6_000,
                    "indicative_price": 40_000,
                },
            ),
        ],
    ),
    (
        "applicant9",
        "verified",
        {
            "legal_name": "CV Higienis Nusantara",
            "trading_name": "Higienis",
            "nib": "9120001234569",
            "npwp": "024680241125000",
            "owner_name": "Dedi Kurniawan",
            "owner_nik": "3273024112910010",
            "phone": "+6281234560009",
            "address": "Jl. Soekarno-Hatta No. 590",
            "regency": "3273",
            "postal_code": "40286",
            "capital_rupiah": 400_000_000,
            "yearly_sales_rupiah": 1_800_000_000,
            "year_founded": 2018,
            "workforce": 12,
        },
        [
            (
                "hand_sanitizer",
                "Hand sanitizer cair 75% 100 ml",
                "bottle",
                (120, 180, 90),
                {
                    "description": "Hand sanitizer cair formula WHO, alkohol 75%, botol semprot.",
                    "alcohol_percent": 75,
                    "volume_ml": 100,
                    "shelf_life_months": 24,
                    "unit": "bottle",
                    "capacity_per_month": 40_000,
                    "indicative_price": 18_000,
                },
            ),
        ],
    ),
    (
        "applicant10",
        "verified",
        {
            "legal_name": "PT Medika Tekstil Semarang",
            "nib": "9120001234570",
            "npwp": "036913572125000",
            "owner_name": "Lestari Wulandari",
            "owner_nik": "3374015506880003",
            "phone": "+6281234560010",
            "address": "Jl. Industri Candi Blok B No. 4",
            "regency": "3374",
            "postal_code": "50184",
            "capital_rupiah": 3_000_000_000,
            "yearly_sales_rupiah": 12_000_000_000,
            "year_founded": 2011,
            "workforce": 85,
        },
        [
            (
                "coverall_gown",
                "Coverall medis laminasi PE",
                "gown",
                (230, 230, 240),
                {
                    "description": "Coverall medis sekali pakai, jahitan ditutup pita, kerudung dan resleting.",
                    "material": "Non-woven PP laminasi PE 65 gsm",
                    "size": "M, L, XL",
                    "unit": "pcs",
                    "capacity_per_month": 15_000,
                    "indicative_price": 95_000,
                },
            ),
        ],
    ),
    (
        "applicant11",
        "verified",
        {
            "legal_name": "UD Masker Sehat Palembang",
            "nib": "9120001234571",
            "npwp": "048123459125000",
            "owner_name": "Hendra Gunawan",
            "owner_nik": "1671011505850009",
            "phone": "+6281234560011",
            "address": "Jl. Demang Lebar Daun No. 9",
            "regency": "1671",
            "postal_code": "30137",
            "capital_rupiah": 80_000_000,
            "yearly_sales_rupiah": 400_000_000,
            "year_founded": 2020,
            "workforce": 6,
        },
        [
            (
                "cloth_mask",
                "Masker kain songket 2 lapis",
                "mask",
                (150, 20, 40),
                {
                    "description": "Masker kain dua lapis dengan motif songket Palembang.",
                    "material": "Katun, motif songket",
                    "standard_reference": "SNI 8914:2020",
                    "layers": 2,
                    "unit": "pcs",
                    "capacity_per_month": 10_000,
                    "indicative_price": 20_000,
                },
            ),
        ],
    ),
]


class Command(BaseCommand):
    help = "Load demo users and vendors (idempotent; refuses to run with DEBUG off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off: it sets known passwords.")
        models = (Vendor, Application, Certificate)
        before = [model.objects.count() for model in models]
        with transaction.atomic():
            users = self._users()
            for spec in VENDORS:
                self._vendor(users, *spec)
            seed_curation(users)
            seed_certification(users)
            seed_catalogue(users, password=PASSWORD)
        # The dashboard reads precomputed figures: fill them for the seeded applications.
        refresh_summary()
        created = [
            model.objects.count() - count for model, count in zip(models, before, strict=True)
        ]
        people = User.objects.filter(is_active=True).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"demo ready: {people} users (password '{PASSWORD}'), {created[0]} vendors, "
                f"{created[1]} applications and {created[2]} certificates created"
            )
        )

    def _users(self) -> dict[str, User]:
        users = {}
        for username, full_name, role, is_staff in USERS:
            first, _, last = full_name.partition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@kurasi.example",
                    "is_staff": is_staff,
                    "email_verified_at": timezone.now(),
                },
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={
                "email": "admin@kurasi.example",
                "is_staff": True,
                "is_superuser": True,
                "first_name": "Admin",
                "email_verified_at": timezone.now(),
            },
        )
        if created:
            admin.set_password(PASSWORD)
            admin.save()
        users["admin"] = admin
        return users

    def _vendor(self, users, owner_name, state, fields, products) -> bool:
        if Vendor.objects.filter(nib=fields["nib"]).exists():
            return False
        owner, staff = users[owner_name], users["staff1"]
        fields = dict(fields)
        regency = Regency.objects.get(code=fields.pop("regency"))
        fields.update(regency=regency, province=regency.province)
        from vendors.scale import business_scale

        fields["business_scale"] = (
            business_scale(
                capital=fields.get("capital_rupiah"), yearly_sales=fields.get("yearly_sales_rupiah")
            )
            or ""
        )
        vendor = vendor_services.create_vendor(by=owner, **fields)
        for category, name, shape, colour, spec in products:
            product = vendor_services.save_product(
                vendor=vendor, by=owner, category=category, name=name, **spec
            )
            pictures = [product_picture(colour=colour, shape=shape, variant=i) for i in range(3)]
            vendor_services.add_product_photos(product=product, by=owner, uploads=pictures)
        if state == "draft":
            return True
        vendor = vendor_services.submit_vendor(vendor=vendor, by=owner)
        if state == "verified":
            vendor_services.verify_vendor(
                vendor=vendor, by=staff, note="NIB dan NPWP sesuai dengan data OSS."
            )
        elif state == "returned":
            vendor_services.return_vendor(
                vendor=vendor,
                by=staff,
                reason="Foto KTP pemilik tidak terbaca; unggah ulang dan lengkapi NPWP badan.",
            )
        return True
