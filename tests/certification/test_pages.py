"""The certification pages as each role uses them: the permit decision, the permit checklist
with uploads, the staff steps, the approver's page, certificates, printing, public verification
and the cost of the list pages.

Pages are requested in English so the assertions read the source strings whatever the state of
the Indonesian catalogue.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from certification import services
from certification.models import (
    Certificate,
    ChecklistItem,
    InfoRequest,
    PermitCase,
    PermitDocument,
)
from curation.models import Application
from regions.models import Regency
from tests import factories
from tests.curation import builders
from vendors.models import Product, Vendor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
GOOD_NUMBER = "KEMENKES RI AKD 21603020123"


def client_for(user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def pdf_upload(name="izin.pdf"):
    return factories.upload(PDF, name=name, content_type="application/pdf")


def open_case(**kwargs):
    """A passed medical mask with its AKD permit case opened by staff."""
    case = builders.passed(category="medical_mask", **kwargs)
    permit = services.open_permit_case(application=case.application, by=case.officer)
    return case, permit


def upload_and_verify_all(case, permit, checker):
    for item in ChecklistItem.objects.filter(kind=permit.kind):
        document = services.upload_document(
            case=permit, item=item, by=case.owner, upload=pdf_upload()
        )
        services.verify_document(document=document, by=checker)


def under_review(case, permit):
    checker = factories.staff()
    upload_and_verify_all(case, permit, checker)
    services.submit_permit_case(case=permit, by=case.officer, reference="KMK-2026-0001")
    return services.start_permit_review(case=permit, by=case.officer)


def certified(**kwargs):
    """A cloth mask (no permit needed) approved by an approver: (case, certificate, approver)."""
    case = builders.awaiting_approval(**kwargs)
    approver = factories.approver()
    certificate = services.approve_application(application=case.application, by=approver)
    return case, certificate, approver


# ---------------------------------------------------------------------------------------------
# Who sees which page


def test_each_page_opens_for_its_role():
    case, permit = open_case()
    passed = builders.passed()
    cloth, certificate, approver = certified()
    waiting = builders.awaiting_approval()
    staff = case.officer

    for url in (
        "/staff/certification/passed/",
        "/staff/permits/",
        f"/permits/{permit.pk}/",
        "/certificates/",
        f"/certificates/{certificate.pk}/print/",
        f"/applications/{passed.application.pk}/",
    ):
        assert client_for(staff).get(url).status_code == 200, url
    for url in ("/approvals/", f"/approvals/{waiting.application.pk}/", "/certificates/"):
        assert client_for(approver).get(url).status_code == 200, url
    owner = client_for(case.owner)
    assert owner.get("/permits/").status_code == 200
    assert owner.get(f"/permits/{permit.pk}/").status_code == 200
    cloth_owner = client_for(cloth.owner)
    assert cloth_owner.get("/certificates/mine/").status_code == 200
    assert cloth_owner.get(f"/certificates/{certificate.pk}/print/").status_code == 200
    assert cloth_owner.get("/certificates/").url == "/certificates/mine/"
    public = client_for()
    assert public.get("/verify/").status_code == 200
    assert public.get(f"/verify/{certificate.number}/").status_code == 200


def test_menu_shows_each_role_its_certification_pages():
    case, permit = open_case()
    staff_menu = client_for(case.officer).get("/staff/permits/").content.decode()
    assert 'href="/staff/permits/"' in staff_menu and 'href="/certificates/"' in staff_menu
    assert 'href="/approvals/"' not in staff_menu
    approver_menu = client_for(factories.approver()).get("/approvals/").content.decode()
    assert 'href="/approvals/"' in approver_menu
    owner_menu = client_for(case.owner).get("/permits/").content.decode()
    assert 'href="/permits/"' in owner_menu
    assert 'href="/certificates/mine/"' not in owner_menu  # nothing there yet
    newcomer_menu = client_for(factories.applicant()).get("/portal/").content.decode()
    assert 'href="/permits/"' not in newcomer_menu


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("applicant", "/staff/permits/"),
        ("applicant", "/staff/certification/passed/"),
        ("applicant", "/approvals/"),
        ("staff", "/approvals/"),
        ("curator", "/certificates/"),
    ],
)
def test_pages_of_other_roles_are_refused(role, url):
    user = factories.UserFactory(role=role)
    assert client_for(user).get(url).status_code == 403


def test_another_applicant_gets_404_on_someone_elses_case_document_and_certificate():
    case, permit = open_case()
    item = ChecklistItem.objects.filter(kind="AKD").first()
    document = services.upload_document(case=permit, item=item, by=case.owner, upload=pdf_upload())
    _cloth, certificate, _approver = certified()
    stranger = client_for(factories.applicant())

    assert stranger.get(f"/permits/{permit.pk}/").status_code == 404
    assert stranger.get(f"/permits/documents/{document.pk}/").status_code == 404
    assert stranger.get(f"/certificates/{certificate.pk}/print/").status_code == 404
    response = stranger.post(
        f"/permits/{permit.pk}/items/{item.pk}/upload/", {"file": pdf_upload()}
    )
    assert response.status_code == 404
    assert stranger.post(f"/permits/documents/{document.pk}/verify/").status_code == 404
    assert PermitDocument.objects.count() == 1
    assert client_for(case.owner).get(f"/certificates/{certificate.pk}/print/").status_code == 404


def test_the_applicant_cannot_record_staff_steps_and_staff_cannot_upload_for_the_vendor():
    case, permit = open_case()
    item = ChecklistItem.objects.filter(kind="AKD").first()
    owner = client_for(case.owner)
    assert owner.post(f"/permits/{permit.pk}/steps/start_review/").status_code == 403
    response = owner.post(
        f"/permits/{permit.pk}/steps/issue/",
        {"permit_number": GOOD_NUMBER, "issued_on": "2026-01-01", "valid_until": "2027-01-01"},
    )
    assert response.status_code == 403
    staff = client_for(case.officer)
    refused = staff.post(
        f"/permits/{permit.pk}/items/{item.pk}/upload/", {"file": pdf_upload()}, follow=True
    )
    assert any("Only the vendor's owners" in m for m in shown_messages(refused))
    assert not PermitDocument.objects.exists()
    assert PermitCase.objects.get().status == "preparing_documents"


# ---------------------------------------------------------------------------------------------
# After curation: open a case or send for approval


def test_staff_opens_a_permit_case_for_a_passed_medical_mask_through_the_page():
    case = builders.passed(category="medical_mask")
    staff = client_for(case.officer)
    listing = staff.get("/staff/certification/passed/").content.decode()
    assert case.product.name in listing and "Needs AKD" in listing

    response = staff.post(
        f"/staff/certification/passed/{case.application.pk}/open-permit/", follow=True
    )

    permit = PermitCase.objects.get(application=case.application)
    assert response.redirect_chain[-1][0] == f"/permits/{permit.pk}/"
    assert permit.kind == "AKD" and not permit.existing_permit
    case.refresh()
    assert case.application.status == Application.Status.PERMIT_SUPPORT
    detail = client_for(case.owner).get(f"/applications/{case.application.pk}/").content.decode()
    assert f'href="/permits/{permit.pk}/"' in detail


def test_existing_permit_is_recorded_and_accepted_by_staff_without_documents():
    case = builders.passed(category="medical_mask")
    staff = client_for(case.officer)
    staff.post(
        f"/staff/certification/passed/{case.application.pk}/open-permit/",
        {"existing_permit": "on"},
    )
    permit = PermitCase.objects.get(application=case.application)
    assert permit.existing_permit

    owner_page = client_for(case.owner).get(f"/permits/{permit.pk}/").content.decode()
    assert "you need to do nothing here" in owner_page
    assert 'type="file"' not in owner_page
    staff_page = staff.get(f"/permits/{permit.pk}/").content.decode()
    assert "Accept the existing permit" in staff_page
    assert "Mark as submitted to Kemenkes" not in staff_page

    today = timezone.localdate()
    staff.post(
        f"/permits/{permit.pk}/steps/issue/",
        {
            "permit_number": GOOD_NUMBER,
            "issued_on": (today - datetime.timedelta(days=400)).isoformat(),
            "valid_until": (today + datetime.timedelta(days=700)).isoformat(),
        },
    )
    permit.refresh_from_db()
    assert permit.status == PermitCase.Status.ISSUED
    assert Application.objects.get(pk=case.application.pk).status == "awaiting_approval"


def test_a_cloth_mask_is_sent_straight_to_approval_and_cannot_open_a_case():
    case = builders.passed()
    staff = client_for(case.officer)
    page = staff.get(f"/applications/{case.application.pk}/").content.decode()
    assert "No permit needed: send for approval" in page

    refused = staff.post(
        f"/staff/certification/passed/{case.application.pk}/open-permit/", follow=True
    )
    assert any("needs no distribution permit" in m for m in shown_messages(refused))
    assert not PermitCase.objects.exists()

    staff.post(f"/staff/certification/passed/{case.application.pk}/skip-permit/")
    case.refresh()
    assert case.application.status == Application.Status.AWAITING_APPROVAL


# ---------------------------------------------------------------------------------------------
# The applicant's checklist


def test_applicant_uploads_a_pdf_from_the_page_and_downloads_it_privately():
    case, permit = open_case()
    item = ChecklistItem.objects.filter(kind="AKD").order_by("position").first()
    owner = client_for(case.owner)
    page = owner.get(f"/permits/{permit.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="application/pdf,image/jpeg,image/png,image/webp"' in page
    assert 'capture="environment"' in page

    response = owner.post(
        f"/permits/{permit.pk}/items/{item.pk}/upload/", {"file": pdf_upload()}, follow=True
    )

    document = PermitDocument.objects.get()
    assert document.item == item and document.uploaded_by == case.owner
    assert document.review == PermitDocument.Review.PENDING
    assert any("uploaded" in m for m in shown_messages(response))
    assert "Waiting for verification" in response.content.decode()
    download = owner.get(f"/permits/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert factories.read_streamed(download) == PDF
    staff_download = client_for(case.officer).get(f"/permits/documents/{document.pk}/")
    assert staff_download.status_code == 200
    factories.read_streamed(staff_download)


def test_a_photo_taken_with_the_phone_is_accepted_and_an_upload_replaces_the_older_version():
    case, permit = open_case()
    item = ChecklistItem.objects.filter(kind="AKD").order_by("position").first()
    owner = client_for(case.owner)
    owner.post(f"/permits/{permit.pk}/items/{item.pk}/upload/", {"file": pdf_upload()})
    owner.post(
        f"/permits/{permit.pk}/items/{item.pk}/upload/",
        {"photo": factories.upload(factories.image_bytes())},
    )
    current = PermitDocument.objects.get(is_current=True)
    assert current.content_type == "image/jpeg"
    page = owner.get(f"/permits/{permit.pk}/").content.decode()
    assert "1 earlier version" in page


def test_a_document_of_the_wrong_type_is_refused_with_the_reason_and_nothing_stored():
    case, permit = open_case()
    item = ChecklistItem.objects.filter(kind="AKD").first()
    response = client_for(case.owner).post(
        f"/permits/{permit.pk}/items/{item.pk}/upload/",
        {"file": factories.upload(b"hello", name="dok.txt", content_type="text/plain")},
    )
    assert response.status_code == 200
    assert "Upload the document as a PDF" in response.content.decode()
    assert not PermitDocument.objects.exists()

    empty = client_for(case.owner).post(f"/permits/{permit.pk}/items/{item.pk}/upload/", {})
    assert "Choose a file or take a photo" in empty.content.decode()


def test_rejected_document_shows_the_reason_to_the_applicant():
    case, permit = open_case()
    item = ChecklistItem.objects.filter(kind="AKD").first()
    document = services.upload_document(case=permit, item=item, by=case.owner, upload=pdf_upload())
    staff = client_for(case.officer)

    refused = staff.post(f"/permits/documents/{document.pk}/reject/", {"reason": ""}, follow=True)
    assert any("Give a reason" in m for m in shown_messages(refused))
    staff.post(f"/permits/documents/{document.pk}/reject/", {"reason": "NIB tidak terbaca."})

    document.refresh_from_db()
    assert document.review == PermitDocument.Review.REJECTED
    owner_page = client_for(case.owner).get(f"/permits/{permit.pk}/").content.decode()
    assert "NIB tidak terbaca." in owner_page
    assert "Upload a new version" in owner_page
    mine = client_for(case.owner).get("/permits/").content.decode()
    assert "A document was rejected" in mine


# ---------------------------------------------------------------------------------------------
# Staff steps of the case


def test_staff_walk_the_case_from_documents_to_the_issued_permit_through_the_pages():
    case, permit = open_case()
    owner, staff = client_for(case.owner), client_for(case.officer)
    checker = factories.staff()
    for item in ChecklistItem.objects.filter(kind="AKD"):
        owner.post(f"/permits/{permit.pk}/items/{item.pk}/upload/", {"file": pdf_upload()})

    early = staff.post(f"/permits/{permit.pk}/steps/submit/", {"reference": "KMK-1"})
    assert "still missing" in early.content.decode()
    assert PermitCase.objects.get().status == "preparing_documents"

    checker_client = client_for(checker)
    for document in PermitDocument.objects.all():
        checker_client.post(f"/permits/documents/{document.pk}/verify/")
    assert PermitDocument.objects.filter(review="verified", reviewed_by=checker).count() == 5

    staff.post(f"/permits/{permit.pk}/steps/submit/", {"reference": "KMK-2026-0042"})
    staff.post(f"/permits/{permit.pk}/steps/start_review/")
    due = timezone.localdate() + datetime.timedelta(days=7)
    staff.post(
        f"/permits/{permit.pk}/steps/request_info/",
        {"message": "Kirim foto label yang lebih jelas.", "due_on": due.isoformat()},
    )
    permit.refresh_from_db()
    assert permit.status == "info_requested" and permit.kemenkes_reference == "KMK-2026-0042"

    info = InfoRequest.objects.get()
    owner_page = owner.get(f"/permits/{permit.pk}/").content.decode()
    assert "Kirim foto label yang lebih jelas." in owner_page
    owner.post(f"/permits/{permit.pk}/requests/{info.pk}/answer/", {"response": "Sudah diunggah."})
    info.refresh_from_db()
    assert info.response == "Sudah diunggah."
    assert "Sudah diunggah." in staff.get(f"/permits/{permit.pk}/").content.decode()

    staff.post(f"/permits/{permit.pk}/steps/resume_review/")
    today = timezone.localdate()
    staff.post(
        f"/permits/{permit.pk}/steps/issue/",
        {
            "permit_number": GOOD_NUMBER.lower(),
            "issued_on": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=365 * 3)).isoformat(),
        },
    )
    permit.refresh_from_db()
    assert permit.status == "issued" and permit.permit_number == GOOD_NUMBER
    assert Application.objects.get(pk=case.application.pk).status == "awaiting_approval"
    timeline = staff.get(f"/permits/{permit.pk}/").content.decode()
    assert "Permit issued" in timeline and "KMK-2026-0042" in timeline


def test_bad_permit_number_and_dates_redisplay_the_reasons_with_the_typed_values():
    case, permit = open_case()
    under_review(case, permit)
    today = timezone.localdate()
    typed = {
        "permit_number": "KEMENKES 123",
        "issued_on": today.isoformat(),
        "valid_until": (today - datetime.timedelta(days=1)).isoformat(),
    }

    response = client_for(case.officer).post(f"/permits/{permit.pk}/steps/issue/", typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert escape("must look like “KEMENKES RI AKD 21603020123”") in page
    assert "valid until a date after it was issued" in page
    assert 'value="KEMENKES 123"' in page
    assert f'value="{typed["valid_until"]}"' in page
    permit.refresh_from_db()
    assert permit.status == "under_review" and permit.permit_number == ""

    unparsable = client_for(case.officer).post(
        f"/permits/{permit.pk}/steps/issue/",
        {"permit_number": GOOD_NUMBER, "issued_on": "31-31-2026", "valid_until": ""},
    )
    assert unparsable.status_code == 200
    assert "Enter a valid date." in unparsable.content.decode()
    assert f'value="{GOOD_NUMBER}"' in unparsable.content.decode()
    assert PermitCase.objects.get().status == "under_review"


def test_permit_board_lists_overdue_information_requests_first_and_filters():
    first, first_permit = open_case()
    second, second_permit = open_case(programme=first.programme)
    under_review(second, second_permit)
    services.request_permit_info(
        case=second_permit, by=second.officer, message="Lengkapi.", due_on=timezone.localdate()
    )
    InfoRequest.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    staff = client_for(first.officer)

    rows = staff.get("/staff/permits/").context["rows"]
    assert [row["case"].pk for row in rows] == [second_permit.pk, first_permit.pk]
    assert rows[0]["case"].has_overdue_request
    overdue = staff.get("/staff/permits/?overdue=on").context["rows"]
    assert [row["case"].pk for row in overdue] == [second_permit.pk]
    preparing = staff.get("/staff/permits/?status=preparing_documents").context["rows"]
    assert [row["case"].pk for row in preparing] == [first_permit.pk]
    assert staff.get("/staff/permits/?kind=PKD").context["rows"] == []


def test_permit_board_counts_the_current_documents_of_each_case():
    case, permit = open_case()
    bare, bare_permit = open_case(programme=case.programme)
    checker = factories.staff()
    items = list(ChecklistItem.objects.filter(kind=permit.kind, required=True))
    verified, *pending = [
        services.upload_document(case=permit, item=item, by=case.owner, upload=pdf_upload())
        for item in items
    ]
    services.verify_document(document=verified, by=checker)
    # A newer version replaces the older one: only the current version counts.
    services.upload_document(case=permit, item=items[1], by=case.owner, upload=pdf_upload())

    rows = client_for(case.officer).get("/staff/permits/").context["rows"]

    counts = {
        row["case"].pk: (row["case"].documents_verified, row["case"].documents_to_verify)
        for row in rows
    }
    assert counts == {permit.pk: (1, len(pending)), bare_permit.pk: (0, 0)}


# ---------------------------------------------------------------------------------------------
# Approval


def test_approver_page_shows_everything_needed_and_approving_creates_one_certificate():
    case, permit = open_case()
    under_review(case, permit)
    today = timezone.localdate()
    services.issue_permit(
        case=permit,
        by=case.officer,
        permit_number=GOOD_NUMBER,
        issued_on=today,
        valid_until=today + datetime.timedelta(days=365),
    )
    approver = client_for(factories.approver())

    queue = approver.get("/approvals/").content.decode()
    assert case.product.name in queue and GOOD_NUMBER in queue
    page = approver.get(f"/approvals/{case.application.pk}/").content.decode()
    assert "Curation result" in page
    assert "Permit documents" in page and "Checked by" in page
    assert "Product as submitted" in page and "History" in page
    assert "Approve and issue the certificate" in page
    assert 'disabled aria-describedby="approve-reasons"' not in page

    response = approver.post(
        f"/approvals/{case.application.pk}/approve/", {"note": "Layak."}, follow=True
    )
    certificate = Certificate.objects.get()
    assert certificate.approval_note == "Layak."
    assert certificate.valid_until == today + datetime.timedelta(days=365)
    assert any(certificate.number in m for m in shown_messages(response))
    again = approver.post(f"/approvals/{case.application.pk}/approve/", follow=True)
    assert Certificate.objects.count() == 1
    assert any("not possible" in m for m in shown_messages(again))


def test_the_officer_who_screened_sees_the_approve_button_disabled_with_the_reason():
    case = builders.awaiting_approval()
    case.officer.groups.add(Group.objects.get(name="approver"))
    client = client_for(case.officer)

    page = client.get(f"/approvals/{case.application.pk}/").content.decode()

    assert "four-eyes rule" in page
    assert 'disabled aria-describedby="approve-reasons"' in page
    response = client.post(f"/approvals/{case.application.pk}/approve/", follow=True)
    assert any("four-eyes" in m for m in shown_messages(response))
    assert not Certificate.objects.exists()


def test_approving_a_medical_mask_without_a_permit_is_disabled_with_the_reason():
    case = builders.awaiting_approval(category="medical_mask")  # permit skipped behind our back
    approver = client_for(factories.approver())
    page = approver.get(f"/approvals/{case.application.pk}/").content.decode()
    assert "needs a valid distribution permit (AKD) before approval" in page
    assert 'disabled aria-describedby="approve-reasons"' in page
    assert "AKD needed, none on file" in approver.get("/approvals/").content.decode()
    approver.post(f"/approvals/{case.application.pk}/approve/")
    assert not Certificate.objects.exists()


def test_approver_rejects_with_a_reason():
    case = builders.awaiting_approval()
    approver = client_for(factories.approver())
    approver.post(f"/approvals/{case.application.pk}/reject/", {"reason": ""})
    assert Application.objects.get(pk=case.application.pk).status == "awaiting_approval"
    approver.post(f"/approvals/{case.application.pk}/reject/", {"reason": "Label tidak sesuai."})
    assert Application.objects.get(pk=case.application.pk).status == "rejected"


# ---------------------------------------------------------------------------------------------
# Certificates


def test_approver_suspends_reinstates_and_revokes_with_a_reason_from_the_list():
    _case, certificate, approver = certified()
    client = client_for(approver)
    assert "Suspend" in client.get("/certificates/").content.decode()

    refused = client.post(f"/certificates/{certificate.pk}/suspend/", {"reason": ""}, follow=True)
    assert any("Give a reason" in m for m in shown_messages(refused))
    certificate.refresh_from_db()
    assert certificate.status == "active"

    client.post(f"/certificates/{certificate.pk}/suspend/", {"reason": "Audit lapangan."})
    client.post(f"/certificates/{certificate.pk}/reinstate/", {"reason": "Audit selesai."})
    client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": "Pemalsuan label."})
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    late = client.post(f"/certificates/{certificate.pk}/suspend/", {"reason": "x"}, follow=True)
    assert any("not possible" in m for m in shown_messages(late))

    staff_page = client_for(factories.staff()).get("/certificates/").content.decode()
    assert "Suspend, reinstate or revoke" not in staff_page
    filtered = client.get("/certificates/?status=active").context["rows"]
    assert filtered == []


def test_printable_certificate_has_a_qr_code_to_the_public_page_and_a_print_stylesheet():
    case, certificate, _approver = certified()
    response = client_for(case.owner).get(f"/certificates/{certificate.pk}/print/")
    page = response.content.decode()
    assert "<svg" in page and 'class="segno"' in page
    assert f"http://testserver/verify/{certificate.number}/" in page
    assert certificate.number in page and case.product.name in page
    with open("static/css/kurasi.css", encoding="utf-8") as stylesheet:
        assert "@media print" in stylesheet.read()


def test_public_verification_page_shows_the_certificate_and_no_private_data():
    case, certificate, _approver = certified()
    vendor = case.vendor
    response = client_for().get(f"/verify/{certificate.number.lower()}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Genuine certificate — valid" in page
    assert certificate.number in page and case.product.name in page
    assert vendor.legal_name in page and vendor.province.name in page
    for private in (
        vendor.owner_nik,
        vendor.npwp,
        vendor.phone,
        vendor.address,
        vendor.owner_name,
        case.owner.email,
        factories.VALID_NIK,
        factories.VALID_NPWP_15,
    ):
        assert private and private not in page, private


def test_a_suspended_certificate_is_shown_as_genuine_but_not_valid():
    _case, certificate, approver = certified()
    services.suspend_certificate(certificate=certificate, by=approver, reason="Audit.")
    page = client_for().get(f"/verify/{certificate.number}/").content.decode()
    assert "Genuine certificate — suspended" in page and "NOT valid now" in page


def test_unknown_certificate_number_is_not_genuine_with_status_404():
    response = client_for().get("/verify/KRS-2099-999999/")
    assert response.status_code == 404
    assert "this certificate is not genuine" in response.content.decode()
    lookup = client_for().get("/verify/", {"number": " krs-2099-000001 "})
    assert lookup.url == "/verify/KRS-2099-000001/"


# ---------------------------------------------------------------------------------------------
# Query budgets: constant whatever the number of rows


def add_awaiting(count: int, *, programme, with_permit: bool):
    """``count`` applications awaiting approval, each with an issued permit case if asked, an
    open overdue information request on every third case and a pending document on every
    other one."""
    regency = Regency.objects.select_related("province").get(code="3273")
    start = Vendor.objects.count()
    vendors = Vendor.objects.bulk_create(
        Vendor(
            legal_name=f"CV Massal {start + i:03d}",
            province=regency.province,
            regency=regency,
            status=Vendor.Status.VERIFIED,
        )
        for i in range(count)
    )
    products = Product.objects.bulk_create(
        Product(
            vendor=vendor,
            category="medical_mask" if with_permit else "cloth_mask",
            name=f"Masker {vendor.legal_name}",
            description="Tiga lapis",
            layers=3,
            capacity_per_month=100,
            indicative_price=11000,
        )
        for vendor in vendors
    )
    creator = factories.UserFactory()
    applications = Application.objects.bulk_create(
        Application(
            programme=programme,
            vendor=vendor,
            product=product,
            status="awaiting_approval",
            created_by=creator,
            submitted_at=timezone.now(),
            decision={"mean": 82.5},
        )
        for vendor, product in zip(vendors, products, strict=True)
    )
    if not with_permit:
        return
    today = timezone.localdate()
    start_number = PermitCase.objects.count()
    cases = PermitCase.objects.bulk_create(
        PermitCase(
            application=application,
            kind="AKD",
            status="issued" if i % 2 else "info_requested",
            permit_number=f"KEMENKES RI AKD {start_number + i:011d}",
            issued_on=today,
            valid_until=today + datetime.timedelta(days=365),
        )
        for i, application in enumerate(applications)
    )
    InfoRequest.objects.bulk_create(
        InfoRequest(
            case=case,
            message="Lengkapi label.",
            due_on=today - datetime.timedelta(days=1),
            created_by=creator,
        )
        for case in cases[::3]
    )
    item = ChecklistItem.objects.filter(kind="AKD").first()
    PermitDocument.objects.bulk_create(
        PermitDocument(
            case=case,
            item=item,
            file=f"permits/{case.pk}/x.pdf",
            content_type="application/pdf",
            size_bytes=100,
            uploaded_by=creator,
        )
        for case in cases[::2]
    )


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.mark.parametrize("with_permit", [True, False], ids=["with-permits", "no-permit"])
def test_approval_queue_query_count_does_not_grow(with_permit, capsys):
    programme = factories.programme()
    client = client_for(factories.approver())
    add_awaiting(10, programme=programme, with_permit=with_permit)
    client.get("/approvals/")

    at_10, response = count_queries(client, "/approvals/")
    assert len(response.context["rows"]) == 10
    add_awaiting(490, programme=programme, with_permit=with_permit)
    at_500, response = count_queries(client, "/approvals/")

    assert response.context["page"].paginator.count == 500
    assert at_10 == at_500, f"/approvals/: {at_10} queries at 10, {at_500} at 500"
    with capsys.disabled():
        print(
            f"\n/approvals/ ({'with' if with_permit else 'no'} permits) queries: {at_10} at 10, {at_500} at 500"
        )


def test_permit_board_query_count_does_not_grow(capsys):
    programme = factories.programme()
    client = client_for(factories.staff())
    add_awaiting(10, programme=programme, with_permit=True)
    client.get("/staff/permits/")

    at_10, response = count_queries(client, "/staff/permits/")
    assert len(response.context["rows"]) == 10
    add_awaiting(490, programme=programme, with_permit=True)
    at_500, response = count_queries(client, "/staff/permits/")

    assert response.context["page"].paginator.count == 500
    assert response.context["rows"][0]["case"].has_overdue_request
    assert at_10 == at_500, f"/staff/permits/: {at_10} queries at 10, {at_500} at 500"
    with capsys.disabled():
        print(f"\n/staff/permits/ queries: {at_10} at 10 cases, {at_500} at 500")
