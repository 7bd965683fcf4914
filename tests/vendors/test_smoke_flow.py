import pytest

from audit.models import TransitionLog
from tests import factories
from vendors import services
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def test_owner_submits_and_staff_verifies_with_audit_rows():
    owner = factories.applicant()
    officer = factories.staff()
    vendor = factories.vendor_ready_to_submit(owner=owner)

    vendor = services.submit_vendor(vendor=vendor, by=owner)
    vendor = services.verify_vendor(vendor=vendor, by=officer)

    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.VERIFIED
    logs = list(TransitionLog.objects.order_by("sequence"))
    assert [(log.transition, log.actor_id) for log in logs] == [
        ("submit", owner.pk),
        ("verify", officer.pk),
    ]
    assert vendor.history.first().history_user == officer
