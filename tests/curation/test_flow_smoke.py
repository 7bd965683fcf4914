import pytest

from audit.models import TransitionLog
from curation import services
from curation.models import Application
from tests import factories

pytestmark = pytest.mark.django_db


def _score_all(assignment, by, value):
    rubric = assignment.application.programme.rubrics.get(category="cloth_mask")
    values = {c.pk: (value, "ok") for c in rubric.criteria.all()}
    services.submit_scores(assignment=assignment, by=by, values=values)


def test_application_passes_by_itself_when_both_curators_submit_good_scores():
    owner = factories.applicant()
    officer = factories.staff()
    programme = factories.programme()
    vendor, product = factories.verified_vendor_with_product(owner=owner)

    app = services.create_application(vendor=vendor, product=product, programme=programme, by=owner)
    app = services.submit_application(application=app, by=owner)
    sample = services.request_sample(application=app, by=officer, quantity=5)
    curators = list(programme.assessor.curators.all())
    assignments = [
        services.assign_curator(application=app, curator=c, by=officer) for c in curators
    ]
    services.record_shipment(
        sample=sample, by=owner, courier="JNE", tracking_number="JNE123", shipped_on=None
    )
    services.record_sample_receipt(
        sample=sample, by=curators[0].user, quantity_received=5, condition="good"
    )
    for assignment, curator in zip(assignments, curators, strict=True):
        services.declare_no_conflict(assignment=assignment, by=curator.user)
        _score_all(assignment, curator.user, 4)

    app.refresh_from_db()
    assert app.status == Application.Status.PASSED
    assert app.decision["mean"] == 80.0
    log = TransitionLog.objects.filter(transition="pass_curation").get()
    assert log.actor_username == "system"
    assert app.specification["name"] == product.name
