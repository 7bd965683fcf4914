"""Owners and delivery provinces keep their history, without a copy on every transition."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from vendors import services
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def owner_snapshots(vendor):
    return [
        (record.history_type, sorted(row.user_id for row in record.owners.all()))
        for record in vendor.history.order_by("history_id")
        if record.owners.exists()
    ]


def test_a_transition_records_the_vendor_without_copying_its_owners():
    owner = factories.applicant()
    vendor = factories.vendor_ready_to_submit(owner=owner)
    before = vendor.history.count()
    snapshots = owner_snapshots(vendor)

    services.submit_vendor(vendor=vendor, by=owner)

    assert vendor.history.count() == before + 1
    assert owner_snapshots(vendor) == snapshots == [("~", [owner.pk])]


def test_adding_a_co_owner_records_who_owns_the_vendor_from_then_on():
    owner, partner = factories.applicant(), factories.applicant()
    vendor = factories.vendor_ready_to_submit(owner=owner)
    services.submit_vendor(vendor=vendor, by=owner)

    vendor.owners.add(partner)

    assert owner_snapshots(vendor) == [
        ("~", [owner.pk]),
        ("~", sorted([owner.pk, partner.pk])),
    ]


def test_a_transition_costs_no_statement_for_the_owners():
    owner, officer = factories.applicant(), factories.staff()
    vendor = factories.vendor(owner=owner, status=Vendor.Status.VERIFIED)
    # The officer's roles are read once per request; a first round reads them.
    vendor = services.suspend_vendor(vendor=vendor, by=officer, reason="Aduan pembeli.")
    vendor = services.reinstate_vendor(vendor=vendor, by=officer, reason="Aduan selesai.")

    with CaptureQueriesContext(connection) as captured:
        services.suspend_vendor(vendor=vendor, by=officer, reason="Aduan pembeli.")

    statements = [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]
    assert not [sql for sql in statements if "owners" in sql]
    # Lock, update, history row, chain head lock, log row, chain head update — the last two
    # in one statement on PostgreSQL.
    assert len(statements) == (5 if connection.vendor == "postgresql" else 6), statements
