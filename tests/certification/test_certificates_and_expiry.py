"""What happens to a certificate after approval: suspend, reinstate and revoke by an approving
official with a reason, and the daily expiry (command and background task) that expires permits
and certificates past their date, suspends the certificates resting on an expired permit, and
lists what expires soon. Dates are taken in Jakarta; the clock is frozen with time_machine.
"""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResultStatus

from audit.models import TransitionLog
from audit.workflow import TransitionRefused, perform_transition
from certification import services
from certification.models import Certificate, PermitCase
from certification.tasks import expire_certifications
from tests import factories
from tests.certification import permit_builders as build
from tests.certification.permit_builders import at, certificate_snapshot
from tests.curation.builders import last_log, log_of

pytestmark = pytest.mark.django_db

REASON = "Temuan inspeksi: bahan tidak sesuai spesifikasi."


def refused(call, *args, **kwargs) -> TransitionRefused:
    with translation.override("en"), pytest.raises(TransitionRefused) as info:
        call(*args, **kwargs)
    return info.value


ACTIONS = {
    "suspend": services.suspend_certificate,
    "reinstate": services.reinstate_certificate,
    "revoke": services.revoke_certificate,
}


def suspended(certificate, approver):
    return services.suspend_certificate(certificate=certificate, by=approver, reason=REASON)


# ---------------------------------------------------------------------------------------------
# Suspend, reinstate, revoke


@pytest.mark.parametrize(
    ("action", "start", "target"),
    [
        ("suspend", "active", "suspended"),
        ("reinstate", "suspended", "active"),
        ("revoke", "active", "revoked"),
        ("revoke", "suspended", "revoked"),
    ],
)
def test_only_an_approving_official_changes_a_certificate(action, start, target):
    certificate = build.certified()
    approver = factories.approver()
    if start == "suspended":
        certificate = suspended(certificate, approver)
    owner = certificate.vendor.owners.get()
    before = certificate_snapshot(certificate)
    only = (
        "Only an approving official may reinstate a certificate."
        if action == "reinstate"
        else "Only an approving official may change a certificate."
    )
    for role, user in {
        "owner": owner,
        "other_applicant": factories.applicant(),
        "staff": factories.staff(),
        "curator": factories.curator(),
    }.items():
        error = refused(ACTIONS[action], certificate=certificate, by=user, reason=REASON)
        assert str(error) == only, role
        assert certificate_snapshot(certificate) == before, role

    ACTIONS[action](certificate=certificate, by=approver, reason=f" {REASON} ")

    certificate.refresh_from_db()
    assert certificate.status == target
    assert log_of(certificate)[-1] == (action, approver.username, REASON)
    entry = last_log(certificate)
    assert (entry.source_state, entry.target_state) == (start, target)


@pytest.mark.parametrize("action", ["suspend", "revoke", "reinstate"])
def test_changing_a_certificate_needs_a_reason(action):
    certificate = build.certified()
    approver = factories.approver()
    if action == "reinstate":
        certificate = suspended(certificate, approver)
    before = certificate_snapshot(certificate)

    for reason in ("", "   "):
        error = refused(ACTIONS[action], certificate=certificate, by=approver, reason=reason)
        assert str(error) == "Give a reason."
        assert certificate_snapshot(certificate) == before


def test_a_revoked_certificate_cannot_be_acted_on_any_more():
    certificate = build.certified()
    approver = factories.approver()
    certificate = services.revoke_certificate(certificate=certificate, by=approver, reason=REASON)
    before = certificate_snapshot(certificate)

    for name, action in ACTIONS.items():
        error = refused(action, certificate=certificate, by=approver, reason=REASON)
        assert str(error) == "This action is not possible while the certificate is “Revoked”.", name
        assert certificate_snapshot(certificate) == before


def test_an_active_certificate_cannot_be_reinstated_and_nobody_expires_one_by_hand():
    certificate = build.certified()
    approver = factories.approver()
    before = certificate_snapshot(certificate)

    error = refused(
        services.reinstate_certificate, certificate=certificate, by=approver, reason=REASON
    )
    assert str(error) == "This action is not possible while the certificate is “Active”."
    error = refused(perform_transition, certificate, "expire", by=approver)
    assert str(error) == "Expiry follows the dates; nobody sets it by hand."
    assert certificate_snapshot(certificate) == before


def test_a_certificate_that_ended_with_its_permit_is_expired_and_cannot_be_reinstated():
    with time_machine.travel(at(2026, 3, 2), tick=False):
        certificate = build.certified(category="medical_mask", valid_days=30)
    with time_machine.travel(at(2026, 4, 2), tick=False):
        services.expire_due()
        certificate.refresh_from_db()
        # Suspended by the permit's expiry (on record), then expired by its own date.
        assert [entry[0] for entry in log_of(certificate)][-2:] == ["suspend", "expire"]
        assert certificate.status == Certificate.Status.EXPIRED
        before = certificate_snapshot(certificate)

        error = refused(
            services.reinstate_certificate,
            certificate=certificate,
            by=factories.approver(),
            reason="Izin edar sudah diperpanjang.",
        )

        assert error.reasons == ("This action is not possible while the certificate is “Expired”.",)
        assert certificate_snapshot(certificate) == before


def test_a_certificate_past_its_date_cannot_be_reinstated():
    with time_machine.travel(at(2026, 3, 2), tick=False):
        certificate = build.certified(certificate_validity_months=1)
        approver = factories.approver()
        suspended(certificate, approver)
    with time_machine.travel(at(2026, 4, 3), tick=False):
        certificate.refresh_from_db()
        before = certificate_snapshot(certificate)

        error = refused(
            services.reinstate_certificate, certificate=certificate, by=approver, reason=REASON
        )

        assert error.reasons == ("The certificate's validity has ended.",)
        assert certificate_snapshot(certificate) == before


# ---------------------------------------------------------------------------------------------
# Daily expiry


@pytest.fixture
def three_products():
    """Approved on 2 March 2026 (Jakarta):

    - a medical mask whose permit ends 31 May 2026, in a 3-month programme: its certificate ends
      with the permit, 31 May;
    - a cloth mask in the same programme: certificate ends 2 June 2026;
    - a hand sanitizer in a 24-month programme with a 4-year permit: certificate ends 2 March
      2028, permit 1 March 2030.
    """
    with time_machine.travel(at(2026, 3, 2), tick=False):
        short = factories.programme(certificate_validity_months=3)
        approver = factories.approver()
        mask = build.certified(
            category="medical_mask", programme=short, valid_days=90, approver=approver
        )
        cloth = build.certified(category="cloth_mask", programme=short, approver=approver)
        sanitizer = build.certified(category="hand_sanitizer", valid_days=1460, approver=approver)
    assert mask.valid_until == mask.permit_case.valid_until == datetime.date(2026, 5, 31)
    assert cloth.valid_until == datetime.date(2026, 6, 2)
    assert (sanitizer.valid_until, sanitizer.permit_case.valid_until) == (
        datetime.date(2028, 3, 2),
        datetime.date(2030, 3, 1),
    )
    return mask, cloth, sanitizer


def run_expiry() -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("expire_certifications", stdout=out)
    return out.getvalue()


def statuses(*certificates):
    return [Certificate.objects.get(pk=c.pk).status for c in certificates]


def test_expiry_lists_certificates_ending_within_90_days_and_permits_to_renew(three_products):
    mask, cloth, sanitizer = three_products
    log_count = TransitionLog.objects.count()

    with time_machine.travel(at(2026, 4, 15), tick=False):
        output = run_expiry()

    assert output.splitlines()[0] == "expired 0 permits, 0 certificates; suspended 0 certificates"
    assert f"certificate {mask.number} ({mask.product}) expires 2026-05-31" in output
    assert f"certificate {cloth.number} ({cloth.product}) expires 2026-06-02" in output
    assert sanitizer.number not in output
    mask_permit = mask.permit_case.permit_number
    assert f"permit {mask_permit} ({mask.product}) expires 2026-05-31: start the renewal" in output
    assert sanitizer.permit_case.permit_number not in output
    assert len(output.splitlines()) == 4
    assert TransitionLog.objects.count() == log_count
    assert statuses(mask, cloth, sanitizer) == ["active", "active", "active"]


def test_a_permit_flagged_for_renewal_about_nine_months_before_it_ends(three_products):
    *_, sanitizer = three_products
    number = sanitizer.permit_case.permit_number  # ends 1 March 2030

    with time_machine.travel(at(2029, 5, 30), tick=False):  # 275 days before
        assert number not in run_expiry()
    with time_machine.travel(at(2029, 5, 31), tick=False):  # 274 days before
        assert f"permit {number} ({sanitizer.product}) expires 2030-03-01: start the renewal" in (
            run_expiry()
        )


def test_an_expired_permit_suspends_its_certificate_and_a_certificate_past_its_date_expires(
    three_products,
):
    mask, cloth, sanitizer = three_products
    permit = PermitCase.objects.get(pk=mask.permit_case_id)

    # 31 May 23:30 in Jakarta: the permit is valid through its last day.
    with time_machine.travel(at(2026, 5, 31, 23, 30), tick=False):
        assert run_expiry().startswith("expired 0 permits, 0 certificates; suspended 0")
    assert statuses(mask, cloth, sanitizer) == ["active", "active", "active"]

    # 1 June 00:30 in Jakarta (still 31 May in UTC): the permit has expired.
    with time_machine.travel(at(2026, 6, 1, 0, 30), tick=False):
        output = run_expiry()
    assert output.splitlines()[0] == "expired 1 permits, 1 certificates; suspended 1 certificates"
    permit.refresh_from_db()
    assert permit.status == PermitCase.Status.EXPIRED
    assert log_of(permit)[-1] == ("expire", "system", "Valid until 2026-05-31.")
    assert statuses(mask, cloth, sanitizer) == ["expired", "active", "active"]
    assert log_of(mask)[-2:] == [
        ("suspend", "system", f"The distribution permit {permit.permit_number} expired."),
        ("expire", "system", "Valid until 2026-05-31."),
    ]
    assert f"certificate {cloth.number}" in output

    with time_machine.travel(at(2026, 6, 3), tick=False):
        output = run_expiry()
        log_count = TransitionLog.objects.count()
        history_count = Certificate.history.count() + PermitCase.history.count()

        again = run_expiry()

    assert output.splitlines()[0] == "expired 0 permits, 1 certificates; suspended 0 certificates"
    assert statuses(mask, cloth, sanitizer) == ["expired", "expired", "active"]
    assert log_of(cloth)[-1] == ("expire", "system", "Valid until 2026-06-02.")
    # The second run of the day finds nothing to do.
    assert again.splitlines()[0] == "expired 0 permits, 0 certificates; suspended 0 certificates"
    assert TransitionLog.objects.count() == log_count
    assert Certificate.history.count() + PermitCase.history.count() == history_count


def test_expiry_leaves_a_revoked_certificate_alone_and_expires_a_suspended_one(three_products):
    mask, cloth, _sanitizer = three_products
    approver = factories.approver()
    services.revoke_certificate(certificate=mask, by=approver, reason=REASON)
    services.suspend_certificate(certificate=cloth, by=approver, reason=REASON)

    with time_machine.travel(at(2026, 6, 3), tick=False):
        output = run_expiry()

    # The permit still expires; the revoked certificate on it stays revoked, the suspended one
    # past its date is expired.
    assert output.splitlines()[0] == "expired 1 permits, 1 certificates; suspended 0 certificates"
    assert statuses(mask, cloth) == ["revoked", "expired"]
    assert cloth.number not in output  # only active certificates are listed as expiring


def test_the_background_task_expires_what_is_due_and_returns_the_changes(
    three_products, django_capture_on_commit_callbacks
):
    mask, cloth, _sanitizer = three_products
    assert isinstance(task_backends["default"], ImmediateBackend)

    with (
        time_machine.travel(at(2026, 6, 3), tick=False),
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = expire_certifications.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {
        "permits": [mask.permit_case.permit_number],
        "suspended": [mask.number],
        "certificates": [cloth.number, mask.number],
    }
    assert statuses(mask, cloth) == ["expired", "expired"]
    assert log_of(cloth)[-1][:2] == ("expire", "system")


def test_the_command_can_hand_the_work_to_the_task_backend(
    three_products, django_capture_on_commit_callbacks
):
    mask, cloth, _sanitizer = three_products
    out = io.StringIO()

    with (
        time_machine.travel(at(2026, 6, 3), tick=False),
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("expire_certifications", "--enqueue", stdout=out)

    assert out.getvalue().startswith("enqueued task ")
    assert out.getvalue().rstrip().endswith("(READY)")  # the worker runs it after the commit
    assert statuses(mask, cloth) == ["expired", "expired"]
