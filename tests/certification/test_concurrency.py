"""Two approvers pressing approve at the same instant: exactly one certificate, one audit row.

These run real threads against PostgreSQL, each thread on its own database connection, so the
row locks of the services are what keeps the outcome right. SQLite serialises every write
transaction, so there is nothing to race there.
"""

import pytest

from audit.selectors import transitions_for
from audit.workflow import TransitionRefused
from certification import services
from certification.models import Certificate, CertificateCounter
from curation.models import Application
from tests import factories
from tests.certification import permit_builders as build
from tests.concurrency import POSTGRES_ONLY, kinds, race, slow_down
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
