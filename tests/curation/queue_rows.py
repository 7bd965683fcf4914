"""Many queue rows at once for the deadline tests: applications in one state, every other one
entered its state long ago (overdue under any default duration) and the rest today, plus a
client that reads the pages in English and counts their queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from curation.models import Application, Assignment, Curator, Sample
from regions.models import Regency
from tests import factories
from vendors.models import Product, Vendor

# Past every default duration, permit support's 60 working days included.
LONG_AGO = datetime.timedelta(days=200)
OVERDUE_TEXT = "overdue · "


def client_for(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def add_applications(
    count: int,
    *,
    programme,
    status: str,
    category: str = "cloth_mask",
    curator: Curator | None = None,
    owner=None,
    overdue_every: int = 2,
) -> list[Application]:
    """``count`` applications of new vendors in ``status``; the first and every
    ``overdue_every``-th one after it entered the state ``LONG_AGO`` (0: none overdue)."""
    regency = Regency.objects.select_related("province").get(code="3273")
    start = Vendor.objects.count()
    vendors = Vendor.objects.bulk_create(
        Vendor(
            legal_name=f"CV Tenggat {start + i:03d}",
            province=regency.province,
            regency=regency,
            status=Vendor.Status.VERIFIED,
        )
        for i in range(count)
    )
    if owner is not None:
        Vendor.owners.through.objects.bulk_create(
            Vendor.owners.through(vendor=vendor, user=owner) for vendor in vendors
        )
    products = Product.objects.bulk_create(
        Product(
            vendor=vendor,
            category=category,
            name=f"Masker {vendor.legal_name}",
            description="Katun",
            layers=3,
            capacity_per_month=100,
            indicative_price=11000,
        )
        for vendor in vendors
    )
    now = timezone.now()
    creator = factories.UserFactory()
    applications = Application.objects.bulk_create(
        Application(
            programme=programme,
            vendor=vendor,
            product=product,
            status=status,
            assessor=programme.assessor,
            created_by=creator,
            submitted_at=now - LONG_AGO,
            status_changed_at=now - LONG_AGO if overdue_every and i % overdue_every == 0 else now,
            decision={"mean": 82.5},
        )
        for i, (vendor, product) in enumerate(zip(vendors, products, strict=True))
    )
    if status in (Application.Status.SAMPLE_REQUESTED, Application.Status.IN_CURATION):
        Sample.objects.bulk_create(
            Sample(
                application=application,
                status=Sample.Status.REQUESTED
                if status == Application.Status.SAMPLE_REQUESTED
                else Sample.Status.RECEIVED,
            )
            for application in applications
        )
    if curator is not None:
        Assignment.objects.bulk_create(
            Assignment(
                application=application,
                curator=curator,
                assigned_by=creator,
                no_conflict_declared_at=now,
            )
            for application in applications
        )
    return applications


def make_overdue(application: Application) -> Application:
    """The application entered its current state ``LONG_AGO`` (test set-up only)."""
    Application.objects.filter(pk=application.pk).update(
        status_changed_at=timezone.now() - LONG_AGO
    )
    application.refresh_from_db()
    return application


def block_with(html: str, marker: str, tag: str = "tr") -> str:
    """The one ``<tag>`` element of the page that contains ``marker`` (a row or a card)."""
    blocks = [chunk.split(f"</{tag}>")[0] for chunk in html.split(f"<{tag}")[1:]]
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, f"{len(found)} <{tag}> elements contain {marker!r}"
    return found[0]
