"""Permit documents in S3: private objects, downloaded (never shown inline) through a signed URL
handed out only to the vendor's owners and ministry officers."""

import pytest
from django.urls import reverse

from certification import services
from tests import factories
from tests.certification import permit_builders
from tests.storage.browser import fetch

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def uploaded():
    permit = permit_builders.opened()
    document = services.upload_document(
        case=permit.case,
        item=permit.items()[0],
        by=permit.owner,
        upload=permit_builders.pdf_upload(),
    )
    return permit, document


def test_permit_document_downloads_as_an_attachment_from_a_signed_url(client, uploaded, bucket):
    permit, document = uploaded
    assert bucket.object_keys("private/permits/") == [f"private/{document.file.name}"]
    client.force_login(permit.owner)

    response = client.get(reverse("certification:document", args=[document.pk]))

    assert response.status_code == 302
    fetched = fetch(response["Location"])
    assert fetched.status == 200
    assert fetched.body == permit_builders.PDF
    assert fetched.headers["Content-Type"] == "application/pdf"
    expected_name = f"{document.item.code}-{document.uploaded_at:%Y%m%d-%H%M}.pdf"
    assert fetched.headers["Content-Disposition"] == f'attachment; filename="{expected_name}"'


def test_ministry_officer_gets_the_same_signed_download(client, uploaded, bucket):
    permit, document = uploaded
    client.force_login(permit.officer)

    response = client.get(reverse("certification:document", args=[document.pk]))

    assert response.status_code == 302
    assert fetch(response["Location"]).body == permit_builders.PDF


def test_another_applicant_gets_not_found_and_no_url(client, uploaded, bucket):
    _permit, document = uploaded
    client.force_login(factories.applicant())

    response = client.get(reverse("certification:document", args=[document.pk]))

    assert response.status_code == 404
    assert "Location" not in response


def test_permit_document_cannot_be_fetched_without_a_signature(uploaded, bucket):
    _permit, document = uploaded

    fetched = fetch(bucket.unsigned_url(f"private/{document.file.name}"))

    assert fetched.status == 403
    assert fetched.body != permit_builders.PDF
