"""Demo certification: permit cases in several states, approved products with certificates,
one of them suspended. Every step runs through the services as the person who would take it;
only applications still at ``passed`` are touched, so a second run changes nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification import services
from certification.models import ChecklistItem
from curation.models import Application
from demo.images import product_picture


def _pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF naming the document."""
    text = title.replace("(", "[").replace(")", "]")
    stream = f"BT /F1 14 Tf 50 780 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return SimpleUploadedFile("dokumen.pdf", body, content_type="application/pdf")


def _passed(owner, product_name) -> Application | None:
    return (
        Application.objects.filter(
            vendor__owners=owner, product__name=product_name, status=Application.Status.PASSED
        )
        .select_related("product", "programme")
        .first()
    )


def seed_certification(users) -> int:
    staff, approver = users["staff1"], users["approver1"]
    certificates = 0

    # Cloth masks need no izin edar: straight to approval, then a certificate.
    for owner, name, suspend in (
        ("applicant1", "Masker kain 3 lapis SNI", False),
        ("applicant11", "Masker kain songket 2 lapis", True),
    ):
        application = _passed(users[owner], name)
        if application is None:
            continue
        application = services.skip_permit(application=application, by=staff)
        certificate = services.approve_application(
            application=application,
            by=approver,
            note="Hasil kurasi memenuhi SNI 8914:2020; layak masuk katalog.",
        )
        certificates += 1
        if suspend:
            services.suspend_certificate(
                certificate=certificate,
                by=approver,
                reason="Pengaduan pembeli: ukuran tidak sesuai spesifikasi; sedang diperiksa.",
            )

    # Hand sanitizer (PKD): documents being prepared, two verified and one rejected.
    application = _passed(users["applicant9"], "Hand sanitizer cair 75% 100 ml")
    if application is not None:
        case = services.open_permit_case(application=application, by=staff)
        owner = users["applicant9"]
        items = list(ChecklistItem.objects.filter(kind=case.kind).order_by("position"))
        for index, item in enumerate(items[:3]):
            upload = (
                product_picture(colour=(240, 240, 230), shape="bottle", variant=index)
                if item.code == "label"
                else _pdf(item.name)
            )
            document = services.upload_document(case=case, item=item, by=owner, upload=upload)
            if item.code == "label":
                services.reject_document(
                    document=document,
                    by=staff,
                    reason="Label belum mencantumkan peringatan mudah terbakar dan nomor bets.",
                )
            else:
                services.verify_document(document=document, by=staff)

    # Medical coverall (AKD): the vendor already holds a permit; accepted, awaiting approval.
    application = _passed(users["applicant10"], "Coverall medis laminasi PE")
    if application is not None:
        case = services.open_permit_case(application=application, by=staff, existing_permit=True)
        today = timezone.localdate()
        services.issue_permit(
            case=case,
            by=staff,
            permit_number="KEMENKES RI AKD 21603020123",
            issued_on=today - datetime.timedelta(days=400),
            valid_until=today + datetime.timedelta(days=1100),
        )
    return certificates
