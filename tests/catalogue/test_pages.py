"""The public catalogue pages and the vendor's "My catalogue listings" as each role uses them:
who sees what, filters, bad input, the edit form with its history, and the cost of the pages.

Pages are requested in English so the assertions read the source strings.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalogue.models import Listing, ListingPhoto
from certification import services
from certification.models import Certificate
from curation.models import Application
from regions.models import Regency
from tests import factories
from tests.curation import builders

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def live_listing(**kwargs):
    case = builders.passed(**kwargs)
    application = services.skip_permit(application=case.application, by=case.officer)
    approver = factories.approver()
    certificate = services.approve_application(application=application, by=approver)
    return case, Listing.objects.get(certificate=certificate), approver


@pytest.fixture
def live():
    return live_listing()


def add_listings(rows: list[dict], *, photos: bool = True) -> list[Listing]:
    """Listings straight into the tables (each on its own certificate), for volume and filters.

    Each dict may set ``province`` (a Regency code is used to pick the vendor's place),
    ``category``, ``price``, ``capacity_per_month``, ``product_name``, ``status``.
    """
    programme = factories.programme()
    approver = factories.approver()
    creator = factories.UserFactory()
    vendor, product = factories.verified_vendor_with_product(photos=0)
    today = timezone.localdate()
    applications = Application.objects.bulk_create(
        Application(
            programme=programme,
            vendor=vendor,
            product=product,
            status=Application.Status.APPROVED,
            assessor=programme.assessor,
            created_by=creator,
            submitted_at=timezone.now(),
        )
        for _ in rows
    )
    start = Certificate.objects.count()
    certificates = Certificate.objects.bulk_create(
        Certificate(
            number=f"KRS-P-{start + i:07d}",
            application=application,
            vendor=vendor,
            product=product,
            programme=programme,
            issued_on=today,
            valid_until=today + datetime.timedelta(days=730),
            approved_by=approver,
        )
        for i, application in enumerate(applications)
    )
    regencies = {}
    listings = []
    past = timezone.now() - datetime.timedelta(minutes=5)
    for i, (row, certificate) in enumerate(zip(rows, certificates, strict=True)):
        code = row.get("regency", "3273")
        if code not in regencies:
            regencies[code] = Regency.objects.get(code=code)
        regency = regencies[code]
        listings.append(
            Listing(
                certificate=certificate,
                vendor=vendor,
                product=product,
                status=row.get("status", Listing.Status.LIVE),
                vendor_name=row.get("vendor_name", vendor.display_name),
                province_id=regency.province_id,
                regency=regency,
                product_name=row.get("product_name", f"Masker massal {start + i}"),
                category=row.get("category", "cloth_mask"),
                unit="pcs",
                price=row.get("price", 10_000),
                minimum_order=10,
                capacity_per_month=row.get("capacity_per_month", 1000),
                certificate_number=certificate.number,
                certificate_valid_until=certificate.valid_until,
                updated_at=past,
            )
        )
    listings = Listing.objects.bulk_create(listings)
    if photos:
        ListingPhoto.objects.bulk_create(
            ListingPhoto(
                listing=listing,
                position=0,
                image=f"listings/{listing.pk}/a.jpg",
                thumbnail=f"listings/{listing.pk}/a-thumb.jpg",
            )
            for listing in listings
        )
    return listings


def product_names(response) -> set[str]:
    return {listing.product_name for listing in response.context["page"].object_list}


# ---------------------------------------------------------------------------------------------
# Public pages


def test_anonymous_visitor_sees_search_detail_and_vendor_pages(live):
    case, listing, _ = live
    client = client_for()

    search = client.get("/catalogue/")
    assert search.status_code == 200
    page = search.content.decode()
    assert listing.product_name in page
    assert listing.certificate_number in page
    assert listing.photos.first().thumbnail.url in page
    assert "Rp 11.000" in page
    assert 'href="/catalogue/"' in page  # the menu link, shown to anonymous visitors too

    detail = client.get(f"/catalogue/{listing.pk}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert f'href="/verify/{listing.certificate_number}/"' in body
    assert "All of Indonesia" in body
    for photo in listing.photos.all():
        assert photo.image.url in body
    assert f'href="/catalogue/vendors/{case.vendor.pk}/"' in body

    vendor = client.get(f"/catalogue/vendors/{case.vendor.pk}/")
    assert vendor.status_code == 200
    assert case.vendor.display_name in vendor.content.decode()
    assert listing.product_name in vendor.content.decode()


def test_published_business_contact_and_delivery_provinces_appear_on_the_detail_page(live):
    case, listing, _ = live
    Listing.objects.filter(pk=listing.pk).update(
        business_phone="+6222123456", business_email="jual@example.id", tkdn_percent=45
    )
    listing.delivery_provinces.set(["32", "31"])

    body = client_for().get(f"/catalogue/{listing.pk}/").content.decode()

    assert "+6222123456" in body
    assert "jual@example.id" in body
    assert "45" in body
    assert "All of Indonesia" not in body


def test_no_private_vendor_field_on_any_public_page(live):
    case, listing, _ = live
    vendor = case.vendor
    client = client_for()
    pages = [
        "/catalogue/",
        f"/catalogue/?q={vendor.display_name}",
        f"/catalogue/{listing.pk}/",
        f"/catalogue/vendors/{vendor.pk}/",
    ]
    private = [vendor.owner_nik, vendor.npwp, vendor.nib, vendor.phone, vendor.address]
    private += [case.owner.email, vendor.owner_name + " "]
    for url in pages:
        body = client.get(url).content.decode()
        for value in private:
            assert value and value not in body, f"{value!r} shown on {url}"


def test_delisted_listing_and_its_vendor_page_are_404(live):
    case, listing, approver = live
    with translation.override("en"):
        services.suspend_certificate(certificate=listing.certificate, by=approver, reason="Aduan")
    client = client_for()

    assert client.get(f"/catalogue/{listing.pk}/").status_code == 404
    assert client.get(f"/catalogue/vendors/{case.vendor.pk}/").status_code == 404
    assert listing.product_name not in client.get("/catalogue/").content.decode()
    assert client.get("/catalogue/999999/").status_code == 404
    assert client.get("/catalogue/vendors/999999/").status_code == 404


def test_filters_narrow_the_results_and_sorting_orders_them():
    add_listings(
        [
            {"product_name": "Masker murah", "price": 5_000, "capacity_per_month": 100},
            {"product_name": "Masker mahal", "price": 50_000, "capacity_per_month": 9000},
            {"product_name": "Hand sanitizer", "category": "hand_sanitizer", "price": 20_000},
            {"product_name": "Masker Jakarta", "regency": "3171", "price": 12_000},
            {"product_name": "Masker ditarik", "status": "delisted", "price": 7_000},
        ]
    )
    client = client_for()

    def names(query):
        response = client.get(f"/catalogue/?{query}")
        assert response.status_code == 200
        return product_names(response)

    assert names("") == {"Masker murah", "Masker mahal", "Hand sanitizer", "Masker Jakarta"}
    assert names("category=hand_sanitizer") == {"Hand sanitizer"}
    assert names("province=31") == {"Masker Jakarta"}
    assert names("price_min=10000&price_max=30000") == {"Hand sanitizer", "Masker Jakarta"}
    assert names("capacity_min=5000") == {"Masker mahal"}
    assert names("q=murah") == {"Masker murah"}
    assert names("q=UJI") == names("")  # the vendor's trading name

    ordered = client.get("/catalogue/?sort=price").context["page"].object_list
    assert [listing.price for listing in ordered] == [5_000, 12_000, 20_000, 50_000]
    ordered = client.get("/catalogue/?sort=-capacity").context["page"].object_list
    assert ordered[0].product_name == "Masker mahal"


@pytest.mark.parametrize(
    "query",
    [
        "price_min=abc",
        "price_max=12.5",
        "capacity_min=-1",
        "province=99",
        "category=nope",
        "sort=sideways",
        "page=last&price_min=1e9999",
    ],
)
def test_invalid_filter_values_show_a_form_error_not_a_server_error(query):
    add_listings([{}])
    response = client_for().get(f"/catalogue/?{query}")

    assert response.status_code == 400
    assert response.context["filter"].errors
    assert "Some filter values are not valid" in response.content.decode()
    assert 'class="error"' in response.content.decode()


def test_pagination_shows_24_per_page():
    add_listings([{} for _ in range(30)], photos=False)
    client = client_for()

    first = client.get("/catalogue/")
    assert len(first.context["page"].object_list) == 24
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get("/catalogue/?page=2").context["page"].object_list) == 6
    assert client.get("/catalogue/?page=nonsense").status_code == 200


# ---------------------------------------------------------------------------------------------
# The vendor's own listings


def test_owner_sees_the_portal_link_and_the_list_of_listings(live):
    case, listing, _ = live
    client = client_for(case.owner)

    portal = client.get("/portal/").content.decode()
    assert 'href="/portal/listings/"' in portal
    mine = client.get("/portal/listings/")
    assert mine.status_code == 200
    assert listing.product_name in mine.content.decode()
    assert "In the catalogue" in mine.content.decode()

    newcomer = client_for(factories.applicant())
    assert 'href="/portal/listings/"' not in newcomer.get("/portal/").content.decode()
    assert listing.product_name not in newcomer.get("/portal/listings/").content.decode()


def terms(**overrides) -> dict:
    values = {
        "price": "15000",
        "price_includes_tax": "on",
        "minimum_order": "50",
        "capacity_per_month": "2000",
        "delivery_provinces": ["32", "31"],
        "business_phone": "022 1234 567",
        "business_email": "jual@example.id",
    }
    values.update(overrides)
    return values


def test_owner_changes_the_terms_and_the_change_is_kept_in_history(live):
    case, listing, _ = live
    client = client_for(case.owner)
    url = f"/portal/listings/{listing.pk}/"
    before = listing.history.count()

    page = client.get(url)
    assert page.status_code == 200
    assert 'href="/programmes/"' in page.content.decode()  # the way to change the specification

    response = client.post(url, terms())
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.price, listing.minimum_order, listing.capacity_per_month) == (15000, 50, 2000)
    assert listing.price_includes_tax is True
    assert listing.business_phone == "+62221234567"
    assert sorted(listing.delivery_provinces.values_list("pk", flat=True)) == ["31", "32"]
    assert listing.history.count() > before
    assert listing.history.first().history_user == case.owner

    history = client.get(url).content.decode()
    assert "11000 → 15000" in history
    assert "1000 → 2000" in history
    assert "You" in history
    public = client_for().get(f"/catalogue/{listing.pk}/").content.decode()
    assert "Rp 15.000" in public
    assert "+62221234567" in public


@pytest.mark.parametrize(
    "bad",
    [
        {"price": "-5"},
        {"price": "0"},
        {"capacity_per_month": "10", "minimum_order": "50"},
        {"capacity_per_month": "-3"},
        {"business_phone": "12"},
    ],
)
def test_bad_terms_are_redisplayed_with_errors_and_nothing_is_saved(live, bad):
    case, listing, _ = live
    before = (listing.price, listing.minimum_order, listing.capacity_per_month)
    history = listing.history.count()

    response = client_for(case.owner).post(f"/portal/listings/{listing.pk}/", terms(**bad))

    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved" in body
    for value in bad.values():
        assert f'value="{value}"' in body
    listing.refresh_from_db()
    assert (listing.price, listing.minimum_order, listing.capacity_per_month) == before
    assert listing.history.count() == history
    assert not listing.delivery_provinces.exists()


def test_another_applicant_gets_404_on_someone_elses_listing(live):
    case, listing, _ = live
    other = client_for(factories.applicant())
    url = f"/portal/listings/{listing.pk}/"

    assert other.get(url).status_code == 404
    assert other.post(url, terms()).status_code == 404
    listing.refresh_from_db()
    assert listing.price == 11000
    assert client_for().get(url).status_code == 302  # to the login page


def test_staff_read_the_listing_and_its_history_without_a_form(live):
    case, listing, _ = live
    client_for(case.owner).post(f"/portal/listings/{listing.pk}/", terms())
    staff = client_for(factories.staff())

    response = staff.get(f"/portal/listings/{listing.pk}/")
    assert response.status_code == 200
    assert response.context["form"] is None
    body = response.content.decode()
    assert "11000 → 15000" in body
    assert str(case.owner) in body
    assert staff.post(f"/portal/listings/{listing.pk}/", terms(price="1")).status_code == 403
    listing.refresh_from_db()
    assert listing.price == 15000


def test_owner_cannot_edit_a_delisted_listing(live):
    case, listing, approver = live
    with translation.override("en"):
        services.suspend_certificate(certificate=listing.certificate, by=approver, reason="Aduan")
    client = client_for(case.owner)

    page = client.get(f"/portal/listings/{listing.pk}/")
    assert page.status_code == 200
    assert page.context["form"] is None
    assert client.post(f"/portal/listings/{listing.pk}/", terms()).status_code == 403
    listing.refresh_from_db()
    assert listing.price == 11000


# ---------------------------------------------------------------------------------------------
# Query budgets: constant whatever the number of listings


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_catalogue_page_query_count_does_not_grow(capsys):
    add_listings([{} for _ in range(10)])
    client = client_for()
    client.get("/catalogue/")

    at_10, response = count_queries(client, "/catalogue/?sort=price")
    assert response.context["page"].paginator.count == 10
    add_listings([{} for _ in range(990)])
    at_1000, response = count_queries(client, "/catalogue/?sort=price")

    assert response.context["page"].paginator.count == 1000
    assert at_10 == at_1000, f"/catalogue/: {at_10} queries at 10 listings, {at_1000} at 1,000"
    with capsys.disabled():
        print(f"\n/catalogue/ queries: {at_10} at 10 listings, {at_1000} at 1,000")


def test_feed_query_count_does_not_grow(capsys, settings):
    settings.CATALOGUE_FEED_SETTLE_SECONDS = 0
    add_listings([{} for _ in range(10)])
    client = client_for()
    client.get("/catalogue/feed.json")  # the region names are cached from here on

    at_10, response = count_queries(client, "/catalogue/feed.json")
    assert len(response.json()["items"]) == 10
    add_listings([{} for _ in range(990)])
    at_1000, response = count_queries(client, "/catalogue/feed.json")

    assert len(response.json()["items"]) == settings.CATALOGUE_FEED_PAGE_SIZE
    assert response.json()["next"]
    assert at_10 == at_1000, f"feed: {at_10} queries at 10 listings, {at_1000} at 1,000"
    with capsys.disabled():
        print(f"\n/catalogue/feed.json queries: {at_10} at 10 listings, {at_1000} at 1,000")
