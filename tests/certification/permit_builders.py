"""Small builders for certification tests: a passed application walked through its permit case
and approval with the certification services, and snapshots of everything a refused action must
leave alone (states, audit rows, history, documents, certificates and the stored files)."""

from __future__ import annotations

import datetime
import io
import itertools
import zipfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from audit.models import TransitionLog
from certification import services
from certification.models import (
    Certificate,
    CertificateCounter,
    ChecklistItem,
    InfoRequest,
    PermitCase,
    PermitDocument,
    PermitRequirement,
)
from curation.models import Application
from tests import factories
from tests.curation import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
REFERENCE = "KMK-2026-000123"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

_numbers = itertools.count(21603020001)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment in Jakarta time (where Kurasi's dates are taken), for time_machine."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def permit_number(kind: str = "AKD") -> str:
    """A well-formed permit number not used before in this test run."""
    return f"KEMENKES RI {kind} {next(_numbers)}"


def pdf_upload(data: bytes = PDF, name: str = "dokumen.pdf"):
    return factories.upload(data, name=name, content_type="application/pdf")


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("nib.txt", "NIB 9120001234561")
    return buffer.getvalue()


def fresh(user) -> User:
    """The user re-read from the database (roles are cached on the user object)."""
    return User.objects.get(pk=user.pk)


def with_role(user, role: str) -> User:
    user.groups.add(Group.objects.get(name=role))
    return fresh(user)


@dataclass
class Permit:
    """A passed application, its permit case, and the staff officer running the case."""

    app: builders.Case
    case: PermitCase

    @property
    def owner(self):
        return self.app.owner

    @property
    def officer(self):
        return self.app.officer

    @property
    def application(self) -> Application:
        return self.app.application

    def refresh(self) -> Permit:
        self.case.refresh_from_db()
        self.app.refresh()
        return self

    def items(self, *, required_only: bool = True):
        items = ChecklistItem.objects.filter(kind=self.case.kind).order_by("position", "pk")
        return list(items.filter(required=True) if required_only else items)


def opened(*, category: str = "medical_mask", existing_permit: bool = False, **kwargs) -> Permit:
    """A passed application with its permit case open (state: preparing_documents)."""
    app = builders.passed(category=category, **kwargs)
    case = services.open_permit_case(
        application=app.application, by=app.officer, existing_permit=existing_permit
    )
    app.refresh()
    return Permit(app, case)


def upload_all(permit: Permit) -> list[PermitDocument]:
    return [
        services.upload_document(case=permit.case, item=item, by=permit.owner, upload=pdf_upload())
        for item in permit.items()
    ]


def documents_verified(*, checker=None, **kwargs) -> Permit:
    """Every required document uploaded by the owner and verified by ``checker`` (the officer)."""
    permit = opened(**kwargs)
    for document in upload_all(permit):
        services.verify_document(document=document, by=checker or permit.officer)
    return permit.refresh()


def submitted(**kwargs) -> Permit:
    permit = documents_verified(**kwargs)
    permit.case = services.submit_permit_case(
        case=permit.case, by=permit.officer, reference=REFERENCE
    )
    return permit


def under_review(**kwargs) -> Permit:
    permit = submitted(**kwargs)
    permit.case = services.start_permit_review(case=permit.case, by=permit.officer)
    return permit


def info_requested(**kwargs) -> Permit:
    permit = under_review(**kwargs)
    services.request_permit_info(
        case=permit.case,
        by=permit.officer,
        message="Lampirkan hasil uji BFE terbaru.",
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    return permit.refresh()


def issued(*, valid_days: int = 365, **kwargs) -> Permit:
    """The permit issued today, valid for ``valid_days``; the application awaits approval."""
    permit = under_review(**kwargs)
    today = timezone.localdate()
    permit.case = services.issue_permit(
        case=permit.case,
        by=permit.officer,
        permit_number=permit_number(permit.case.kind),
        issued_on=today,
        valid_until=today + datetime.timedelta(days=valid_days),
    )
    permit.app.refresh()
    return permit


def certified(*, category: str = "cloth_mask", approver=None, **kwargs) -> Certificate:
    """An approved application and its certificate; a permit first where the category needs one."""
    if PermitRequirement.objects.filter(category=category).exclude(kind="").exists():
        application = issued(category=category, **kwargs).application
    else:
        app = builders.passed(category=category, **kwargs)
        application = services.skip_permit(application=app.application, by=app.officer)
    return services.approve_application(
        application=application, by=approver or factories.approver(), note="Layak."
    )


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def snapshot(case: PermitCase) -> dict:
    """Everything a refused action on a permit case must leave exactly as it was."""
    case = PermitCase.objects.get(pk=case.pk)
    application = Application.objects.get(pk=case.application_id)
    return {
        "case": (
            case.status,
            case.kind,
            case.existing_permit,
            case.kemenkes_reference,
            case.submitted_on,
            case.permit_number,
            case.issued_on,
            case.valid_until,
            case.status_changed_at,
        ),
        "application": (application.status, application.status_changed_at),
        "log": TransitionLog.objects.count(),
        "case_history": PermitCase.history.filter(id=case.pk).count(),
        "application_history": Application.history.filter(id=application.pk).count(),
        "documents": sorted(
            PermitDocument.objects.filter(case=case).values_list(
                "pk",
                "item_id",
                "review",
                "is_current",
                "reviewed_by_id",
                "rejection_reason",
                "file",
            )
        ),
        "document_history": PermitDocument.history.count(),
        "info_requests": sorted(
            InfoRequest.objects.filter(case=case).values_list(
                "pk", "message", "due_on", "response", "responded_at", "closed_at"
            )
        ),
        "info_request_history": InfoRequest.history.count(),
        "certificates": Certificate.objects.count(),
        "certificate_history": Certificate.history.count(),
        "counters": list(CertificateCounter.objects.values_list("year", "last")),
        "files": stored_files(),
    }


def certificate_snapshot(certificate: Certificate) -> dict:
    """Everything a refused action on a certificate must leave exactly as it was."""
    fresh_certificate = Certificate.objects.get(pk=certificate.pk)
    return {
        "certificate": (
            fresh_certificate.status,
            fresh_certificate.status_changed_at,
            fresh_certificate.valid_until,
        ),
        "certificates": Certificate.objects.count(),
        "log": TransitionLog.objects.count(),
        "history": Certificate.history.filter(id=certificate.pk).count(),
        "permits": sorted(PermitCase.objects.values_list("pk", "status")),
    }
