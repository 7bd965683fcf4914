"""Many catalogue listings, cheaply: the data of the feed, export and HTTP benches.

Each listing rests on its own approved application and certificate, as in the catalogue, but
none went through the workflow (no samples, scores or log): only the listing rows are measured.
Vendors are spread over every province so that joins and filters see realistic variety; one in
ten listings is delisted (a feed tombstone) and one in three names delivery provinces. Rows are
written with ``demo.fast_insert`` (COPY on PostgreSQL), so 100,000 take seconds.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from catalogue.models import Listing
from certification.models import Certificate
from curation.models import Application, AssessorOrganisation, Programme
from demo.fast_insert import insert_rows, store
from regions.models import Regency
from vendors.models import Product, Vendor

VENDORS = 400


def build_listings(count: int, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    system = User.objects.get(username=settings.SYSTEM_USERNAME)
    regencies = list(Regency.objects.values_list("code", "province_id"))
    provinces = sorted({province for _code, province in regencies})
    with transaction.atomic():
        assessor = AssessorOrganisation.objects.create(name=f"PT Bench {now.timestamp():.0f}")
        programme = Programme.objects.create(
            name="Bench",
            categories=["cloth_mask", "medical_mask", "hand_sanitizer"],
            assessor=assessor,
            opens_on=today - datetime.timedelta(days=400),
            closes_on=today + datetime.timedelta(days=30),
        )
        vendors = []
        for index in range(min(VENDORS, count)):
            regency, province = regencies[index % len(regencies)]
            if index < len(provinces):
                province = provinces[index]
                regency = next(code for code, p in regencies if p == province)
            vendors.append(
                Vendor(
                    legal_name=f"CV Bench {index:04d}",
                    trading_name=f"Bench {index:04d}",
                    province_id=province,
                    regency_id=regency,
                    phone=f"+62812000{index:05d}",
                    status=Vendor.Status.VERIFIED,
                    created_at=now,
                    updated_at=now,
                )
            )
        store(Vendor, vendors)
        products = store(
            Product,
            [
                Product(
                    vendor=vendor,
                    category=rng.choice(programme.categories),
                    name=f"Produk {vendor.trading_name}",
                    description="Masker kain tiga lapis, katun combed.",
                    unit="pcs",
                    capacity_per_month=1_000,
                    indicative_price=11_000,
                    created_at=now,
                    updated_at=now,
                )
                for vendor in vendors
            ],
        )
        for start in range(0, count, 10_000):
            indexes = range(start, min(count, start + 10_000))
            listings = _batch(rng, indexes, products, programme, system)
            insert_rows(
                Listing.delivery_provinces.through,
                ("listing", "province"),
                ((x.pk, code) for x in listings[::3] for code in rng.sample(provinces, 2)),
            )
    # A live catalogue has planner statistics (autovacuum on PostgreSQL); right after a bulk
    # load there are none, and PostgreSQL then reads and sorts the whole rest of the feed for
    # every page instead of walking its index (docs/performance.md).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _batch(rng, indexes, products, programme, system) -> list[Listing]:
    now = timezone.now()
    today = timezone.localdate()
    rows = [(index, products[index % len(products)]) for index in indexes]
    applications = store(
        Application,
        [
            Application(
                programme=programme,
                vendor_id=product.vendor_id,
                product=product,
                status=Application.Status.APPROVED,
                specification={"name": product.name, "category": product.category},
                created_by=system,
                created_at=now,
                submitted_at=now,
                status_changed_at=now,
                updated_at=now,
            )
            for _index, product in rows
        ],
    )
    certificates = store(
        Certificate,
        [
            Certificate(
                number=f"KRS-B-{index:07d}",
                application=application,
                vendor_id=product.vendor_id,
                product=product,
                programme=programme,
                specification=application.specification,
                issued_on=today,
                valid_until=today + datetime.timedelta(days=730),
                approved_by=system,
                status=Certificate.Status.ACTIVE if index % 10 else Certificate.Status.REVOKED,
                status_changed_at=now,
            )
            for (index, product), application in zip(rows, applications, strict=True)
        ],
    )
    vendors = {v.pk: v for v in Vendor.objects.filter(pk__in={p.vendor_id for _i, p in rows})}
    return store(
        Listing,
        [
            Listing(
                certificate=certificate,
                vendor_id=product.vendor_id,
                product=product,
                status=Listing.Status.LIVE if index % 10 else Listing.Status.DELISTED,
                vendor_name=vendors[product.vendor_id].display_name,
                province_id=vendors[product.vendor_id].province_id,
                regency_id=vendors[product.vendor_id].regency_id,
                product_name=f"{product.name} nomor {index}",
                category=product.category,
                description=product.description,
                unit=product.unit,
                price=10_000 + rng.randint(0, 90_000),
                minimum_order=10,
                capacity_per_month=1_000 + index,
                tkdn_percent=None,
                certificate_number=certificate.number,
                certificate_valid_until=certificate.valid_until,
                created_at=now,
                # Distinct, increasing times: the feed pages by (updated_at, id).
                updated_at=now
                - datetime.timedelta(days=1)
                + datetime.timedelta(milliseconds=index),
            )
            for (index, product), certificate in zip(rows, certificates, strict=True)
        ],
    )
