"""The applicant portal and the staff queue as people use them: pages, forms, filters, cost.

Expected texts are looked up with ``gettext`` in the page's language, so the tests hold both
before and after the Indonesian catalogue is filled in.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

from regions.models import Regency
from tests import factories
from vendors import services
from vendors.models import Product, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user, language=None) -> Client:
    client = Client()
    if language:
        client.cookies["django_language"] = language
    client.force_login(user)
    return client


def text_in(language: str, message: str, **params) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return escape(text % params if params else text)


def small_upload():
    return factories.upload(factories.image_bytes(size=(64, 48)))


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def vendor_form_data(**overrides) -> dict:
    data = {
        "legal_name": "CV Maju Bersama",
        "trading_name": "Maju Masker",
        "nib": "912.0001.2345.61",
        "npwp": "01.234.567.4-123.000",
        "owner_name": "Siti Aminah",
        "owner_nik": factories.VALID_NIK,
        "phone": "0812 3456 7890",
        "email": "usaha@example.test",
        "address": "Jl. Cibaduyut No. 7",
        "province": "32",
        "regency": "3273",
        "postal_code": "40214",
        "capital_rupiah": "100000000",
        "yearly_sales_rupiah": "500000000",
        "year_founded": "2015",
        "workforce": "5",
        "cooperative_name": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# Every page in both languages


@pytest.fixture
def owner():
    return factories.applicant()


@pytest.fixture
def vendor(owner):
    return factories.vendor_ready_to_submit(owner=owner)


PAGES = {
    # page: (url template, who, message id that must appear)
    "portal": ("/portal/", "owner", "My business"),
    "vendor_create": ("/portal/vendors/new/", "owner", "Register my business"),
    "vendor_edit": ("/portal/vendors/{vendor}/edit/", "owner", "Edit business details"),
    "vendor_detail": ("/portal/vendors/{vendor}/", "owner", "Business details"),
    "product_create": ("/portal/vendors/{vendor}/products/new/", "owner", "Add a product"),
    "product_edit": ("/portal/vendors/{vendor}/products/{product}/edit/", "owner", "Edit product"),
    "product_photos": ("/portal/products/{product}/photos/", "owner", "Upload"),
    "staff_queue": ("/staff/vendors/", "staff", "Vendor queue"),
    "staff_vendor_detail": ("/portal/vendors/{vendor}/", "staff", "Review"),
}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_in_indonesian_and_english(owner, vendor, page, language):
    url, who, message = PAGES[page]
    product = vendor.products.get()
    if who == "staff":
        services.submit_vendor(vendor=vendor, by=owner)
        user = factories.staff()
    else:
        user = owner
    client = client_for(user, language if language == "en" else None)

    response = client.get(url.format(vendor=vendor.pk, product=product.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert text_in(language, message) in content
    if page != "vendor_create":
        assert escape(vendor.display_name) in content
    if page == "product_photos":
        assert text_in(language, "Photos of %(name)s", name=product.name) in content
        assert f"/files/photos/{product.photos.get().pk}/thumb/" in content


def test_language_menu_switches_the_portal_to_english(owner, vendor):
    client = client_for(owner)
    assert '<html lang="id">' in client.get("/portal/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"}, follow=True)

    assert response.redirect_chain[-1][0] == "/portal/"
    assert client.cookies["django_language"].value == "en"
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "My business" in content


def test_owner_sees_what_is_missing_before_submitting(owner):
    vendor = factories.vendor(owner=owner, complete=False)

    response = client_for(owner, "en").get(f"/portal/vendors/{vendor.pk}/")

    content = response.content.decode()
    assert "Before you can submit:" in content
    assert "NPWP is not filled in." in content
    assert "Add at least one product with a photo." in content
    assert 'aria-disabled="true"' in content


def test_ready_vendor_shows_submit_as_possible_and_staff_sees_review_buttons(owner, vendor):
    owner_page = client_for(owner, "en").get(f"/portal/vendors/{vendor.pk}/").content.decode()
    assert "Everything needed is here." in owner_page
    assert 'aria-disabled="true"' not in owner_page

    services.submit_vendor(vendor=vendor, by=owner)
    staff_page = client_for(factories.staff(), "en").get(f"/portal/vendors/{vendor.pk}/")

    actions = [action["name"] for action in staff_page.context["review_actions"]]
    assert actions == ["verify", "return_for_changes", "reject"]
    assert f'action="/staff/vendors/{vendor.pk}/verify/"' in staff_page.content.decode()


def test_owner_submits_through_the_page_and_sees_confirmation(owner, vendor):
    response = client_for(owner, "en").post(f"/portal/vendors/{vendor.pk}/submit/", follow=True)

    assert response.redirect_chain == [(f"/portal/vendors/{vendor.pk}/", 302)]
    assert shown_messages(response) == ["Submitted. Ministry staff will verify your business."]
    assert Vendor.objects.get(pk=vendor.pk).status == Vendor.Status.SUBMITTED
    assert vendor.history.first().history_user == owner


def test_refused_submit_through_the_page_shows_each_reason(owner):
    vendor = factories.vendor(owner=owner, npwp="", postal_code="")

    response = client_for(owner, "en").post(f"/portal/vendors/{vendor.pk}/submit/", follow=True)

    assert shown_messages(response) == [
        "NPWP is not filled in.",
        "Postal code is not filled in.",
        "Add at least one product with a photo.",
    ]
    assert Vendor.objects.get(pk=vendor.pk).status == Vendor.Status.DRAFT


# ---------------------------------------------------------------------------------------------
# The vendor form


def test_full_vendor_form_saves_normalised_identity_numbers(owner):
    response = client_for(owner, "en").post("/portal/vendors/new/", vendor_form_data(), follow=True)

    vendor = Vendor.objects.get()
    assert response.redirect_chain == [(f"/portal/vendors/{vendor.pk}/", 302)]
    assert shown_messages(response) == ["Business saved. Now add your products with photos."]
    assert vendor.nib == "9120001234561"
    assert vendor.npwp == factories.VALID_NPWP_15
    assert vendor.phone == "+6281234567890"
    assert vendor.business_scale == "mikro"
    assert list(vendor.owners.all()) == [owner]
    assert vendor.status == Vendor.Status.DRAFT
    assert vendor.missing_details() == []
    assert {row.history_user for row in vendor.history.all()} == {owner}


def test_invalid_nib_redisplays_form_with_typed_data_and_creates_nothing(owner):
    data = vendor_form_data(nib="1234-5")

    response = client_for(owner, "en").post("/portal/vendors/new/", data)

    assert response.status_code == 200
    assert Vendor.objects.count() == 0
    form = response.context["form"]
    assert list(form.errors) == ["nib"]
    content = response.content.decode()
    assert escape("NIB must be exactly 13 digits (Nomor Induk Berusaha from OSS).") in content
    assert "Please correct the errors below. Nothing was saved yet." in content
    for name in ("legal_name", "nib", "owner_name", "address", "email", "postal_code"):
        assert f'value="{escape(data[name])}"' in content, name
    assert '<option value="3273" selected>' in content, "the chosen city stays chosen"


def test_draft_with_only_a_name_can_be_saved_and_completed_later(owner):
    response = client_for(owner, "en").post(
        "/portal/vendors/new/", {"legal_name": "CV Setengah Jadi"}
    )

    vendor = Vendor.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/vendors/{vendor.pk}/"
    assert vendor.legal_name == "CV Setengah Jadi"
    assert vendor.status == Vendor.Status.DRAFT
    assert vendor.nib == "" and vendor.province is None and vendor.business_scale == ""
    assert len(vendor.missing_details()) == 12
    history_before = vendor.history.count()

    edit = client_for(owner, "en").post(
        f"/portal/vendors/{vendor.pk}/edit/",
        {"legal_name": "CV Setengah Jadi", "nib": "9120001234561", "province": "32"},
    )
    assert edit.status_code == 302
    vendor.refresh_from_db()
    assert (vendor.nib, vendor.province_id) == ("9120001234561", "32")
    assert vendor.history.first().history_user == owner
    assert vendor.history.count() == history_before + 1


def test_regency_outside_chosen_province_is_refused(owner):
    data = vendor_form_data(province="32", regency="3578")  # Kota Surabaya is in Jawa Timur

    response = client_for(owner, "en").post("/portal/vendors/new/", data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["regency"]
    assert Vendor.objects.count() == 0


def test_capital_above_umkm_limit_is_refused(owner):
    data = vendor_form_data(capital_rupiah="20000000000")

    response = client_for(owner, "en").post("/portal/vendors/new/", data)

    assert response.status_code == 200
    assert "not eligible" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert Vendor.objects.count() == 0


def test_submitted_vendor_form_is_closed_with_reason(owner, vendor):
    services.submit_vendor(vendor=vendor, by=owner)

    response = client_for(owner, "en").post(
        f"/portal/vendors/{vendor.pk}/edit/", vendor_form_data(legal_name="CV Baru")
    )

    assert response.status_code == 403
    assert "cannot be changed while the registration is" in response.content.decode()
    assert Vendor.objects.get(pk=vendor.pk).legal_name == "CV Uji Coba"


def test_product_form_saves_product_and_leads_to_photos(owner):
    vendor = factories.vendor(owner=owner)
    data = {
        "category": "cloth_mask",
        "name": "Masker kain 3 lapis",
        "description": "Katun combed 30s, tiga lapis.",
        "layers": "3",
        "unit": "pcs",
        "capacity_per_month": "5000",
        "indicative_price": "11000",
    }

    missing_layers = client_for(owner, "en").post(
        f"/portal/vendors/{vendor.pk}/products/new/", {**data, "layers": ""}
    )
    assert missing_layers.status_code == 200
    assert list(missing_layers.context["form"].errors) == ["layers"]
    assert Product.objects.count() == 0

    response = client_for(owner, "en").post(f"/portal/vendors/{vendor.pk}/products/new/", data)
    item = Product.objects.get()
    assert response["Location"] == f"/portal/products/{item.pk}/photos/"
    assert (item.vendor, item.indicative_price, item.layers) == (vendor, 11000, 3)
    assert item.history.get().history_user == owner


# ---------------------------------------------------------------------------------------------
# Staff queue filters


def submitted_vendor(name: str, regency_code: str, nib: str) -> Vendor:
    owner = factories.applicant()
    regency = Regency.objects.get(code=regency_code)
    vendor = factories.vendor(
        owner=owner,
        legal_name=name,
        trading_name="",
        nib=nib,
        province=regency.province,
        regency=regency,
    )
    item = factories.product(vendor=vendor)
    services.add_product_photos(product=item, by=owner, uploads=[small_upload()])
    return services.submit_vendor(vendor=vendor, by=owner)


@pytest.fixture
def queue():
    alpha = submitted_vendor("CV Alpha Tekstil", "3273", "9120001000001")
    beta = submitted_vendor("CV Beta Konveksi", "3578", "9120099000002")
    gamma = submitted_vendor("CV Gamma Medika", "3273", "9120002000003")
    services.verify_vendor(vendor=gamma, by=factories.staff())
    factories.vendor(legal_name="CV Draf Rahasia", trading_name="")
    return {"alpha": alpha, "beta": beta, "gamma": gamma}


def names_in_queue(client, query: str = "") -> list[str]:
    response = client.get(f"/staff/vendors/{query}")
    assert response.status_code == 200
    return [vendor.legal_name for vendor in response.context["page"].object_list]


def test_staff_queue_shows_submitted_vendors_by_default_oldest_first(queue):
    client = client_for(factories.staff(), "en")

    response = client.get("/staff/vendors/")

    assert [v.legal_name for v in response.context["page"].object_list] == [
        "CV Alpha Tekstil",
        "CV Beta Konveksi",
    ]
    content = response.content.decode()
    assert "2 vendors" in content
    assert "CV Draf Rahasia" not in content
    assert "Kota Surabaya" not in content and "Jawa Timur" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=verified", ["CV Gamma Medika"]),
        ("?status=", ["CV Alpha Tekstil", "CV Beta Konveksi", "CV Gamma Medika"]),
        ("?status=&province=35", ["CV Beta Konveksi"]),
        ("?status=submitted&province=32", ["CV Alpha Tekstil"]),
        ("?status=&q=gamma", ["CV Gamma Medika"]),
        ("?q=beta", ["CV Beta Konveksi"]),
        ("?status=&q=912.0099", ["CV Beta Konveksi"]),
        ("?status=&q=Draf", []),
    ],
)
def test_staff_queue_filters_narrow_the_list(queue, query, expected):
    client = client_for(factories.staff(), "en")

    assert names_in_queue(client, query) == expected


def test_staff_queue_never_lists_drafts_even_when_asked(queue):
    client = client_for(factories.staff(), "en")

    response = client.get("/staff/vendors/?status=draft")

    assert response.status_code == 200
    assert "status" in response.context["filter"].form.errors
    assert "CV Draf Rahasia" not in response.content.decode()


def test_staff_queue_counts_the_products_of_each_vendor(queue):
    factories.product(vendor=queue["beta"], name="Masker Kedua")
    factories.product(vendor=queue["beta"], name="Masker Ketiga")
    client = client_for(factories.staff(), "en")

    response = client.get("/staff/vendors/")

    counts = {v.legal_name: v.product_count for v in response.context["page"].object_list}
    assert counts == {"CV Alpha Tekstil": 1, "CV Beta Konveksi": 3}


def test_approver_also_reads_the_queue(queue):
    assert names_in_queue(client_for(factories.approver(), "en")) == [
        "CV Alpha Tekstil",
        "CV Beta Konveksi",
    ]


# ---------------------------------------------------------------------------------------------
# Query budgets: the number of queries does not grow with the number of vendors


def add_vendors(count: int, *, status: str, owner=None) -> None:
    regency = Regency.objects.select_related("province").get(code="3273")
    now = timezone.now()
    start = Vendor.objects.count()
    vendors = Vendor.objects.bulk_create(
        [
            Vendor(
                legal_name=f"CV Massal {start + i:03d}",
                nib=f"{9120000000000 + start + i}",
                province=regency.province,
                regency=regency,
                business_scale="mikro",
                status=status,
                submitted_at=now if status != "draft" else None,
            )
            for i in range(count)
        ]
    )
    Product.objects.bulk_create(
        [
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
        ]
    )
    if owner is not None:
        Vendor.owners.through.objects.bulk_create(
            [Vendor.owners.through(vendor=vendor, user=owner) for vendor in vendors]
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_staff_queue_query_count_does_not_grow_with_vendors():
    client = client_for(factories.staff())
    add_vendors(10, status=Vendor.Status.SUBMITTED)
    client.get("/staff/vendors/")  # warm caches (content types, session)

    at_10 = count_queries(client, "/staff/vendors/")
    add_vendors(190, status=Vendor.Status.SUBMITTED)
    at_200 = count_queries(client, "/staff/vendors/")

    assert at_10 == at_200, f"staff queue: {at_10} queries at 10 vendors, {at_200} at 200"
    assert at_200 <= 12, f"staff queue: {at_200} queries at 200 vendors"
    print(f"\n/staff/vendors/ queries: {at_10} at 10 vendors, {at_200} at 200")


def test_portal_query_count_does_not_grow_with_vendors(owner):
    client = client_for(owner)
    add_vendors(10, status=Vendor.Status.DRAFT, owner=owner)
    client.get("/portal/")

    at_10 = count_queries(client, "/portal/")
    add_vendors(190, status=Vendor.Status.DRAFT, owner=owner)
    at_200 = count_queries(client, "/portal/")

    response = client.get("/portal/")
    assert len(response.context["cards"]) == 200
    assert at_10 == at_200, f"portal: {at_10} queries at 10 vendors, {at_200} at 200"
    assert at_200 <= 10, f"portal: {at_200} queries at 200 vendors"
    print(f"\n/portal/ queries: {at_10} at 10 vendors, {at_200} at 200")
