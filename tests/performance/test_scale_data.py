"""``manage.py generate_scale_data``: a national dataset an operator can trust for measurements.

Run small here; the same code builds 200,000 applications for docs/performance.md.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Min

from accounts.models import User
from audit.models import ChainHead, TransitionLog
from audit.verification import verify_chain
from catalogue.models import Listing
from certification.models import Certificate, CertificateCounter, PermitCase
from curation.models import Application, Assignment, Sample, Score
from regions.models import Province
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

SIZE = 300


def generate(*arguments: str) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", "--applications", str(SIZE), *arguments, stdout=out)
    return out.getvalue()


def test_generated_data_has_every_state_every_province_and_a_verified_audit_chain():
    output = generate("--verify")

    assert set(Application.objects.values_list("status", flat=True)) == set(
        Application.Status.values
    )
    assert set(Vendor.objects.values_list("province_id", flat=True)) == set(
        Province.objects.values_list("code", flat=True)
    )
    assert Province.objects.count() == 38
    approved = Application.objects.filter(status=Application.Status.APPROVED)
    assert Certificate.objects.count() == approved.count() == Listing.objects.count()
    assert Listing.objects.filter(status=Listing.Status.LIVE).exists()
    assert PermitCase.objects.exists() and Sample.objects.exists() and Score.objects.exists()
    assert Assignment.objects.filter(submitted_at__isnull=False).exists()
    report = verify_chain()
    assert report.intact, report.problem
    assert report.entries == TransitionLog.objects.count() == ChainHead.objects.get().last_sequence
    assert 4 * SIZE <= report.entries <= 10 * SIZE
    assert f"audit chain intact: {report.entries:,} entries" in output
    assert re.search(r"Generated in \d+\.\d s", output)


def test_generated_history_spreads_over_months_in_the_order_things_happened():
    generate()

    # Creation times are the planned ones, not the moment of the bulk insert.
    spread = Application.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert spread["last"] - spread["first"] > timedelta(days=300)
    changed = Application.objects.aggregate(
        first=Min("status_changed_at"), last=Max("status_changed_at")
    )
    assert changed["last"] - changed["first"] > timedelta(days=300)

    # Each application's log goes forward in time, from its submission to its present state.
    approved = Application.objects.filter(status=Application.Status.APPROVED).first()
    entries = list(
        TransitionLog.objects.filter(
            content_type__model="application", object_id=str(approved.pk)
        ).order_by("sequence")
    )
    assert entries[0].transition == "submit"
    assert entries[-1].transition == "approve" and entries[-1].target_state == "approved"
    assert all(a.created_at < b.created_at for a, b in zip(entries, entries[1:], strict=False))
    assert entries[-1].created_at == approved.status_changed_at
    # The log as a whole follows the clock, as when people act one after another.
    times = list(TransitionLog.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)


def test_refuses_a_database_with_applications_unless_told_to_append():
    generate()
    before = Application.objects.count()

    with pytest.raises(CommandError, match="already has"):
        generate()
    assert Application.objects.count() == before

    generate("--append")

    assert Application.objects.count() == 2 * before
    assert verify_chain().intact
    # Certificate numbers continue after those on file, so later approvals cannot collide.
    for counter in CertificateCounter.objects.all():
        numbers = Certificate.objects.filter(number__startswith=f"KRS-{counter.year}-")
        assert counter.last == numbers.count()


def test_generated_accounts_cannot_be_logged_into_with_a_password():
    generate()

    generated = User.objects.filter(email__endswith="@scale.kurasi.example")
    assert generated.count() > SIZE / 4
    assert not any(user.has_usable_password() for user in generated)
