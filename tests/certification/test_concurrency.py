"""Officials pressing the same button on a certificate or an application at the same instant:
exactly one of them wins, the others are told why in words, and the audit trail gains exactly the
rows of the winner.

These run real threads against PostgreSQL, each thread on its own database connection, so the
row locks of the services are what keeps the outcome right. SQLite serialises every write
transaction, so there is nothing to race there.
"""

import datetime

import pytest
from django.utils import timezone

from audit.selectors import transitions_for
from audit.workflow import TransitionRefused
from certification import services
from certification.models import Certificate, CertificateCounter, PermitCase
from curation import services as curation_services
from curation.models import Application
from tests import factories
from tests.certification import permit_builders as build
from tests.concurrency import (
    POSTGRES_ONLY,
    audit_trail,
    kinds,
    race,
    refusals,
    slow_down,
    winners,
)
from tests.curation import builders

pytestmark = POSTGRES_ONLY


@pytest.mark.parametrize("category", ["cloth_mask", "medical_mask"])
def test_two_approvers_pressing_approve_at_once_make_exactly_one_certificate(monkeypatch, category):
    if category == "medical_mask":
        application = build.issued().application
    else:
        app = builders.passed(category="cloth_mask")
        application = services.skip_permit(application=app.application, by=app.officer)
    first, second = factories.approver(), factories.approver()
    slow_down(monkeypatch, services, "required_permit_kind")

    outcomes = race(
        lambda: services.approve_application(application=application, by=first, note="Layak."),
        lambda: services.approve_application(application=application, by=second, note="Layak."),
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    loser = next(error for kind, error in outcomes if kind == "refused")
    assert isinstance(loser, TransitionRefused)
    assert str(loser) == "This action is not possible while the application is “Approved”."
    winner = next(result for kind, result in outcomes if kind == "ok")
    certificate = Certificate.objects.get()
    assert certificate.number == winner.number
    assert certificate.number.endswith("-000001")
    assert list(CertificateCounter.objects.values_list("last", flat=True)) == [1]
    assert Application.objects.get(pk=application.pk).status == Application.Status.APPROVED
    approvals = transitions_for(application).filter(transition="approve")
    assert list(approvals.values_list("actor_username", flat=True)) == [
        certificate.approved_by.username
    ]


def test_two_products_approved_at_once_get_different_certificate_numbers(monkeypatch):
    programme = factories.programme()
    applications = []
    for _ in range(2):
        app = builders.passed(category="cloth_mask", programme=programme)
        applications.append(services.skip_permit(application=app.application, by=app.officer))
    first, second = factories.approver(), factories.approver()
    slow_down(monkeypatch, services, "required_permit_kind")

    outcomes = race(
        lambda: services.approve_application(application=applications[0], by=first),
        lambda: services.approve_application(application=applications[1], by=second),
    )

    assert kinds(outcomes) == ["ok", "ok"], outcomes
    numbers = sorted(c.number[-6:] for c in Certificate.objects.all())
    assert numbers == ["000001", "000002"]
    assert list(CertificateCounter.objects.values_list("last", flat=True)) == [2]


def not_possible(state: str, thing: str = "certificate") -> str:
    return f"This action is not possible while the {thing} is “{state}”."


def awaiting_approval_without_permit() -> Application:
    app = builders.passed(category="cloth_mask")
    return services.skip_permit(application=app.application, by=app.officer)


def test_four_approvers_pressing_approve_at_once_make_exactly_one_certificate(monkeypatch):
    application = awaiting_approval_without_permit()
    before = audit_trail(application)
    approvers = [factories.approver() for _ in range(4)]
    slow_down(monkeypatch, services, "required_permit_kind")

    outcomes = race(
        *(
            lambda who=who: services.approve_application(application=application, by=who)
            for who in approvers
        )
    )

    assert kinds(outcomes) == ["ok", "refused", "refused", "refused"], outcomes
    assert refusals(outcomes) == [not_possible("Approved", "application")] * 3
    [certificate] = Certificate.objects.all()
    assert certificate.number == winners(outcomes)[0].number
    assert list(CertificateCounter.objects.values_list("last", flat=True)) == [1]
    after = audit_trail(application)
    assert after["log"] == [*before["log"], "approve"]
    assert after["history"] == before["history"] + 1


def test_three_approvers_suspending_one_certificate_at_once_suspend_it_once(monkeypatch):
    certificate = build.certified()
    before = audit_trail(certificate)
    approvers = [factories.approver() for _ in range(3)]
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(
            lambda who=who: services.suspend_certificate(
                certificate=certificate, by=who, reason="Keluhan mutu dari pembeli."
            )
            for who in approvers
        )
    )

    assert kinds(outcomes) == ["ok", "refused", "refused"], outcomes
    assert refusals(outcomes) == [not_possible("Suspended")] * 2
    assert all(isinstance(e, TransitionRefused) for k, e in outcomes if k == "refused")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUSPENDED
    after = audit_trail(certificate)
    assert after["log"] == [*before["log"], "suspend"]
    assert after["history"] == before["history"] + 1
    suspended_by = transitions_for(certificate).get(transition="suspend").actor_username
    winner = next(who for who, (kind, _) in zip(approvers, outcomes, strict=True) if kind == "ok")
    assert suspended_by == winner.username


def test_suspending_and_revoking_one_certificate_at_once_leaves_it_revoked_once(monkeypatch):
    """A revocation stands whether it lands before or after a suspension (a suspended
    certificate may still be revoked); a suspension that comes second is refused."""
    certificate = build.certified()
    before = audit_trail(certificate)
    suspenders = [factories.approver(), factories.approver()]
    revoker = factories.approver()
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(
            lambda who=who: services.suspend_certificate(
                certificate=certificate, by=who, reason="Keluhan mutu."
            )
            for who in suspenders
        ),
        lambda: services.revoke_certificate(
            certificate=certificate, by=revoker, reason="Label palsu."
        ),
    )

    assert outcomes[2][0] == "ok", outcomes
    suspensions = [kind for kind, _ in outcomes[:2]]
    assert suspensions.count("ok") <= 1, outcomes
    for kind, error in outcomes[:2]:
        if kind == "refused":
            assert isinstance(error, TransitionRefused), error
            assert str(error) in (not_possible("Suspended"), not_possible("Revoked"))
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    after = audit_trail(certificate)
    added = after["log"][len(before["log"]) :]
    assert added == ["suspend"] * suspensions.count("ok") + ["revoke"]
    assert after["history"] == before["history"] + len(added)
    # Each row starts where the one before it ended: no change was lost in between.
    rows = list(transitions_for(certificate).values_list("source_state", "target_state"))
    assert [source for source, _ in rows[1:]] == [target for _, target in rows[:-1]]


def test_three_approvers_reinstating_one_certificate_at_once_reinstate_it_once(monkeypatch):
    certificate = services.suspend_certificate(
        certificate=build.certified(), by=factories.approver(), reason="Keluhan mutu."
    )
    before = audit_trail(certificate)
    approvers = [factories.approver() for _ in range(3)]
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(
            lambda who=who: services.reinstate_certificate(
                certificate=certificate, by=who, reason="Keluhan tidak terbukti."
            )
            for who in approvers
        )
    )

    assert kinds(outcomes) == ["ok", "refused", "refused"], outcomes
    assert refusals(outcomes) == [not_possible("Active")] * 2
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ACTIVE
    after = audit_trail(certificate)
    assert after["log"] == [*before["log"], "reinstate"]
    assert after["history"] == before["history"] + 1


def test_three_officers_opening_the_same_permit_case_at_once_open_one(monkeypatch):
    app = builders.passed(category="medical_mask")
    before = audit_trail(app.application)
    officers = [app.officer, factories.staff(), factories.staff()]
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(
            lambda who=who: services.open_permit_case(application=app.application, by=who)
            for who in officers
        )
    )

    assert kinds(outcomes) == ["ok", "refused", "refused"], outcomes
    assert refusals(outcomes) == [not_possible("Permit support", "application")] * 2
    assert PermitCase.objects.filter(application=app.application).count() == 1
    after = audit_trail(app.application)
    assert after["log"] == [*before["log"], "open_permit"]
    assert after["history"] == before["history"] + 1


def test_withdrawing_while_an_approver_approves_ends_one_way_only(monkeypatch):
    """The applicant withdraws at the instant the approver approves: either the product is
    certified and the withdrawal refused, or it is withdrawn and no certificate exists."""
    app = builders.passed(category="cloth_mask")
    application = services.skip_permit(application=app.application, by=app.officer)
    before = audit_trail(application)
    approver = factories.approver()
    slow_down(monkeypatch, services, "perform_transition")
    slow_down(monkeypatch, curation_services, "perform_transition")

    outcomes = race(
        lambda: services.approve_application(application=application, by=approver),
        lambda: curation_services.withdraw_application(
            application=application, by=app.owner, reason="Produksi dihentikan."
        ),
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    application.refresh_from_db()
    after = audit_trail(application)
    if outcomes[0][0] == "ok":
        assert refusals(outcomes) == [not_possible("Approved", "application")]
        assert application.status == Application.Status.APPROVED
        assert Certificate.objects.get().application_id == application.pk
        assert after["log"] == [*before["log"], "approve"]
    else:
        assert refusals(outcomes) == [not_possible("Withdrawn", "application")]
        assert application.status == Application.Status.WITHDRAWN
        assert not Certificate.objects.exists()
        assert list(CertificateCounter.objects.values_list("last", flat=True)) in ([], [0])
        assert after["log"] == [*before["log"], "withdraw"]
    assert after["history"] == before["history"] + 1


def test_two_products_given_the_same_permit_number_at_once_record_it_once(monkeypatch):
    """A permit number belongs to one product: two officers recording the same number on two
    cases at the same instant must not both succeed."""
    programme = factories.programme()
    permits = [build.under_review(programme=programme) for _ in range(2)]
    number = build.permit_number(permits[0].case.kind)
    today = timezone.localdate()
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        *(
            lambda permit=permit: services.issue_permit(
                case=permit.case,
                by=permit.officer,
                permit_number=number,
                issued_on=today,
                valid_until=today + datetime.timedelta(days=365),
            )
            for permit in permits
        )
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert refusals(outcomes) == ["This permit number is already recorded for another product."]
    assert PermitCase.objects.filter(permit_number=number).count() == 1
    statuses = sorted(
        Application.objects.filter(programme=programme).values_list("status", flat=True)
    )
    assert statuses == [Application.Status.AWAITING_APPROVAL, Application.Status.PERMIT_SUPPORT]
