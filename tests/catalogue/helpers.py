"""Listings for catalogue tests: real ones through the whole workflow, and cheap copies."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from catalogue.models import Listing
from certification import services
from certification.models import Certificate
from curation.models import Application
from tests import factories
from tests.curation import builders


@dataclass
class Live:
    listing: Listing
    certificate: Certificate
    approver: object
    case: builders.Case


def live_listing(*, category="cloth_mask", programme=None, approver=None) -> Live:
    """A product walked through curation and approval: its listing is live."""
    case = builders.passed(category=category, programme=programme)
    application = services.skip_permit(application=case.application, by=case.officer)
    approver = approver or factories.approver()
    certificate = services.approve_application(application=application, by=approver)
    return Live(Listing.objects.get(certificate=certificate), certificate, approver, case)


def copies(template: Listing, count: int, *, status="live", price=None) -> list[Listing]:
    """``count`` more listings like ``template``, each on its own certificate (bulk-created:
    for volume, not for the workflow)."""
    source = template.certificate
    application = source.application
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            programme_id=application.programme_id,
            vendor_id=application.vendor_id,
            product_id=application.product_id,
            status=Application.Status.APPROVED,
            specification=application.specification,
            created_by_id=application.created_by_id,
            submitted_at=now,
        )
        for _ in range(count)
    )
    start = Certificate.objects.count()
    certificates = Certificate.objects.bulk_create(
        Certificate(
            number=f"KRS-T-{start + index:07d}",
            application=app,
            vendor_id=source.vendor_id,
            product_id=source.product_id,
            programme_id=source.programme_id,
            specification=source.specification,
            issued_on=source.issued_on,
            valid_until=source.valid_until,
            approved_by_id=source.approved_by_id,
        )
        for index, app in enumerate(applications)
    )
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Listing._meta.concrete_fields
        if f.attname not in ("id", "certificate_id", "created_at", "updated_at", "status")
    }
    listings = []
    for index, certificate in enumerate(certificates):
        values = {**fields, "certificate_number": certificate.number}
        if price is not None:
            values["price"] = price + index
        listings.append(
            Listing(certificate=certificate, status=status, updated_at=timezone.now(), **values)
        )
    return Listing.objects.bulk_create(listings)
