import pytest

from catalogue.models import Listing
from tests import factories
from tests.catalogue.helpers import live_listing

pytestmark = pytest.mark.django_db


def test_operator_records_the_tkdn_figure_and_the_listing_moves_in_the_feed(client):
    live = live_listing()
    before = live.listing.updated_at
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)

    response = client.post(
        f"/admin/catalogue/listing/{live.listing.pk}/change/",
        {"tkdn_percent": "45.50", "price": "1"},  # read-only fields are ignored
    )

    assert response.status_code == 302
    listing = Listing.objects.get(pk=live.listing.pk)
    assert str(listing.tkdn_percent) == "45.50"
    assert listing.price == live.listing.price
    assert listing.updated_at > before
    assert listing.history.first().history_user == operator


def test_listings_cannot_be_added_or_deleted_in_the_admin(client):
    live = live_listing()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/catalogue/listing/add/").status_code == 403
    assert client.post(f"/admin/catalogue/listing/{live.listing.pk}/delete/").status_code == 403
    assert Listing.objects.filter(pk=live.listing.pk).exists()
