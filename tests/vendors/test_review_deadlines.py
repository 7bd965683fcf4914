"""The vendor queue's deadline: staff verify a submitted vendor within
``VENDOR_REVIEW_WORKING_DAYS`` working days of its submission (5 by default); later, the queue
says so in words, lists it first and can show only those."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests import factories
from tests.certification.permit_builders import at
from tests.curation.queue_rows import OVERDUE_TEXT, block_with, client_for, count_queries
from vendors import services
from vendors.deadlines import review_deadline
from vendors.models import Product, Vendor

pytestmark = pytest.mark.django_db

QUEUE = "/staff/vendors/"


def submitted_vendor() -> Vendor:
    vendor = factories.vendor_ready_to_submit()
    return services.submit_vendor(vendor=vendor, by=vendor.owners.get())


def row_of(html: str, vendor: Vendor) -> str:
    return block_with(html, f'href="/portal/vendors/{vendor.pk}/"')


@pytest.mark.parametrize(
    ("moment", "shown", "late"),
    [
        (at(2026, 3, 20), "4 working days left", False),
        (at(2026, 3, 30, 23, 59), "due today", False),
        (at(2026, 3, 31, 0, 1), "overdue · 1 working day late", True),
    ],
    ids=["during-the-break", "due-day", "day-after"],
)
def test_vendor_submitted_before_idul_fitri_is_due_after_the_break(moment, shown, late):
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        vendor = submitted_vendor()
        officer = factories.staff()

    with time_machine.travel(moment, tick=False):
        response = client_for(officer).get(QUEUE)
        only_overdue = client_for(officer).get(QUEUE, {"overdue": "on"})

    row = row_of(response.content.decode(), vendor)
    assert '<time datetime="2026-03-30">30 Mar 2026</time>' in row
    assert shown in row
    assert (OVERDUE_TEXT in row) == late
    assert [r["vendor"].pk for r in only_overdue.context["rows"]] == ([vendor.pk] if late else [])


def test_review_days_come_from_the_setting(settings):
    settings.VENDOR_REVIEW_WORKING_DAYS = 10
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        vendor = submitted_vendor()
        officer = factories.staff()

    with time_machine.travel(at(2026, 3, 31), tick=False):
        deadline = review_deadline(vendor)
        response = client_for(officer).get(QUEUE, {"overdue": "on"})

    # 10 working days from Monday 16 March; the Idul Fitri break and Good Friday do not count.
    assert deadline.due_on == datetime.date(2026, 4, 7)
    assert not deadline.overdue
    assert response.context["rows"] == []


def test_vendor_queue_lists_overdue_vendors_first_with_the_badge():
    in_time = submitted_vendor()
    late = submitted_vendor()
    Vendor.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    officer = client_for(factories.staff())

    response = officer.get(QUEUE)

    html = response.content.decode()
    assert [row["vendor"].pk for row in response.context["rows"]] == [late.pk, in_time.pk]
    late_row = row_of(html, late)
    assert OVERDUE_TEXT in late_row
    assert 'class="overdue"' in late_row.split(">")[0]
    assert OVERDUE_TEXT not in row_of(html, in_time)


def test_a_returned_vendor_waits_for_its_owner_and_has_no_deadline():
    vendor = submitted_vendor()
    officer = factories.staff()
    services.return_vendor(vendor=vendor, by=officer, reason="NIB tidak terbaca.")
    Vendor.objects.filter(pk=vendor.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )

    response = client_for(officer).get(QUEUE, {"status": "returned"})
    only_overdue = client_for(officer).get(QUEUE, {"status": "", "overdue": "on"})

    assert [row["deadline"] for row in response.context["rows"]] == [None]
    assert OVERDUE_TEXT not in response.content.decode()
    assert only_overdue.context["rows"] == []


def add_submitted_vendors(count: int) -> None:
    """``count`` submitted vendors with a product; every other one submitted a month ago."""
    regency = factories.complete_vendor_fields()["regency"]
    now = timezone.now()
    start = Vendor.objects.count()
    vendors = Vendor.objects.bulk_create(
        Vendor(
            legal_name=f"CV Antre {start + i:03d}",
            nib=f"{9130000000000 + start + i}",
            province=regency.province,
            regency=regency,
            business_scale="mikro",
            status=Vendor.Status.SUBMITTED,
            submitted_at=now - datetime.timedelta(days=30) if i % 2 == 0 else now,
        )
        for i in range(count)
    )
    Product.objects.bulk_create(
        Product(
            vendor=vendor,
            category="cloth_mask",
            name=f"Masker {vendor.legal_name}",
            description="Katun",
            layers=3,
            capacity_per_month=100,
            indicative_price=11000,
        )
        for vendor in vendors
    )


def test_vendor_queue_query_count_is_the_same_at_10_and_50_rows(capsys):
    client = client_for(factories.staff())
    add_submitted_vendors(10)
    client.get(QUEUE)

    at_10, response = count_queries(client, QUEUE)
    assert response.content.decode().count(OVERDUE_TEXT) == 5
    add_submitted_vendors(40)
    at_50, response = count_queries(client, QUEUE)
    filtered, only = count_queries(client, f"{QUEUE}?overdue=on")

    assert response.context["page"].paginator.count == 50
    assert response.content.decode().count(OVERDUE_TEXT) == 25
    assert only.context["page"].paginator.count == 25
    assert at_10 == at_50 == filtered, f"{QUEUE}: {at_10} at 10, {at_50} at 50, {filtered} only"
    with capsys.disabled():
        print(f"\n{QUEUE} with deadlines: {at_10} queries at 10 vendors, {at_50} at 50")
