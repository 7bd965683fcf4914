"""The izin edar case: who may record each step, the document checklist that gates the
submission, what an upload must be, information requests, and the permit number and dates.

Everything goes through ``certification.services``. An allowed step leaves a TransitionLog row
naming the officer (with the reference, message, permit number or reason as note); a refused one
says why and leaves the case, the application, the audit log, history, documents, information
requests, certificates and the stored files exactly as they were.
"""

import datetime
import io
import os

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from PIL import Image

from accounts.system import system_user
from audit.workflow import TransitionRefused, perform_transition
from certification import services
from certification.models import ChecklistItem, InfoRequest, PermitCase, PermitDocument
from curation.models import Application
from tests import factories
from tests.certification import permit_builders as build
from tests.certification.permit_builders import REFERENCE, at, snapshot, stored_files
from tests.curation import builders
from tests.curation.builders import last_log, log_of

pytestmark = pytest.mark.django_db

STAFF_ONLY = "Only ministry staff may record the steps of a permit case."
SCREENERS_ONLY = "Only ministry staff may screen applications."
BY_DATE_ONLY = "Expiry follows the dates; nobody sets it by hand."
OWNERS_UPLOAD = "Only the vendor's owners may upload permit documents."
STAFF_REVIEW = "Only ministry staff may verify permit documents."
BAD_TYPE = "Upload the document as a PDF, or as a JPEG, PNG or WebP photo or scan."
BAD_PDF = "The PDF is damaged or incomplete: export or scan it again."
NUMBER_FORMAT = (
    "The permit number must look like “KEMENKES RI AKD 21603020123”: the kind "
    "(AKD, AKL, PKD or PKL) and 11 digits."
)
NUMBER = "KEMENKES RI AKD 21603020123"
MESSAGE = "Lampirkan laporan uji BFE dari laboratorium terakreditasi KAN."
REASON = "Hasil uji tidak memenuhi SNI."


def actor(role, permit):
    if role == "owner":
        return permit.owner
    if role == "other_applicant":
        return factories.applicant()
    if role == "staff":
        return permit.officer
    if role == "approver":
        return factories.approver()
    if role == "curator":  # the curator who scored the sample
        return permit.app.assignments[0].curator.user
    if role == "system":
        return system_user()
    raise AssertionError(role)


def refused(call, *args, **kwargs) -> str:
    """Run ``call`` in English; it must be refused. Returns the message shown to the user."""
    with translation.override("en"), pytest.raises((TransitionRefused, PermissionDenied)) as info:
        call(*args, **kwargs)
    return str(info.value)


def invalid(call, *args, **kwargs) -> list[str]:
    """Run ``call`` in English; it must fail validation. Returns the messages."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            call(*args, **kwargs)
        return [str(message) for message in info.value.messages]


def today():
    return timezone.localdate()


def in_days(days):
    return today() + datetime.timedelta(days=days)


# ---------------------------------------------------------------------------------------------
# Opening a case, or going straight to approval


@pytest.mark.parametrize(
    ("category", "kind"),
    [("medical_mask", "AKD"), ("coverall_gown", "AKD"), ("hand_sanitizer", "PKD")],
)
def test_staff_open_a_permit_case_of_the_kind_the_category_needs(category, kind):
    app = builders.passed(category=category)

    case = services.open_permit_case(application=app.application, by=app.officer)

    app.refresh()
    assert case.kind == kind
    assert case.status == PermitCase.Status.PREPARING
    assert not case.existing_permit
    assert app.application.status == Application.Status.PERMIT_SUPPORT
    assert log_of(app.application)[-1] == ("open_permit", app.officer.username, "")
    assert ChecklistItem.objects.filter(kind=kind, required=True).count() == 5


@pytest.mark.parametrize(
    ("transition", "category"), [("open_permit", "medical_mask"), ("skip_permit", "cloth_mask")]
)
def test_only_staff_move_a_passed_application_on_to_its_permit_or_approval(transition, category):
    app = builders.passed(category=category)
    go = services.open_permit_case if transition == "open_permit" else services.skip_permit
    before = builders.snapshot(app.application)
    roles = {
        "owner": app.owner,
        "other_applicant": factories.applicant(),
        "approver": factories.approver(),
        "curator": app.assignments[0].curator.user,
        "system": system_user(),
    }
    for role, user in roles.items():
        assert refused(go, application=app.application, by=user) == SCREENERS_ONLY, role
        assert builders.snapshot(app.application) == before, role
        assert PermitCase.objects.count() == 0

    go(application=app.application, by=app.officer)

    app.refresh()
    expected = "permit_support" if transition == "open_permit" else "awaiting_approval"
    assert app.application.status == expected
    assert log_of(app.application)[-1] == (transition, app.officer.username, "")
    assert PermitCase.objects.count() == (1 if transition == "open_permit" else 0)


def test_a_cloth_mask_needs_no_permit_case_and_goes_straight_to_approval():
    app = builders.passed(category="cloth_mask")
    before = builders.snapshot(app.application)

    message = refused(services.open_permit_case, application=app.application, by=app.officer)

    assert message == "This product category needs no distribution permit: send it for approval."
    assert builders.snapshot(app.application) == before
    assert PermitCase.objects.count() == 0
    services.skip_permit(application=app.application, by=app.officer)
    assert app.refresh().application.status == Application.Status.AWAITING_APPROVAL


def test_a_medical_mask_cannot_skip_its_permit():
    app = builders.passed(category="medical_mask")
    before = builders.snapshot(app.application)

    message = refused(services.skip_permit, application=app.application, by=app.officer)

    assert message == ("This product needs a distribution permit (AKD): open a permit case first.")
    assert builders.snapshot(app.application) == before


def test_a_permit_case_is_opened_only_once_and_only_after_curation_passed():
    early = builders.in_curation(category="medical_mask")
    before = builders.snapshot(early.application)
    assert refused(services.open_permit_case, application=early.application, by=early.officer) == (
        "This action is not possible while the application is “In curation”."
    )
    assert builders.snapshot(early.application) == before

    permit = build.opened()
    before = snapshot(permit.case)
    assert refused(
        services.open_permit_case, application=permit.application, by=permit.officer
    ) == ("This action is not possible while the application is “Permit support”.")
    assert snapshot(permit.case) == before
    assert PermitCase.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Every step of the case, per role


def _submit(permit, user):
    return services.submit_permit_case(case=permit.case, by=user, reference=REFERENCE)


def _start_review(permit, user):
    return services.start_permit_review(case=permit.case, by=user)


def _request_info(permit, user):
    return services.request_permit_info(
        case=permit.case, by=user, message=MESSAGE, due_on=in_days(14)
    )


def _resume_review(permit, user):
    return services.resume_permit_review(case=permit.case, by=user)


def _issue(permit, user):
    return services.issue_permit(
        case=permit.case,
        by=user,
        permit_number=NUMBER,
        issued_on=today(),
        valid_until=in_days(365 * 3),
    )


def _refuse(permit, user):
    return services.refuse_permit(case=permit.case, by=user, reason=REASON)


# step: (state it starts from, service call, state it ends in, note in the audit log)
STEPS = {
    "submit": (build.documents_verified, _submit, "submitted", REFERENCE),
    "start_review": (build.submitted, _start_review, "under_review", ""),
    "request_info": (build.under_review, _request_info, "info_requested", MESSAGE),
    "resume_review": (build.info_requested, _resume_review, "under_review", ""),
    "issue": (build.under_review, _issue, "issued", NUMBER),
    "refuse": (build.under_review, _refuse, "refused", REASON),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_step_of_a_permit_case_is_recorded_by_staff_and_refused_to_everyone_else(step):
    start, run, target, note = STEPS[step]
    permit = start()
    before = snapshot(permit.case)

    for role in ("owner", "other_applicant", "approver", "curator", "system"):
        assert refused(run, permit, actor(role, permit)) == STAFF_ONLY, role
        assert snapshot(permit.case) == before, role

    officer = factories.staff()  # any ministry officer, not only the one who screened it
    run(permit, officer)

    permit.refresh()
    assert permit.case.status == target
    entry = last_log(permit.case)
    assert (entry.transition, entry.actor_username, entry.note) == (step, officer.username, note)
    assert entry.target_state == target
    assert PermitCase.history.filter(id=permit.case.pk).count() == before["case_history"] + 1


def test_nobody_expires_a_permit_by_hand_and_the_system_only_after_its_last_day():
    permit = build.issued(valid_days=30)
    before = snapshot(permit.case)
    for role in ("owner", "other_applicant", "staff", "approver", "curator"):
        message = refused(perform_transition, permit.case, "expire", by=actor(role, permit))
        assert message == BY_DATE_ONLY, role
        assert snapshot(permit.case) == before, role
    message = refused(perform_transition, permit.case, "expire", by=system_user())
    assert message == "The permit is still valid."
    assert snapshot(permit.case) == before

    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        services.expire_due()

    permit.refresh()
    assert permit.case.status == PermitCase.Status.EXPIRED
    entry = last_log(permit.case)
    assert (entry.transition, entry.actor_username) == ("expire", "system")


def test_steps_out_of_order_are_refused():
    permit = build.documents_verified()
    before = snapshot(permit.case)
    not_now = "This action is not possible while the permit case is “Preparing documents”."
    for run in (_start_review, _request_info, _resume_review, _refuse):
        assert refused(run, permit, permit.officer) == not_now, run.__name__
    assert refused(_issue, permit, permit.officer) == (
        "A new permit is issued only after the Kemenkes review."
    )
    assert snapshot(permit.case) == before

    services.submit_permit_case(case=permit.case, by=permit.officer, reference=REFERENCE)
    permit.refresh()
    before = snapshot(permit.case)
    assert refused(_issue, permit, permit.officer) == (
        "This action is not possible while the permit case is “Submitted to Kemenkes”."
    )
    assert snapshot(permit.case) == before


@pytest.mark.parametrize("end", ["refused", "expired"])
def test_a_refused_or_expired_permit_case_takes_no_further_step(end):
    if end == "refused":
        permit = build.under_review()
        _refuse(permit, permit.officer)
        label = "Refused"
    else:
        permit = build.issued(valid_days=1)
        with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
            services.expire_due()
        label = "Expired"
    permit.refresh()
    before = snapshot(permit.case)
    for name, (_start, run, _target, _note) in STEPS.items():
        message = refused(run, permit, permit.officer)
        assert message == f"This action is not possible while the permit case is “{label}”.", name
    assert snapshot(permit.case) == before


def test_a_refused_permit_ends_the_application_with_the_reason():
    permit = build.under_review()

    with translation.override("en"):
        services.refuse_permit(
            case=permit.case, by=permit.officer, reason="Uji BFE tidak memenuhi."
        )

    permit.case.refresh_from_db()
    application = Application.objects.get(pk=permit.case.application_id)
    assert permit.case.status == PermitCase.Status.REFUSED
    assert application.status == Application.Status.REJECTED
    assert last_log(application).transition == "reject"
    assert last_log(application).note == "Distribution permit refused: Uji BFE tidak memenuhi."
    assert last_log(application).actor_id == permit.officer.pk


def test_refusing_a_permit_needs_a_reason():
    permit = build.under_review()
    before = snapshot(permit.case)
    for reason in ("", "   "):
        message = refused(
            services.refuse_permit, case=permit.case, by=permit.officer, reason=reason
        )
        assert message == "Give a reason."
        assert snapshot(permit.case) == before


def test_submitting_needs_the_kemenkes_reference_and_a_date_not_in_the_future():
    permit = build.documents_verified()
    before = snapshot(permit.case)
    assert refused(
        services.submit_permit_case, case=permit.case, by=permit.officer, reference="  "
    ) == ("Give the Kemenkes submission reference.")
    assert refused(
        services.submit_permit_case,
        case=permit.case,
        by=permit.officer,
        reference=REFERENCE,
        submitted_on=in_days(1),
    ) == ("The submission date cannot be in the future.")
    assert snapshot(permit.case) == before

    services.submit_permit_case(
        case=permit.case, by=permit.officer, reference=f"  {REFERENCE} ", submitted_on=in_days(-2)
    )

    permit.refresh()
    assert permit.case.kemenkes_reference == REFERENCE
    assert permit.case.submitted_on == in_days(-2)


# ---------------------------------------------------------------------------------------------
# The document checklist gates the submission


def test_a_case_cannot_be_submitted_until_every_required_document_is_verified():
    permit = build.opened()
    items = permit.items()
    names = [item.name for item in items]
    before = snapshot(permit.case)

    message = refused(_submit, permit, permit.officer)
    assert message == (
        "Every required document must be verified first; still missing: " + ", ".join(names) + "."
    )
    assert snapshot(permit.case) == before

    documents = build.upload_all(permit)
    for document in documents[:3]:
        services.verify_document(document=document, by=permit.officer)
    before = snapshot(permit.case)
    # Uploaded but not yet verified still counts as missing.
    assert refused(_submit, permit, permit.officer) == (
        f"Every required document must be verified first; still missing: {names[3]}, {names[4]}."
    )
    assert snapshot(permit.case) == before

    for document in documents[3:]:
        services.verify_document(document=document, by=permit.officer)
    _submit(permit, permit.officer)

    permit.refresh()
    assert permit.case.status == PermitCase.Status.SUBMITTED
    assert permit.case.submitted_on == today()
    assert last_log(permit.case).note == REFERENCE


def test_a_checklist_item_officers_mark_optional_no_longer_blocks_the_submission():
    permit = build.opened()
    optional = permit.items()[-1]
    ChecklistItem.objects.filter(pk=optional.pk).update(required=False)  # as edited in admin
    for document in build.upload_all(permit):  # the optional one is not in the list any more
        services.verify_document(document=document, by=permit.officer)
    assert not PermitDocument.objects.filter(item=optional).exists()

    _submit(permit, permit.officer)

    assert permit.refresh().case.status == PermitCase.Status.SUBMITTED


def test_a_rejected_document_blocks_the_case_until_a_new_version_is_uploaded_and_verified():
    permit = build.opened()
    documents = build.upload_all(permit)
    label = documents[2]
    for document in documents:
        if document is not label:
            services.verify_document(document=document, by=permit.officer)

    before = snapshot(permit.case)
    assert refused(services.reject_document, document=label, by=permit.officer, reason="  ") == (
        "Give a reason."
    )
    assert snapshot(permit.case) == before
    services.reject_document(
        document=label, by=permit.officer, reason="Label belum mencantumkan nomor lot."
    )
    label.refresh_from_db()
    assert label.review == PermitDocument.Review.REJECTED
    assert label.rejection_reason == "Label belum mencantumkan nomor lot."
    assert label.reviewed_by == permit.officer
    missing = f"Every required document must be verified first; still missing: {label.item.name}."
    assert refused(_submit, permit, permit.officer) == missing

    replacement = services.upload_document(
        case=permit.case, item=label.item, by=permit.owner, upload=build.pdf_upload()
    )

    label.refresh_from_db()
    assert not label.is_current  # kept, with its rejection, as the older version
    assert label.review == PermitDocument.Review.REJECTED
    assert f"private/{label.file.name}" in stored_files()
    assert replacement.is_current
    assert replacement.review == PermitDocument.Review.PENDING
    assert list(
        PermitDocument.objects.filter(case=permit.case, item=label.item)
        .order_by("uploaded_at", "is_current")
        .values_list("pk", "is_current")
    ) == [(label.pk, False), (replacement.pk, True)]
    assert refused(_submit, permit, permit.officer) == missing

    before = snapshot(permit.case)
    assert refused(services.verify_document, document=label, by=permit.officer) == (
        "A newer version of this document was uploaded; review that one."
    )
    assert snapshot(permit.case) == before

    services.verify_document(document=replacement, by=permit.officer)
    _submit(permit, permit.officer)
    assert permit.refresh().case.status == PermitCase.Status.SUBMITTED


def test_re_uploading_a_verified_document_needs_verifying_again():
    permit = build.documents_verified()
    item = permit.items()[0]

    services.upload_document(
        case=permit.case, item=item, by=permit.owner, upload=build.pdf_upload()
    )

    assert refused(_submit, permit, permit.officer) == (
        f"Every required document must be verified first; still missing: {item.name}."
    )
    current = PermitDocument.objects.get(case=permit.case, item=item, is_current=True)
    assert current.review == PermitDocument.Review.PENDING
    assert PermitDocument.objects.filter(case=permit.case, item=item).count() == 2


def test_only_staff_verify_or_reject_documents():
    permit = build.opened()
    document = build.upload_all(permit)[0]
    before = snapshot(permit.case)
    for role in ("owner", "other_applicant", "approver", "curator", "system"):
        user = actor(role, permit)
        assert refused(services.verify_document, document=document, by=user) == STAFF_REVIEW
        assert (
            refused(services.reject_document, document=document, by=user, reason=REASON)
            == STAFF_REVIEW
        )
        assert snapshot(permit.case) == before, role


def test_documents_are_not_reviewed_once_the_case_is_submitted():
    permit = build.submitted()
    document = PermitDocument.objects.filter(case=permit.case).first()
    before = snapshot(permit.case)

    for call in (
        lambda: services.verify_document(document=document, by=permit.officer),
        lambda: services.reject_document(document=document, by=permit.officer, reason=REASON),
    ):
        assert refused(call) == "Documents are reviewed while the case is being prepared."
    assert snapshot(permit.case) == before


# ---------------------------------------------------------------------------------------------
# Uploads


def test_a_pdf_document_is_stored_privately_as_sent_under_a_generated_name():
    permit = build.opened()
    item = permit.items()[0]

    document = services.upload_document(
        case=permit.case,
        item=item,
        by=permit.owner,
        upload=build.pdf_upload(name="NIB CV Uji Coba (final).pdf"),
    )

    document.refresh_from_db()
    assert document.content_type == "application/pdf"
    assert document.size_bytes == len(build.PDF)
    assert document.uploaded_by == permit.owner
    assert (document.review, document.is_current) == (PermitDocument.Review.PENDING, True)
    assert document.file.name.startswith(f"permits/{permit.case.pk}/")
    assert document.file.name.endswith(".pdf")
    assert "NIB" not in document.file.name
    assert [f for f in stored_files() if f.startswith("private/permits/")] == [
        f"private/{document.file.name}"
    ]
    with document.file.open("rb") as stored:
        assert stored.read() == build.PDF


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_photographed_document_is_accepted_and_stored_re_encoded_without_metadata(fmt):
    permit = build.opened()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "CameraApp 1.0"  # Software
    sent = factories.image_bytes(fmt=fmt, size=(640, 480), exif=exif.tobytes())

    document = services.upload_document(
        case=permit.case,
        item=permit.items()[0],
        by=permit.owner,
        upload=factories.upload(sent, name=f"nib.{fmt.lower()}", content_type=f"image/{fmt}"),
    )

    assert document.content_type == "image/jpeg"
    assert document.file.name.endswith(".jpg")
    assert "nib" not in document.file.name
    with document.file.open("rb") as stored:
        data = stored.read()
    assert data != sent
    assert data[:2] == b"\xff\xd8"
    assert document.size_bytes == len(data)
    with Image.open(document.file.path) as image:
        assert image.format == "JPEG"
        assert image.size == (640, 480)
        assert dict(image.getexif()) == {}


REFUSED_UPLOADS = {
    "text renamed .pdf": (b"NIB 9120001234561\nCV Uji Coba\n", BAD_TYPE),
    "html renamed .pdf": (
        b"<!doctype html><html><body><script>x()</script></body></html>",
        BAD_TYPE,
    ),
    "zip renamed .pdf": (build.zip_bytes(), BAD_TYPE),
    "pdf without %%EOF": (build.PDF.replace(b"%%EOF", b""), BAD_PDF),
    "pdf cut in half": (build.PDF[: len(build.PDF) // 2], BAD_PDF),
    "gif photo": (factories.image_bytes(fmt="GIF"), BAD_TYPE),
}


@pytest.mark.parametrize("kind", REFUSED_UPLOADS)
def test_a_document_of_the_wrong_type_or_damaged_is_refused_and_nothing_is_stored(kind):
    data, message = REFUSED_UPLOADS[kind]
    permit = build.opened()
    before = snapshot(permit.case)

    messages = invalid(
        services.upload_document,
        case=permit.case,
        item=permit.items()[0],
        by=permit.owner,
        upload=factories.upload(data, name="dokumen.pdf", content_type="application/pdf"),
    )

    assert messages == [message]
    assert snapshot(permit.case) == before
    assert not any(f.startswith("private/permits/") for f in stored_files())


@pytest.mark.parametrize("problem", ["damaged", "too many pixels"])
def test_a_bad_photo_of_a_document_is_refused_for_what_is_wrong_with_it(settings, problem):
    settings.PHOTO_MAX_PIXELS = 1_000_000
    permit = build.opened()
    before = snapshot(permit.case)
    if problem == "damaged":
        whole = factories.image_bytes(size=(640, 480))
        data, message = (
            whole[: len(whole) // 2],
            "The photo is damaged or incomplete: take or export it again.",
        )
    else:
        data, message = (
            factories.image_bytes(size=(1200, 1000)),
            "The photo has too many pixels (1200×1000); the limit is 1 megapixels.",
        )

    messages = invalid(
        services.upload_document,
        case=permit.case,
        item=permit.items()[0],
        by=permit.owner,
        upload=factories.upload(data, name="nib.jpg"),
    )

    assert messages == [message]
    assert snapshot(permit.case) == before


@pytest.mark.parametrize("kind", ["pdf", "jpeg"])
def test_a_document_over_the_size_limit_is_refused_and_nothing_is_stored(settings, kind):
    settings.DOCUMENT_MAX_BYTES = 1_048_576
    permit = build.opened()
    before = snapshot(permit.case)
    if kind == "pdf":
        data = (
            build.PDF[:-6] + b" " * (settings.DOCUMENT_MAX_BYTES + 1 - len(build.PDF)) + b"%%EOF\n"
        )
    else:  # noise does not compress: a 1000×1000 noisy JPEG is well over 1 MB
        noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
        buffer = io.BytesIO()
        noise.save(buffer, format="JPEG", quality=95)
        data = buffer.getvalue()
    assert len(data) > settings.DOCUMENT_MAX_BYTES

    messages = invalid(
        services.upload_document,
        case=permit.case,
        item=permit.items()[0],
        by=permit.owner,
        upload=factories.upload(data, name=f"dokumen.{kind}"),
    )

    assert messages == ["The file is too large; the limit is 1 MB."]
    assert snapshot(permit.case) == before


def test_a_document_not_on_the_permits_checklist_is_refused():
    permit = build.opened()  # AKD
    sanitizer_item = ChecklistItem.objects.filter(kind="PKD").first()
    before = snapshot(permit.case)

    messages = invalid(
        services.upload_document,
        case=permit.case,
        item=sanitizer_item,
        by=permit.owner,
        upload=build.pdf_upload(),
    )

    assert messages == ["This document is not on this permit's checklist."]
    assert snapshot(permit.case) == before


def test_only_the_vendors_owners_upload_documents():
    permit = build.opened()
    before = snapshot(permit.case)
    for role in ("other_applicant", "staff", "approver", "curator", "system"):
        message = refused(
            services.upload_document,
            case=permit.case,
            item=permit.items()[0],
            by=actor(role, permit),
            upload=build.pdf_upload(),
        )
        assert message == OWNERS_UPLOAD, role
        assert snapshot(permit.case) == before, role

    co_owner = factories.applicant()
    permit.app.vendor.owners.add(co_owner)
    case = PermitCase.objects.get(pk=permit.case.pk)  # a new request sees the new owner
    document = services.upload_document(
        case=case, item=permit.items()[0], by=co_owner, upload=build.pdf_upload()
    )
    assert document.uploaded_by == co_owner


@pytest.mark.parametrize(
    ("start", "state"),
    [(build.submitted, "Submitted to Kemenkes"), (build.issued, "Issued")],
)
def test_documents_cannot_be_uploaded_once_the_case_is_with_kemenkes(start, state):
    permit = start()
    before = snapshot(permit.case)

    message = refused(
        services.upload_document,
        case=permit.case,
        item=permit.items()[0],
        by=permit.owner,
        upload=build.pdf_upload(),
    )

    assert message == (
        "Documents can be uploaded while the case is being prepared or information is "
        f"requested (now “{state}”)."
    )
    assert snapshot(permit.case) == before


# ---------------------------------------------------------------------------------------------
# Information requests


def test_an_information_request_needs_a_message_and_a_due_date_not_in_the_past():
    permit = build.under_review()
    before = snapshot(permit.case)
    bad = [
        ("", in_days(7), "Give a reason."),
        ("   ", in_days(7), "Give a reason."),
        (MESSAGE, in_days(-1), "The due date must be today or later."),
        (MESSAGE, None, "The due date must be today or later."),
    ]
    for message, due_on, reason in bad:
        assert (
            refused(
                services.request_permit_info,
                case=permit.case,
                by=permit.officer,
                message=message,
                due_on=due_on,
            )
            == reason
        ), (message, due_on)
        assert snapshot(permit.case) == before

    request = services.request_permit_info(
        case=permit.case, by=permit.officer, message=f"  {MESSAGE}\n", due_on=today()
    )

    assert (request.message, request.due_on, request.created_by) == (
        MESSAGE,
        today(),
        permit.officer,
    )
    assert not request.is_overdue
    assert permit.refresh().case.status == PermitCase.Status.INFO_REQUESTED
    assert log_of(permit.case)[-1] == ("request_info", permit.officer.username, MESSAGE)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert InfoRequest.objects.get(pk=request.pk).is_overdue


def test_the_applicant_answers_an_information_request_and_resuming_the_review_closes_it():
    permit = build.info_requested()
    request = permit.case.info_requests.get()
    before = snapshot(permit.case)
    for role in ("other_applicant", "staff", "approver"):
        message = refused(
            services.respond_to_info_request, request=request, by=actor(role, permit), response="x"
        )
        assert message == OWNERS_UPLOAD, role
    assert refused(
        services.respond_to_info_request, request=request, by=permit.owner, response="  "
    ) == ("Write your answer.")
    assert snapshot(permit.case) == before

    services.respond_to_info_request(
        request=request, by=permit.owner, response="Laporan uji BFE terlampir."
    )
    # While information is requested the applicant may also send a new version of a document.
    item = permit.items()[3]
    services.upload_document(
        case=permit.case, item=item, by=permit.owner, upload=build.pdf_upload()
    )

    request.refresh_from_db()
    assert request.response == "Laporan uji BFE terlampir."
    assert request.responded_at is not None
    assert request.closed_at is None
    assert permit.refresh().case.status == PermitCase.Status.INFO_REQUESTED

    _resume_review(permit, permit.officer)

    request.refresh_from_db()
    assert request.closed_at is not None
    assert permit.refresh().case.status == PermitCase.Status.UNDER_REVIEW
    assert log_of(permit.case)[-1] == ("resume_review", permit.officer.username, "")
    before = snapshot(permit.case)
    assert refused(
        services.respond_to_info_request, request=request, by=permit.owner, response="Tambahan."
    )
    assert snapshot(permit.case) == before


# ---------------------------------------------------------------------------------------------
# The issued permit: number and dates


@pytest.mark.parametrize(
    "typed",
    [
        "KEMENKES RI AKD 21603020123",
        "kemenkes ri akd 21603020123",
        "  KEMENKES  RI\tAKD   21603020123 ",
        "Kemenkes RI AKD 21603020123\n",
    ],
)
def test_a_well_formed_permit_number_is_stored_normalised(typed):
    permit = build.under_review()

    services.issue_permit(
        case=permit.case,
        by=permit.officer,
        permit_number=typed,
        issued_on=today(),
        valid_until=in_days(365),
    )

    permit.refresh()
    assert permit.case.permit_number == NUMBER
    assert log_of(permit.case)[-1] == ("issue", permit.officer.username, NUMBER)


BAD_NUMBERS = {
    "": NUMBER_FORMAT,
    "21603020123": NUMBER_FORMAT,
    "KEMENKES AKD 21603020123": NUMBER_FORMAT,
    "KEMENKES RI 21603020123": NUMBER_FORMAT,
    "KEMENKES RI AKD21603020123": NUMBER_FORMAT,
    "KEMENKES RI AKD 2160302012": NUMBER_FORMAT,  # 10 digits
    "KEMENKES RI AKD 216030201234": NUMBER_FORMAT,  # 12 digits
    "KEMENKES RI AKD 2160302012O": NUMBER_FORMAT,  # letter O for a zero
    "KEMENKES RI AKD 21603-020123": NUMBER_FORMAT,
    "KEMENKES RI XYZ 21603020123": NUMBER_FORMAT,
    "KEMENKES RI AKD ２１６０３０２０１２３": NUMBER_FORMAT,  # full-width digits
    "KEMENKES RI AKD ٢١٦٠٣٠٢٠١٢٣": NUMBER_FORMAT,  # Arabic-Indic digits
    "BPOM RI MD 21603020123": NUMBER_FORMAT,
    "KEMENKES RI PKD 21603020123": "The number is of kind PKD, but this case needs AKD.",
    "KEMENKES RI AKL 21603020123": "The number is of kind AKL, but this case needs AKD.",
}


def test_a_malformed_permit_number_is_refused_with_its_reason_and_nothing_changes(subtests):
    permit = build.under_review()  # AKD
    before = snapshot(permit.case)
    for typed, reason in BAD_NUMBERS.items():
        with subtests.test(number=typed):
            with translation.override("en"), pytest.raises(TransitionRefused) as info:
                services.issue_permit(
                    case=permit.case,
                    by=permit.officer,
                    permit_number=typed,
                    issued_on=today(),
                    valid_until=in_days(365),
                )
            assert info.value.reasons == (reason,)
            assert snapshot(permit.case) == before


@time_machine.travel(at(2026, 5, 4), tick=False)
def test_permit_dates_out_of_range_are_refused_with_their_reason_and_nothing_changes(subtests):
    permit = build.under_review()
    before = snapshot(permit.case)
    five_years = datetime.date(2031, 5, 4)
    bad = {
        "valid until before the issue date": (
            today(),
            in_days(-1),
            "The permit must be valid until a date after it was issued.",
        ),
        "valid until the issue date": (
            today(),
            today(),
            "The permit must be valid until a date after it was issued.",
        ),
        "valid beyond five years": (
            today(),
            five_years + datetime.timedelta(days=1),
            "A distribution permit is valid for at most 5 years.",
        ),
        "issued in the future": (
            in_days(1),
            in_days(366),
            "The issue date cannot be in the future.",
        ),
        "no issue date": (
            None,
            in_days(365),
            "Give the issue date and the date the permit is valid until.",
        ),
        "no valid-until": (
            today(),
            None,
            "Give the issue date and the date the permit is valid until.",
        ),
        "already expired": (
            in_days(-800),
            in_days(-1),
            "This permit is no longer valid: record a permit that is valid today.",
        ),
    }
    for label, (issued_on, valid_until, reason) in bad.items():
        with subtests.test(label):
            with translation.override("en"), pytest.raises(TransitionRefused) as info:
                services.issue_permit(
                    case=permit.case,
                    by=permit.officer,
                    permit_number=NUMBER,
                    issued_on=issued_on,
                    valid_until=valid_until,
                )
            assert info.value.reasons == (reason,)
            assert snapshot(permit.case) == before

    # Every problem is named at once.
    with translation.override("en"), pytest.raises(TransitionRefused) as info:
        services.issue_permit(
            case=permit.case,
            by=permit.officer,
            permit_number="KEMENKES RI AKD 123",
            issued_on=in_days(1),
            valid_until=in_days(1),
        )
    assert info.value.reasons == (
        NUMBER_FORMAT,
        "The issue date cannot be in the future.",
        "The permit must be valid until a date after it was issued.",
    )
    assert snapshot(permit.case) == before

    # Exactly five years is allowed.
    services.issue_permit(
        case=permit.case,
        by=permit.officer,
        permit_number=NUMBER,
        issued_on=today(),
        valid_until=five_years,
    )
    assert permit.refresh().case.valid_until == five_years


def test_a_permit_number_already_recorded_for_another_product_is_refused():
    first = build.under_review()
    second = build.under_review()
    _issue(first, first.officer)
    before = snapshot(second.case)

    for typed in (NUMBER, NUMBER.lower()):
        message = refused(
            services.issue_permit,
            case=second.case,
            by=second.officer,
            permit_number=typed,
            issued_on=today(),
            valid_until=in_days(365),
        )
        assert message == "This permit number is already recorded for another product."
        assert snapshot(second.case) == before


def test_issuing_the_permit_sends_the_application_to_approval():
    permit = build.under_review()

    _issue(permit, permit.officer)

    permit.refresh()
    assert permit.case.status == PermitCase.Status.ISSUED
    assert (permit.case.issued_on, permit.case.valid_until) == (today(), in_days(365 * 3))
    assert permit.application.status == Application.Status.AWAITING_APPROVAL
    officer = permit.officer.username
    assert log_of(permit.application)[-2:] == [
        ("open_permit", officer, ""),
        ("permit_issued", officer, NUMBER),
    ]
    assert [row[0] for row in log_of(permit.case)] == [
        "submit",
        "start_review",
        "issue",
    ]


# ---------------------------------------------------------------------------------------------
# A permit the vendor already holds


def test_a_permit_the_vendor_already_holds_is_accepted_without_the_kemenkes_review():
    permit = build.opened(existing_permit=True)
    before = snapshot(permit.case)
    with translation.override("en"), pytest.raises(TransitionRefused) as info:
        _submit(permit, permit.officer)
    assert "The vendor already holds this permit: accept it instead." in info.value.reasons
    assert snapshot(permit.case) == before

    issued_on = today() - datetime.timedelta(days=700)
    services.issue_permit(
        case=permit.case,
        by=permit.officer,
        permit_number=NUMBER,
        issued_on=issued_on,
        valid_until=issued_on + datetime.timedelta(days=1800),
    )

    permit.refresh()
    assert permit.case.status == PermitCase.Status.ISSUED
    assert permit.case.issued_on == issued_on
    entry = last_log(permit.case)
    assert (entry.transition, entry.source_state, entry.actor_username, entry.note) == (
        "issue",
        "preparing_documents",
        permit.officer.username,
        NUMBER,
    )
    assert permit.application.status == Application.Status.AWAITING_APPROVAL
    assert not PermitDocument.objects.filter(case=permit.case).exists()


def test_an_existing_permit_that_has_already_expired_is_refused():
    permit = build.opened(existing_permit=True)
    before = snapshot(permit.case)

    message = refused(
        services.issue_permit,
        case=permit.case,
        by=permit.officer,
        permit_number=NUMBER,
        issued_on=in_days(-1000),
        valid_until=in_days(-1),
    )

    assert message == "This permit is no longer valid: record a permit that is valid today."
    assert snapshot(permit.case) == before
