"""The listing follows its certificate through every transition, in the same transaction."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.utils import timezone

from audit.selectors import transitions_for
from catalogue import services as catalogue_services
from catalogue.models import Listing, ListingPhoto
from catalogue.services import update_listing_terms
from certification import services
from certification.models import Certificate
from curation.models import Application
from regions.models import Province
from tests import factories
from tests.catalogue.helpers import live_listing
from tests.curation import builders

pytestmark = pytest.mark.django_db


def photo_names(listing) -> list[str]:
    return [
        name
        for photo in ListingPhoto.objects.filter(listing=listing)
        for name in (photo.image.name, photo.thumbnail.name)
    ]


def test_approval_lists_the_certified_specification_with_public_photos():
    live = live_listing()
    listing, certificate = live.listing, live.certificate
    spec = certificate.specification

    assert listing.status == Listing.Status.LIVE
    assert (listing.vendor, listing.product) == (live.case.vendor, live.case.product)
    assert listing.vendor_name == live.case.vendor.display_name
    assert listing.province_id == live.case.vendor.province_id
    assert listing.product_name == spec["name"]
    assert listing.category == spec["category"]
    assert listing.unit == spec["unit"]
    assert listing.price == spec["indicative_price"]
    assert listing.capacity_per_month == spec["capacity_per_month"]
    assert listing.certificate_number == certificate.number
    assert listing.certificate_valid_until == certificate.valid_until
    names = photo_names(listing)
    assert len(names) == 2 * len(spec["photo_ids"]) == 6
    public = storages["default"]
    assert all(name.startswith(f"listings/{listing.pk}/") for name in names)
    assert all(public.exists(name) for name in names)


def test_suspend_delists_as_a_tombstone_and_deletes_the_photos_after_commit(
    django_capture_on_commit_callbacks,
):
    live = live_listing()
    names = photo_names(live.listing)
    public = storages["default"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.suspend_certificate(certificate=live.certificate, by=live.approver, reason="Aduan")
    assert callbacks

    live.listing.refresh_from_db()
    assert live.listing.status == Listing.Status.DELISTED
    assert not ListingPhoto.objects.filter(listing=live.listing).exists()
    assert not any(public.exists(name) for name in names)

    services.reinstate_certificate(certificate=live.certificate, by=live.approver, reason="Beres")
    live.listing.refresh_from_db()
    assert live.listing.status == Listing.Status.LIVE
    assert all(public.exists(name) for name in photo_names(live.listing))
    assert len(photo_names(live.listing)) == 6


def test_photos_stay_until_the_suspension_commits():
    live = live_listing()
    names = photo_names(live.listing)
    services.suspend_certificate(certificate=live.certificate, by=live.approver, reason="Aduan")
    # The test's transaction never commits: the files are still there.
    assert all(storages["default"].exists(name) for name in names)


def test_revoke_delists():
    live = live_listing()
    services.revoke_certificate(certificate=live.certificate, by=live.approver, reason="Palsu")
    live.listing.refresh_from_db()
    assert live.listing.status == Listing.Status.DELISTED
    assert live.listing.updated_at > live.listing.created_at


def test_expiry_delists():
    live = live_listing()
    after = datetime.datetime.combine(
        live.certificate.valid_until + datetime.timedelta(days=1),
        datetime.time(9),
        tzinfo=timezone.get_current_timezone(),
    )
    with time_machine.travel(after, tick=False):
        changed = services.expire_due()
    assert changed["certificates"] == [live.certificate.number]
    live.listing.refresh_from_db()
    assert live.listing.status == Listing.Status.DELISTED


def test_a_failing_listing_rolls_the_approval_back(monkeypatch):
    case = builders.passed(category="cloth_mask")
    application = services.skip_permit(application=case.application, by=case.officer)
    approves_before = transitions_for(application).filter(transition="approve").count()

    def broken(listing, certificate):
        raise OSError("storage down")

    monkeypatch.setattr(catalogue_services, "_publish_photos", broken)
    with pytest.raises(OSError):
        services.approve_application(application=application, by=factories.approver())

    application.refresh_from_db()
    assert application.status == Application.Status.AWAITING_APPROVAL
    assert not Certificate.objects.exists()
    assert not Listing.objects.exists()
    assert transitions_for(application).filter(transition="approve").count() == approves_before


def test_a_failing_listing_rolls_the_reinstatement_back(monkeypatch):
    live = live_listing()
    services.suspend_certificate(certificate=live.certificate, by=live.approver, reason="Aduan")
    monkeypatch.setattr(
        catalogue_services, "_publish_photos", lambda *a: (_ for _ in ()).throw(OSError("down"))
    )
    with pytest.raises(OSError):
        services.reinstate_certificate(certificate=live.certificate, by=live.approver, reason="x")
    live.certificate.refresh_from_db()
    live.listing.refresh_from_db()
    assert live.certificate.status == Certificate.Status.SUSPENDED
    assert live.listing.status == Listing.Status.DELISTED


# The vendor's terms of sale


def terms(**overrides) -> dict:
    values = {
        "price": 12_500,
        "price_includes_tax": True,
        "minimum_order": 10,
        "capacity_per_month": 5_000,
        "delivery_provinces": list(Province.objects.filter(code__in=["32", "35"])),
    }
    values.update(overrides)
    return values


def test_the_owner_updates_the_terms_and_the_change_is_kept_in_history():
    live = live_listing()
    owner = live.case.owner
    before = live.listing.updated_at

    updated = update_listing_terms(listing=live.listing, by=owner, **terms())

    updated.refresh_from_db()
    assert (updated.price, updated.minimum_order, updated.capacity_per_month) == (12_500, 10, 5_000)
    assert updated.price_includes_tax is True
    assert sorted(p.code for p in updated.delivery_provinces.all()) == ["32", "35"]
    assert updated.updated_at > before
    latest = updated.history.latest()
    assert latest.history_user == owner
    assert latest.price == 12_500
    assert updated.history.count() >= 2


@pytest.mark.parametrize(
    "bad",
    [
        {"price": -1},
        {"price": 0},
        {"minimum_order": 0},
        {"capacity_per_month": -5},
        {"minimum_order": 100, "capacity_per_month": 50},
    ],
)
def test_bad_numbers_are_refused_and_nothing_is_saved(bad):
    live = live_listing()
    history = live.listing.history.count()
    with pytest.raises(ValidationError):
        update_listing_terms(listing=live.listing, by=live.case.owner, **terms(**bad))
    fresh = Listing.objects.get(pk=live.listing.pk)
    assert (fresh.price, fresh.updated_at) == (live.listing.price, live.listing.updated_at)
    assert fresh.history.count() == history


def test_another_user_may_not_change_the_terms():
    live = live_listing()
    for stranger in (factories.applicant(), factories.staff(), live.approver):
        with pytest.raises(PermissionDenied):
            update_listing_terms(listing=live.listing, by=stranger, **terms())
    assert Listing.objects.get(pk=live.listing.pk).price == live.listing.price


def test_a_delisted_listing_cannot_be_changed():
    live = live_listing()
    services.suspend_certificate(certificate=live.certificate, by=live.approver, reason="Aduan")
    with pytest.raises(PermissionDenied):
        update_listing_terms(listing=live.listing, by=live.case.owner, **terms())
    assert Listing.objects.get(pk=live.listing.pk).price == live.listing.price
