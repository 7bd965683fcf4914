import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from audit.workflow import TransitionRefused
from certification import services
from certification.models import Certificate, ChecklistItem, PermitCase
from curation.models import Application
from tests import factories
from tests.curation import builders

pytestmark = pytest.mark.django_db


def pdf_upload():
    return factories.upload(
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        name="dok.pdf",
        content_type="application/pdf",
    )


def test_medical_mask_goes_through_the_permit_and_is_approved_with_a_certificate():
    case = builders.passed(category="medical_mask")
    staff, approver = case.officer, factories.approver()
    permit = services.open_permit_case(application=case.application, by=staff)
    assert permit.kind == "AKD"
    checker = factories.staff()
    checker.groups.add(Group.objects.get(name="approver"))  # holds both roles
    for item in ChecklistItem.objects.filter(kind="AKD"):
        document = services.upload_document(
            case=permit, item=item, by=case.owner, upload=pdf_upload()
        )
        services.verify_document(document=document, by=checker)
    services.submit_permit_case(case=permit, by=staff, reference="KMK-2026-0001")
    services.start_permit_review(case=permit, by=staff)
    today = timezone.localdate()
    services.issue_permit(
        case=permit,
        by=staff,
        permit_number="KEMENKES RI AKD 21603020123",
        issued_on=today,
        valid_until=today + datetime.timedelta(days=365),
    )
    case.application.refresh_from_db()
    assert case.application.status == Application.Status.AWAITING_APPROVAL

    with translation.override("en"), pytest.raises(TransitionRefused, match="four-eyes"):
        services.approve_application(application=case.application, by=checker)
    certificate = services.approve_application(
        application=case.application, by=approver, note="Layak"
    )
    assert certificate.number.startswith(f"KRS-{today.year}-")
    assert certificate.valid_until == today + datetime.timedelta(days=365)
    assert PermitCase.objects.get().status == "issued"
    assert Certificate.objects.count() == 1
