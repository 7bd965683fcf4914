import pytest
from django.utils import translation

from catalogue.models import Listing
from certification import services
from tests import factories
from tests.curation import builders

pytestmark = pytest.mark.django_db


def test_listing_appears_on_approval_and_leaves_on_suspension_as_a_tombstone():
    case = builders.passed(category="cloth_mask")
    application = services.skip_permit(application=case.application, by=case.officer)
    approver = factories.approver()
    certificate = services.approve_application(application=application, by=approver)

    listing = Listing.objects.get(certificate=certificate)
    assert listing.status == "live"
    assert listing.photos.count() == 3
    assert listing.product_name == case.product.name

    with translation.override("en"):
        services.suspend_certificate(certificate=certificate, by=approver, reason="Aduan")
    listing.refresh_from_db()
    assert listing.status == "delisted"
    assert listing.photos.count() == 0

    services.reinstate_certificate(certificate=certificate, by=approver, reason="Selesai")
    listing.refresh_from_db()
    assert listing.status == "live"
    assert listing.photos.count() == 3
