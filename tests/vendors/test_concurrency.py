"""Ministry staff pressing the same button on one vendor registration at the same instant:
exactly one of them wins, the others are told why, and the audit trail gains one row.

These run real threads against PostgreSQL, each thread on its own database connection, so the
row lock taken by ``perform_transition`` is what keeps the outcome right. SQLite serialises
every write transaction, so there is nothing to race there.
"""

from audit.workflow import TransitionRefused
from tests import factories
from tests.concurrency import POSTGRES_ONLY, audit_trail, kinds, race, refusals, slow_down
from vendors import services
from vendors.models import Vendor

pytestmark = POSTGRES_ONLY


def not_possible(state: str) -> str:
    return f"This action is not possible while the vendor is “{state}”."


def submitted_vendor() -> Vendor:
    owner = factories.applicant()
    vendor = factories.vendor_ready_to_submit(owner=owner)
    return services.submit_vendor(vendor=vendor, by=owner)


def verified_vendor() -> Vendor:
    return services.verify_vendor(vendor=submitted_vendor(), by=factories.staff())


def test_three_officers_verifying_one_vendor_at_once_verify_it_once(monkeypatch):
    vendor = submitted_vendor()
    before = audit_trail(vendor)
    officers = [factories.staff() for _ in range(3)]
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(lambda who=who: services.verify_vendor(vendor=vendor, by=who) for who in officers)
    )

    assert kinds(outcomes) == ["ok", "refused", "refused"], outcomes
    assert all(isinstance(e, TransitionRefused) for k, e in outcomes if k == "refused")
    assert refusals(outcomes) == [not_possible("Verified")] * 2
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.VERIFIED
    after = audit_trail(vendor)
    assert after["log"] == [*before["log"], "verify"]
    assert after["history"] == before["history"] + 1


def test_verifying_returning_and_rejecting_one_vendor_at_once_decides_it_once(monkeypatch):
    vendor = submitted_vendor()
    before = audit_trail(vendor)
    officers = [factories.staff() for _ in range(3)]
    slow_down(monkeypatch, services, "perform_transition")
    calls = {
        "verify": lambda: services.verify_vendor(vendor=vendor, by=officers[0]),
        "return_for_changes": lambda: services.return_vendor(
            vendor=vendor, by=officers[1], reason="Foto NIB buram."
        ),
        "reject": lambda: services.reject_vendor(
            vendor=vendor, by=officers[2], reason="Bukan usaha APD."
        ),
    }

    outcomes = race(*calls.values())

    assert kinds(outcomes) == ["ok", "refused", "refused"], outcomes
    won = next(name for name, (kind, _) in zip(calls, outcomes, strict=True) if kind == "ok")
    status, label = {
        "verify": (Vendor.Status.VERIFIED, "Verified"),
        "return_for_changes": (Vendor.Status.RETURNED, "Returned for changes"),
        "reject": (Vendor.Status.REJECTED, "Rejected"),
    }[won]
    assert refusals(outcomes) == [not_possible(label)] * 2
    vendor.refresh_from_db()
    assert vendor.status == status
    after = audit_trail(vendor)
    assert after["log"] == [*before["log"], won]
    assert after["history"] == before["history"] + 1


def test_three_officers_suspending_one_vendor_at_once_suspend_it_once(monkeypatch):
    vendor = verified_vendor()
    before = audit_trail(vendor)
    officers = [factories.staff() for _ in range(3)]
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(
            lambda who=who: services.suspend_vendor(
                vendor=vendor, by=who, reason="Pengaduan pembeli sedang diperiksa."
            )
            for who in officers
        )
    )

    assert kinds(outcomes) == ["ok", "refused", "refused"], outcomes
    assert refusals(outcomes) == [not_possible("Suspended")] * 2
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.SUSPENDED
    after = audit_trail(vendor)
    assert after["log"] == [*before["log"], "suspend"]
    assert after["history"] == before["history"] + 1


def test_two_officers_reinstating_one_vendor_at_once_reinstate_it_once(monkeypatch):
    vendor = services.suspend_vendor(
        vendor=verified_vendor(), by=factories.staff(), reason="Pengaduan pembeli."
    )
    before = audit_trail(vendor)
    officers = [factories.staff() for _ in range(2)]
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(
            lambda who=who: services.reinstate_vendor(
                vendor=vendor, by=who, reason="Pengaduan tidak terbukti."
            )
            for who in officers
        )
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert refusals(outcomes) == [not_possible("Verified")]
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.VERIFIED
    after = audit_trail(vendor)
    assert after["log"] == [*before["log"], "reinstate"]
    assert after["history"] == before["history"] + 1
