"""One application walked from draft to passed through the pages, as each role would."""

import pytest
from django.test import Client

from audit.models import TransitionLog
from curation.models import Application, Sample
from tests import factories

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_application_goes_from_draft_to_passed_through_the_pages():
    owner = factories.applicant()
    officer = factories.staff()
    programme = factories.programme()
    vendor, product = factories.verified_vendor_with_product(owner=owner)
    curators = list(programme.assessor.curators.order_by("pk"))
    applicant = as_user(owner)

    # The applicant finds the open programme and enters the product.
    page = applicant.get("/programmes/")
    assert programme.name in page.content.decode()
    response = applicant.post(f"/programmes/{programme.pk}/enter/", {"product": product.pk})
    application = Application.objects.get(product=product)
    assert response.url == f"/applications/{application.pk}/"
    response = applicant.post(f"/applications/{application.pk}/submit/", follow=True)
    application.refresh_from_db()
    assert application.status == "submitted", messages_of(response)

    # Staff find it in the screening queue, request a sample and assign both curators.
    staff = as_user(officer)
    queue = staff.get("/staff/applications/")
    assert product.name in queue.content.decode()
    staff.post(
        f"/staff/applications/{application.pk}/sample/",
        {"quantity": 5, "instructions": "Kirim ke Jakarta", "assessor": programme.assessor_id},
    )
    for curator in curators:
        staff.post(f"/applications/{application.pk}/assign/", {"curator": curator.pk})
    application.refresh_from_db()
    assert application.status == "sample_requested"
    assert application.assignments.filter(ended_at__isnull=True).count() == 2
    sample = Sample.objects.get(application=application)

    # The applicant records the courier and tracking number.
    applicant.post(
        f"/applications/{application.pk}/samples/{sample.pk}/shipment/",
        {"courier": "JNE", "tracking_number": "JNE0012345", "shipped_on": ""},
    )
    sample.refresh_from_db()
    assert (sample.status, sample.tracking_number) == ("shipped", "JNE0012345")

    # Each curator declares no conflict, the first records receipt, both score.
    criteria = list(programme.rubrics.get(category="cloth_mask").criteria.all())
    for index, curator in enumerate(curators):
        client = as_user(curator.user)
        workspace = client.get("/curator/")
        assert product.name in workspace.content.decode()
        before = client.get(f"/curator/applications/{application.pk}/").content.decode()
        assert vendor.legal_name not in before  # blind until the declaration
        client.post(f"/curator/applications/{application.pk}/no-conflict/", {"confirm": "on"})
        if index == 0:
            client.post(
                f"/applications/{application.pk}/samples/{sample.pk}/receipt/",
                {"quantity_received": 5, "condition": "good", "notes": ""},
            )
        form = {f"score_{c.pk}": "4" for c in criteria}
        form.update({f"note_{c.pk}": "Sesuai" for c in criteria})
        form["action"] = "submit"
        response = client.post(f"/curator/applications/{application.pk}/", form, follow=True)
        assert response.status_code == 200

    application.refresh_from_db()
    assert application.status == "passed"
    decided = TransitionLog.objects.get(transition="pass_curation", object_id=str(application.pk))
    assert decided.actor_username == "system"

    # The applicant sees the outcome at once, the scores only after staff release them.
    page = applicant.get(f"/applications/{application.pk}/").content.decode()
    assert "80.0" not in page
    staff.post(f"/staff/applications/{application.pk}/release_result/")
    page = applicant.get(f"/applications/{application.pk}/").content.decode()
    assert "80" in page
    application.refresh_from_db()
    assert application.result_released_at is not None
    application_log = TransitionLog.objects.filter(
        content_type__model="application", object_id=str(application.pk)
    ).order_by("sequence")
    assert [(e.transition, e.actor_username) for e in application_log] == [
        ("submit", owner.username),
        ("request_sample", officer.username),
        ("receive_sample", curators[0].user.username),
        ("pass_curation", "system"),
    ]
