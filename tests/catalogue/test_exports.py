"""Staff exports of listings and applications, as CSV and XLSX."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from catalogue.exports import APPLICATION_HEADER, LISTING_HEADER
from certification import services
from tests import factories
from tests.catalogue.helpers import copies, live_listing

pytestmark = pytest.mark.django_db

LISTINGS = "/staff/exports/listings"
APPLICATIONS = "/staff/exports/applications"


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def read_xlsx(response) -> list[tuple]:
    data = factories.read_streamed(response)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def listings(db):
    live = live_listing()
    services.suspend_certificate(certificate=live.certificate, by=live.approver, reason="Aduan")
    live.listing.refresh_from_db()
    return live, [live.listing, *copies(live.listing, 2, price=20_000)]


def test_staff_get_the_listings_as_csv(client, listings):
    _, rows = listings
    client.force_login(factories.staff())
    response = client.get(LISTINGS + ".csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    table = read_csv(response)
    assert table[0] == LISTING_HEADER
    assert [int(r[0]) for r in table[1:]] == [listing.pk for listing in rows]
    first = dict(zip(LISTING_HEADER, table[1], strict=True))
    assert first["status"] == "delisted"
    assert first["vendor"] == rows[0].vendor_name
    assert first["province"] == rows[0].province.name
    assert first["certificate_number"] == rows[0].certificate_number
    assert first["certificate_valid_until"] == rows[0].certificate_valid_until.isoformat()
    second = dict(zip(LISTING_HEADER, table[2], strict=True))
    assert (second["status"], second["price_rp"]) == ("live", "20000")


def test_staff_get_the_listings_as_xlsx(client, listings):
    _, rows = listings
    client.force_login(factories.approver())
    response = client.get(LISTINGS + ".xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    table = read_xlsx(response)
    assert list(table[0]) == LISTING_HEADER
    assert [r[0] for r in table[1:]] == [listing.pk for listing in rows]
    row = dict(zip(LISTING_HEADER, table[2], strict=True))
    assert row["price_rp"] == 20_000
    assert row["product"] == rows[1].product_name
    assert row["category"] == rows[1].category


def test_the_listing_export_takes_the_same_queries_for_more_rows(client, listings):
    live, _ = listings
    client.force_login(factories.staff())
    client.get(LISTINGS + ".csv")  # warm the session and role caches
    with CaptureQueriesContext(connection) as few:
        read_csv(client.get(LISTINGS + ".csv"))
    copies(live.listing, 30)
    with CaptureQueriesContext(connection) as many:
        read_csv(client.get(LISTINGS + ".csv"))
    assert len(many) == len(few)


def test_staff_get_the_applications_filtered_by_status_and_province(client, listings):
    live, _ = listings
    other = factories.verified_vendor_with_product(photos=0)
    client.force_login(factories.staff())

    table = read_csv(client.get(APPLICATIONS + ".csv"))
    assert table[0] == APPLICATION_HEADER
    references = [r[0] for r in table[1:]]
    assert live.case.application.reference in references

    approved = read_csv(client.get(APPLICATIONS + ".csv", {"status": "approved"}))
    assert {r[6] for r in approved[1:]} == {"approved"}
    assert len(approved) == 4  # the real one and the two copies

    province = live.case.vendor.province_id
    assert other[0].province_id == province  # the factories share Kota Bandung
    by_province = read_xlsx(client.get(APPLICATIONS + ".xlsx", {"province": province}))
    assert list(by_province[0]) == APPLICATION_HEADER
    assert all(r[3] == live.case.vendor.province.name for r in by_province[1:])
    none = read_csv(client.get(APPLICATIONS + ".csv", {"province": "91"}))
    assert none == [APPLICATION_HEADER]


@pytest.mark.parametrize("params", [{"status": "nonsense"}, {"province": "xx"}])
def test_unknown_filters_are_400(client, params):
    client.force_login(factories.staff())
    response = client.get(APPLICATIONS + ".csv", params)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("url", [LISTINGS + ".csv", LISTINGS + ".xlsx", APPLICATIONS + ".csv"])
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["applicant", "curator"])
@pytest.mark.parametrize("url", [LISTINGS + ".csv", APPLICATIONS + ".xlsx"])
def test_applicants_and_curators_are_refused_with_the_reason(client, role, url):
    client.force_login(factories.UserFactory(role=role))
    response = client.get(url)
    assert response.status_code == 403
    assert "Hanya petugas kementerian yang dapat melihat halaman ini." in response.content.decode()


def test_staff_find_every_export_on_the_exports_page(client):
    from tests import factories

    client.force_login(factories.staff())
    page = client.get("/staff/exports/").content.decode()
    for url in (
        "/staff/exports/listings.csv",
        "/staff/exports/listings.xlsx",
        "/staff/exports/applications.csv",
        "/staff/exports/applications.xlsx",
    ):
        assert url in page


def test_applicants_cannot_open_the_exports_page(client):
    from tests import factories

    client.force_login(factories.applicant())
    assert client.get("/staff/exports/").status_code == 403


def test_application_rows_say_what_each_application_says(client, listings):
    """Every column, for a vendor known by its trading name and one with only a legal name and
    no province yet (a draft), as the application and its vendor show them."""
    from django.utils import timezone

    from curation.models import Application

    live, _ = listings
    bare = factories.vendor(complete=False)
    item = factories.product(vendor=bare)
    Application.objects.create(
        programme=live.case.programme,
        vendor=bare,
        product=item,
        specification={},
        created_by=bare.owners.get(),
    )

    def cell(value):
        if value is None:
            return ""
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0).isoformat()

    expected = [
        [
            application.reference,
            application.programme.name,
            application.vendor.display_name,
            application.vendor.province.name if application.vendor.province_id else "",
            application.product.name,
            application.product.category,
            application.status,
            cell(application.submitted_at),
            cell(application.status_changed_at),
        ]
        for application in Application.objects.order_by("pk")
    ]
    client.force_login(factories.staff())
    table = read_csv(client.get(APPLICATIONS + ".csv"))
    assert table[1:] == expected
    assert ["CV Draf", ""] in [[row[2], row[3]] for row in table[1:]]
    assert [live.case.vendor.display_name, live.case.vendor.province.name] in [
        [row[2], row[3]] for row in table[1:]
    ]
