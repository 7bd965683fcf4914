"""Each role sees only what it may: others' vendors, products and photos do not exist for them.

Driven through the test client as each role would; pages are requested in English so the
assertions read the source strings whatever the state of the Indonesian translation.
"""

import pytest
from django.test import Client
from django.utils.html import escape

from audit.models import TransitionLog
from tests import factories
from vendors import services
from vendors.models import Product, ProductPhoto, Vendor

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def owner():
    return factories.applicant()


@pytest.fixture
def vendor(owner):
    return factories.vendor_ready_to_submit(owner=owner)


@pytest.fixture
def product(vendor):
    return vendor.products.get()


@pytest.fixture
def photo(product):
    return product.photos.get()


def state_of(vendor):
    fresh = Vendor.objects.get(pk=vendor.pk)
    return {
        "status": fresh.status,
        "legal_name": fresh.legal_name,
        "history": fresh.history.count(),
        "products": Product.objects.filter(vendor=fresh).count(),
        "product_names": sorted(
            Product.objects.filter(vendor=fresh).values_list("name", flat=True)
        ),
        "photos": ProductPhoto.objects.filter(product__vendor=fresh).count(),
        "log": TransitionLog.objects.count(),
    }


def owner_get_urls(vendor, product, photo):
    return {
        "detail": f"/portal/vendors/{vendor.pk}/",
        "edit": f"/portal/vendors/{vendor.pk}/edit/",
        "product_create": f"/portal/vendors/{vendor.pk}/products/new/",
        "product_edit": f"/portal/vendors/{vendor.pk}/products/{product.pk}/edit/",
        "product_photos": f"/portal/products/{product.pk}/photos/",
        "photo_thumb": f"/files/photos/{photo.pk}/thumb/",
        "photo_display": f"/files/photos/{photo.pk}/display/",
    }


GET_PAGES = [
    "detail",
    "edit",
    "product_create",
    "product_edit",
    "product_photos",
    "photo_thumb",
    "photo_display",
]


# ---------------------------------------------------------------------------------------------
# Another applicant


@pytest.mark.parametrize("page", GET_PAGES)
def test_other_applicant_gets_404_on_owners_pages(vendor, product, photo, page):
    client = client_for(factories.applicant())

    response = client.get(owner_get_urls(vendor, product, photo)[page])

    assert response.status_code == 404
    assert vendor.legal_name not in response.content.decode()


def test_owner_reaches_all_own_pages(vendor, product, photo, owner):
    client = client_for(owner)
    for page, url in owner_get_urls(vendor, product, photo).items():
        response = client.get(url)
        assert response.status_code == 200, (page, response.status_code)
        if page.startswith("photo_"):
            assert factories.read_streamed(response).startswith(b"\xff\xd8"), page


def test_other_applicant_cannot_delete_owners_photo(vendor, photo):
    before = state_of(vendor)

    response = client_for(factories.applicant()).post(f"/portal/photos/{photo.pk}/delete/")

    assert response.status_code == 404
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert state_of(vendor) == before


def test_other_applicant_cannot_change_owners_vendor_or_products(vendor, product):
    client = client_for(factories.applicant())
    before = state_of(vendor)

    responses = [
        client.post(f"/portal/vendors/{vendor.pk}/edit/", {"legal_name": "CV Pembajak"}),
        client.post(
            f"/portal/vendors/{vendor.pk}/products/{product.pk}/edit/",
            {"name": "Dibajak", "category": "other", "description": "x", "unit": "pcs"},
        ),
        client.post(
            f"/portal/vendors/{vendor.pk}/products/new/",
            {"name": "Titipan", "category": "other", "description": "x", "unit": "pcs"},
        ),
        client.post(f"/portal/products/{product.pk}/photos/", {"photos": factories.upload()}),
        client.post(f"/portal/products/{product.pk}/delete/"),
        client.post(f"/portal/vendors/{vendor.pk}/submit/"),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert state_of(vendor) == before


def test_other_applicants_portal_does_not_list_owners_vendor(vendor):
    response = client_for(factories.applicant()).get("/portal/")

    assert response.status_code == 200
    assert vendor.display_name not in response.content.decode()
    assert response.context["cards"] == []


# ---------------------------------------------------------------------------------------------
# Anonymous visitors


@pytest.mark.parametrize("page", GET_PAGES)
def test_anonymous_visitor_is_sent_to_login(vendor, product, photo, page):
    url = owner_get_urls(vendor, product, photo)[page]

    response = client_for().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


@pytest.mark.parametrize("url", ["/portal/", "/staff/vendors/", "/portal/vendors/new/"])
def test_anonymous_visitor_is_sent_to_login_from_portal_and_queue(url):
    response = client_for().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


def test_anonymous_post_changes_nothing(vendor, photo):
    before = state_of(vendor)
    client = client_for()

    responses = [
        client.post(f"/portal/vendors/{vendor.pk}/submit/"),
        client.post(f"/portal/photos/{photo.pk}/delete/"),
        client.post(f"/staff/vendors/{vendor.pk}/verify/"),
    ]

    assert all(r.status_code == 302 and r["Location"].startswith(LOGIN_URL) for r in responses)
    assert state_of(vendor) == before


# ---------------------------------------------------------------------------------------------
# Ministry officers and curators


@pytest.mark.parametrize("make_officer", [factories.staff, factories.approver])
def test_ministry_officers_see_vendor_detail_and_photo_files(vendor, photo, make_officer):
    client = client_for(make_officer())

    detail = client.get(f"/portal/vendors/{vendor.pk}/")
    thumb = client.get(f"/files/photos/{photo.pk}/thumb/")

    assert detail.status_code == 200
    assert escape(vendor.legal_name) in detail.content.decode()
    assert f"/files/photos/{photo.pk}/thumb/" in detail.content.decode()
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/jpeg"
    assert thumb["Cache-Control"] == "private, max-age=3600"
    assert factories.read_streamed(thumb).startswith(b"\xff\xd8")


def test_officers_cannot_edit_vendor_details_or_products(vendor, product):
    client = client_for(factories.staff())
    before = state_of(vendor)

    edit = client.post(f"/portal/vendors/{vendor.pk}/edit/", {"legal_name": "CV Diubah Staf"})
    product_edit = client.get(f"/portal/vendors/{vendor.pk}/products/{product.pk}/edit/")

    assert edit.status_code == 403
    assert "Only the vendor&#x27;s owners may change its details." in edit.content.decode()
    assert product_edit.status_code == 403
    assert state_of(vendor) == before


def test_curator_gets_404_on_vendor_detail_and_photos(vendor, photo):
    client = client_for(factories.curator())

    assert client.get(f"/portal/vendors/{vendor.pk}/").status_code == 404
    assert client.get(f"/files/photos/{photo.pk}/thumb/").status_code == 404


@pytest.mark.parametrize("make_user", [factories.applicant, factories.curator])
def test_non_officers_get_403_with_reason_on_staff_queue(make_user):
    response = client_for(make_user()).get("/staff/vendors/")

    assert response.status_code == 403
    assert "Only ministry officers may see the review queue." in response.content.decode()


def test_applicant_posting_to_staff_review_url_is_refused_with_reason(vendor, owner):
    services.submit_vendor(vendor=vendor, by=owner)
    before = state_of(vendor)

    response = client_for(owner).post(f"/staff/vendors/{vendor.pk}/verify/", follow=True)

    assert response.redirect_chain == [(f"/portal/vendors/{vendor.pk}/", 302)]
    reason = "Only ministry staff may verify, return or reject a vendor."
    assert shown_messages(response) == [reason]
    assert escape(reason) in response.content.decode()
    assert state_of(vendor) == before


def test_other_applicant_posting_to_staff_review_url_gets_404(vendor, owner):
    services.submit_vendor(vendor=vendor, by=owner)
    before = state_of(vendor)

    response = client_for(factories.applicant()).post(
        f"/staff/vendors/{vendor.pk}/reject/", {"reason": "Tidak layak"}
    )

    assert response.status_code == 404
    assert state_of(vendor) == before


def test_staff_return_without_reason_is_refused_and_with_reason_reaches_the_owner(vendor, owner):
    services.submit_vendor(vendor=vendor, by=owner)
    officer = factories.staff()
    client = client_for(officer)
    before = state_of(vendor)

    refused = client.post(
        f"/staff/vendors/{vendor.pk}/return_for_changes/", {"reason": "  "}, follow=True
    )
    assert shown_messages(refused) == ["Give a reason the applicant can act on."]
    assert state_of(vendor) == before

    done = client.post(
        f"/staff/vendors/{vendor.pk}/return_for_changes/",
        {"reason": "NPWP tidak sesuai dengan nama usaha."},
        follow=True,
    )
    assert shown_messages(done) == ["The vendor is now “Returned for changes”."]
    assert Vendor.objects.get(pk=vendor.pk).status == Vendor.Status.RETURNED
    entry = TransitionLog.objects.order_by("-sequence").first()
    assert (entry.actor, entry.note) == (officer, "NPWP tidak sesuai dengan nama usaha.")

    owner_page = client_for(owner).get(f"/portal/vendors/{vendor.pk}/")
    assert "NPWP tidak sesuai dengan nama usaha." in owner_page.content.decode()


def test_unknown_review_action_is_404(vendor, owner):
    services.submit_vendor(vendor=vendor, by=owner)
    before = state_of(vendor)

    response = client_for(factories.staff()).post(f"/staff/vendors/{vendor.pk}/approve_all/")

    assert response.status_code == 404
    assert state_of(vendor) == before


@pytest.mark.parametrize(
    "url",
    [
        "/portal/vendors/{vendor}/submit/",
        "/staff/vendors/{vendor}/verify/",
        "/portal/products/{product}/delete/",
        "/portal/photos/{photo}/delete/",
    ],
)
def test_get_on_post_only_urls_is_405_and_changes_nothing(vendor, product, photo, owner, url):
    before = state_of(vendor)
    target = url.format(vendor=vendor.pk, product=product.pk, photo=photo.pk)

    response = client_for(owner).get(target)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert state_of(vendor) == before


def test_unknown_photo_variant_is_404(photo, owner):
    response = client_for(owner).get(f"/files/photos/{photo.pk}/original/")

    assert response.status_code == 404
