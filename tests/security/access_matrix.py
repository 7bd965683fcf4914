"""The access-control matrix: who gets what from every URL of Kurasi, and the one world of
objects the cells are asked about.

``EXPECTED`` is the matrix itself, one line per (pattern, method) with one outcome per role, in
the order of ``ROLES``. ``URL_KWARGS`` fills each pattern's parameters from the world. Admin URLs
follow one rule for the whole ``admin:`` prefix (``admin_outcome``). ``test_access_matrix``
enumerates the resolver and fails on any pattern without a line here, and on any line naming a
pattern that no longer exists.

Outcomes:
  200 400 401 403 404 405  that status code
  302      a redirect that is not to the login page (a success, or a message on another page)
  login    a redirect to the login page with ``next`` (anonymous visitors)
  refused  a redirect carrying an error message — the app's way to refuse an action whose
           service says why (``_perform`` in curation and certification) — and nothing changed
  acts     a redirect after the action was performed (an empty body suffices for it): the
           audit trail or the counted tables changed (undone with the cell's transaction)
Every POST cell whose outcome is not ``acts`` must leave the audit trail (``TransitionLog``)
and the counted tables unchanged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from catalogue.models import Listing
from certification import services as certification_services
from certification.models import Certificate, ChecklistItem, PermitCase, PermitDocument
from curation.models import Application, Assignment, Programme, Sample
from notifications.models import Notification
from tests import factories
from tests.certification import permit_builders
from tests.curation import builders
from vendors.models import Product, ProductPhoto, Vendor
from vendors.services import add_product_photos

ROLES = ("anon", "owner", "other", "cur_in", "cur_out", "staff", "approver", "admin")
ROLE_NAMES = {
    "anon": "anonymous visitor",
    "owner": "applicant owning the object",
    "other": "another applicant",
    "cur_in": "curator assigned to the application",
    "cur_out": "curator of the same assessor, not assigned",
    "staff": "ministry staff officer",
    "approver": "approving official",
    "admin": "superuser (Django admin operator, no Kurasi role)",
}
METHODS = ("GET", "POST")


@dataclass
class World:
    """Everything the matrix asks about; ``owner`` owns every object, ``other`` owns look-alikes."""

    users: dict[str, User | None]
    programme: Programme
    vendor: Vendor  # verified, with the product in curation
    draft_vendor: Vendor  # editable and submittable
    product: Product
    photo: ProductPhoto
    spare_product: Product  # in no application: deleting it is meaningful
    spare_photo: ProductPhoto
    in_curation: Application
    sample: Sample
    assignment: Assignment  # cur_in's, no conflict declared
    passed: Application  # cloth mask: the permit decision waits, no permit is needed
    passed_needing_permit: Application  # medical mask: a permit case can be opened
    awaiting: Application  # waits for the approver
    case: PermitCase  # medical mask, information requested
    document: PermitDocument
    item: ChecklistItem
    info_request_pk: int
    certificate: Certificate
    listing: Listing
    notification: Notification
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    """One programme with one assessor: its first curator is assigned to every application of
    the owner, the other curator of the same assessor to none."""
    owner = factories.applicant(username="owner")
    other = factories.applicant(username="other")
    programme = factories.programme(assessor_org=factories.assessor(curators=1))
    programme.curators_per_application = 1
    programme.save(update_fields=["curators_per_application"])
    cur_out = builders.extra_curator(
        programme.assessor, categories=("cloth_mask", "medical_mask")
    ).user
    staff = factories.staff(username="staff")
    approver = factories.approver(username="approver")
    admin = User.objects.create_superuser(
        username="admin", email="admin@example.test", password=factories.PASSWORD
    )

    current = builders.in_curation(programme=programme, owner=owner)
    cur_in = current.assignments[0].curator.user
    passed = builders.passed(programme=programme, owner=owner)
    needs_permit = builders.passed(programme=programme, owner=owner, category="medical_mask")
    awaiting = builders.awaiting_approval(programme=programme, owner=owner)
    permit = permit_builders.info_requested(programme=programme, owner=owner)
    approved = builders.passed(programme=programme, owner=owner)
    ready = certification_services.skip_permit(
        application=approved.application, by=approved.officer
    )
    certificate = certification_services.approve_application(
        application=ready, by=factories.approver(), note="Layak."
    )

    spare_product = factories.product(vendor=current.vendor, name="Masker cadangan")
    (spare_photo,) = add_product_photos(
        product=spare_product,
        by=owner,
        uploads=[factories.upload(factories.image_bytes(size=(200, 150)))],
    )
    # The other applicant has a business of the same kind: the matrix shows it stays apart.
    factories.verified_vendor_with_product(owner=other)
    frozen_photo_ids = current.application.specification["photo_ids"]
    document = PermitDocument.objects.filter(case=permit.case, is_current=True).first()
    return World(
        users={
            "anon": None,
            "owner": owner,
            "other": other,
            "cur_in": cur_in,
            "cur_out": cur_out,
            "staff": staff,
            "approver": approver,
            "admin": admin,
        },
        programme=programme,
        vendor=current.vendor,
        draft_vendor=factories.vendor(owner=owner, legal_name="CV Draf Pemilik"),
        product=current.product,
        photo=ProductPhoto.objects.get(pk=frozen_photo_ids[0]),
        spare_product=spare_product,
        spare_photo=spare_photo,
        in_curation=current.application,
        sample=current.sample,
        assignment=current.assignments[0],
        passed=passed.application,
        passed_needing_permit=needs_permit.application,
        awaiting=awaiting.application,
        case=permit.case,
        document=document,
        item=document.item,
        info_request_pk=permit.case.info_requests.get(closed_at__isnull=True).pk,
        certificate=certificate,
        listing=Listing.objects.get(certificate=certificate),
        notification=Notification.objects.create(
            recipient=owner,
            kind="vendor_verified",
            params={"vendor": current.vendor.legal_name},
            url="/portal/",
            created_at=timezone.now() - datetime.timedelta(minutes=1),
        ),
        extra={"uid": urlsafe_base64_encode(force_bytes(owner.pk))},
    )


def _application(w: World) -> dict:
    return {"pk": w.in_curation.pk}


URL_KWARGS = {
    "accounts:verify_email": lambda w: {"uidb64": w.extra["uid"], "token": "bad-token"},
    "accounts:password_reset_confirm": lambda w: {"uidb64": w.extra["uid"], "token": "bad-token"},
    "vendors:detail": lambda w: {"pk": w.vendor.pk},
    "vendors:edit": lambda w: {"pk": w.draft_vendor.pk},
    "vendors:submit": lambda w: {"pk": w.draft_vendor.pk},
    "vendors:product_create": lambda w: {"vendor_pk": w.vendor.pk},
    "vendors:product_edit": lambda w: {"vendor_pk": w.vendor.pk, "pk": w.product.pk},
    "vendors:product_delete": lambda w: {"pk": w.spare_product.pk},
    "vendors:product_photos": lambda w: {"pk": w.product.pk},
    "vendors:photo_delete": lambda w: {"pk": w.spare_photo.pk},
    "vendors:photo_file": lambda w: {"pk": w.photo.pk, "variant": "thumb"},
    "vendors:review": lambda w: {"pk": w.vendor.pk, "action": "suspend"},
    "curation:enter": lambda w: {"pk": w.programme.pk},
    "curation:detail": _application,
    "curation:submit": _application,
    "curation:withdraw": _application,
    "curation:sample_ship": lambda w: {"pk": w.in_curation.pk, "sample_pk": w.sample.pk},
    "curation:sample_receive": lambda w: {"pk": w.in_curation.pk, "sample_pk": w.sample.pk},
    "curation:assign": _application,
    "curation:assignment_end": lambda w: {
        "pk": w.in_curation.pk,
        "assignment_pk": w.assignment.pk,
    },
    "curation:assignment_reassign": lambda w: {
        "pk": w.in_curation.pk,
        "assignment_pk": w.assignment.pk,
    },
    "curation:request_sample": _application,
    "curation:screen": lambda w: {"pk": w.in_curation.pk, "action": "return_for_changes"},
    "curation:curator_application": _application,
    "curation:no_conflict": _application,
    "curation:conflict": _application,
    "curation:photo": lambda w: {
        "pk": w.in_curation.pk,
        "photo_id": w.photo.pk,
        "variant": "thumb",
    },
    "certification:permit_open": lambda w: {"pk": w.passed_needing_permit.pk},
    "certification:permit_skip": lambda w: {"pk": w.passed.pk},
    "certification:case": lambda w: {"pk": w.case.pk},
    "certification:document_upload": lambda w: {"pk": w.case.pk, "item_pk": w.item.pk},
    "certification:info_answer": lambda w: {"pk": w.case.pk, "request_pk": w.info_request_pk},
    "certification:case_action": lambda w: {"pk": w.case.pk, "action": "submit"},
    "certification:document": lambda w: {"pk": w.document.pk},
    "certification:document_review": lambda w: {"pk": w.document.pk, "outcome": "reject"},
    "certification:approval": lambda w: {"pk": w.awaiting.pk},
    "certification:approve": lambda w: {"pk": w.awaiting.pk},
    "certification:reject": lambda w: {"pk": w.awaiting.pk},
    "certification:print": lambda w: {"pk": w.certificate.pk},
    "certification:certificate_action": lambda w: {"pk": w.certificate.pk, "action": "suspend"},
    "certification:verify": lambda w: {"number": w.certificate.number},
    "catalogue:detail": lambda w: {"pk": w.listing.pk},
    "catalogue:vendor": lambda w: {"pk": w.listing.vendor_id},
    "catalogue:listing_edit": lambda w: {"pk": w.listing.pk},
    "catalogue:export_listings": lambda w: {"fmt": "csv"},
    "catalogue:export_applications": lambda w: {"fmt": "csv"},
    "notifications:open": lambda w: {"pk": w.notification.pk},
}

# The matrix. Columns: anon owner other cur_in cur_out staff approver admin.
EXPECTED_TABLE = """
home                             GET  200     302     302     302     302     302     302     200
home                             POST 200     302     302     302     302     302     302     200
healthz                          GET  200     200     200     200     200     200     200     200
healthz                          POST 200     200     200     200     200     200     200     200
set_language                     GET  302     302     302     302     302     302     302     302
set_language                     POST 302     302     302     302     302     302     302     302
accounts:login                   GET  200     302     302     302     302     302     302     302
accounts:login                   POST 200     302     302     302     302     302     302     302
accounts:logout                  GET  405     405     405     405     405     405     405     405
accounts:logout                  POST 302     302     302     302     302     302     302     302
accounts:signup                  GET  200     302     302     302     302     302     302     302
accounts:signup                  POST 200     302     302     302     302     302     302     302
accounts:verify_email            GET  400     400     400     400     400     400     400     400
accounts:verify_email            POST 400     400     400     400     400     400     400     400
accounts:resend_verification     GET  login   405     405     405     405     405     405     405
accounts:resend_verification     POST login   302     302     302     302     302     302     302
accounts:password_reset          GET  200     200     200     200     200     200     200     200
accounts:password_reset          POST 200     200     200     200     200     200     200     200
accounts:password_reset_done     GET  200     200     200     200     200     200     200     200
accounts:password_reset_done     POST 405     405     405     405     405     405     405     405
accounts:password_reset_confirm  GET  200     200     200     200     200     200     200     200
accounts:password_reset_confirm  POST 200     200     200     200     200     200     200     200
accounts:password_reset_complete GET  200     200     200     200     200     200     200     200
accounts:password_reset_complete POST 405     405     405     405     405     405     405     405
regions:regency_options          GET  200     200     200     200     200     200     200     200
regions:regency_options          POST 405     405     405     405     405     405     405     405
vendors:portal                   GET  login   200     200     200     200     200     200     200
vendors:portal                   POST login   200     200     200     200     200     200     200
vendors:create                   GET  login   200     200     403     403     403     403     403
vendors:create                   POST login   200     200     403     403     403     403     403
vendors:detail                   GET  login   200     404     404     404     200     200     404
vendors:detail                   POST login   200     404     404     404     200     200     404
vendors:edit                     GET  login   200     404     404     404     403     403     404
vendors:edit                     POST login   200     404     404     404     403     403     404
vendors:submit                   GET  login   405     405     405     405     405     405     405
vendors:submit                   POST login   302     404     404     404     refused refused 404
vendors:product_create           GET  login   200     404     404     404     403     403     404
vendors:product_create           POST login   200     404     404     404     403     403     404
vendors:product_edit             GET  login   200     404     404     404     403     403     404
vendors:product_edit             POST login   200     404     404     404     403     403     404
vendors:product_delete           GET  login   405     405     405     405     405     405     405
vendors:product_delete           POST login   acts    404     404     404     403     403     404
vendors:product_photos           GET  login   200     404     404     404     200     200     404
vendors:product_photos           POST login   200     404     404     404     403     403     404
vendors:photo_delete             GET  login   405     405     405     405     405     405     405
vendors:photo_delete             POST login   acts    404     404     404     403     403     404
vendors:photo_file               GET  login   200     404     404     404     200     200     404
vendors:photo_file               POST login   200     404     404     404     200     200     404
vendors:review_queue             GET  login   403     403     403     403     200     200     403
vendors:review_queue             POST login   403     403     403     403     200     200     403
vendors:review                   GET  login   405     405     405     405     405     405     405
vendors:review                   POST login   refused 404     404     404     302     refused 404
curation:programmes              GET  login   200     200     403     403     403     403     403
curation:programmes              POST login   200     200     403     403     403     403     403
curation:enter                   GET  login   405     405     405     405     405     405     405
curation:enter                   POST login   302     302     302     302     302     302     302
curation:my_applications         GET  login   200     200     200     200     200     200     200
curation:my_applications         POST login   200     200     200     200     200     200     200
curation:detail                  GET  login   200     404     302     404     200     200     404
curation:detail                  POST login   200     404     302     404     200     200     404
curation:submit                  GET  login   405     405     405     405     405     405     405
curation:submit                  POST login   refused 404     refused 404     refused refused 404
curation:withdraw                GET  login   405     405     405     405     405     405     405
curation:withdraw                POST login   acts    404     refused 404     refused refused 404
curation:sample_ship             GET  login   405     405     405     405     405     405     405
curation:sample_ship             POST login   refused 404     refused 404     refused refused 404
curation:sample_receive          GET  login   405     405     405     405     405     405     405
curation:sample_receive          POST login   refused 404     refused 404     refused refused 404
curation:assign                  GET  login   405     405     405     405     405     405     405
curation:assign                  POST login   refused 404     refused 404     refused refused 404
curation:assignment_end          GET  login   405     405     405     405     405     405     405
curation:assignment_end          POST login   refused 404     refused 404     refused refused 404
curation:assignment_reassign     GET  login   405     405     405     405     405     405     405
curation:assignment_reassign     POST login   refused 404     refused 404     refused refused 404
curation:screening_queue         GET  login   403     403     403     403     200     200     403
curation:screening_queue         POST login   403     403     403     403     200     200     403
curation:screening_bulk          GET  login   405     405     405     405     405     405     405
curation:screening_bulk          POST login   403     403     403     403     refused 403     403
curation:request_sample          GET  login   405     405     405     405     405     405     405
curation:request_sample          POST login   refused 404     refused 404     refused refused 404
curation:screen                  GET  login   405     405     405     405     405     405     405
curation:screen                  POST login   refused 404     refused 404     refused refused 404
curation:assessor_queue          GET  login   403     403     403     403     403     403     403
curation:assessor_queue          POST login   403     403     403     403     403     403     403
curation:workspace               GET  login   403     403     200     200     403     403     403
curation:workspace               POST login   403     403     200     200     403     403     403
curation:curator_application     GET  login   302     404     200     404     302     302     404
curation:curator_application     POST login   302     404     200     404     302     302     404
curation:no_conflict             GET  login   405     405     405     405     405     405     405
curation:no_conflict             POST login   404     404     refused 404     404     404     404
curation:conflict                GET  login   405     405     405     405     405     405     405
curation:conflict                POST login   404     404     refused 404     404     404     404
curation:photo                   GET  login   200     404     200     404     200     200     404
curation:photo                   POST login   200     404     200     404     200     200     404
certification:passed             GET  login   403     403     403     403     200     403     403
certification:passed             POST login   403     403     403     403     200     403     403
certification:permit_open        GET  login   405     405     405     405     405     405     405
certification:permit_open        POST login   refused 404     refused 404     acts    refused 404
certification:permit_skip        GET  login   405     405     405     405     405     405     405
certification:permit_skip        POST login   refused 404     refused 404     acts    refused 404
certification:board              GET  login   403     403     403     403     200     200     403
certification:board              POST login   403     403     403     403     200     200     403
certification:my_permits         GET  login   200     200     200     200     200     200     200
certification:my_permits         POST login   200     200     200     200     200     200     200
certification:case               GET  login   200     404     404     404     200     200     404
certification:case               POST login   200     404     404     404     200     200     404
certification:document_upload    GET  login   405     405     405     405     405     405     405
certification:document_upload    POST login   200     404     404     404     refused refused 404
certification:info_answer        GET  login   405     405     405     405     405     405     405
certification:info_answer        POST login   200     404     404     404     refused refused 404
certification:case_action        GET  login   405     405     405     405     405     405     405
certification:case_action        POST login   403     404     404     404     200     403     404
certification:document           GET  login   200     404     404     404     200     200     404
certification:document           POST login   200     404     404     404     200     200     404
certification:document_review    GET  login   405     405     405     405     405     405     405
certification:document_review    POST login   refused 404     404     404     refused refused 404
certification:approvals          GET  login   403     403     403     403     403     200     403
certification:approvals          POST login   403     403     403     403     403     200     403
certification:approval           GET  login   403     403     403     403     403     200     403
certification:approval           POST login   403     403     403     403     403     200     403
certification:approve            GET  login   405     405     405     405     405     405     405
certification:approve            POST login   403     403     403     403     403     acts    403
certification:reject             GET  login   405     405     405     405     405     405     405
certification:reject             POST login   403     403     403     403     403     refused 403
certification:certificates       GET  login   302     302     403     403     200     200     403
certification:certificates       POST login   302     302     403     403     200     200     403
certification:my_certificates    GET  login   200     200     200     200     200     200     200
certification:my_certificates    POST login   200     200     200     200     200     200     200
certification:print              GET  login   200     404     404     404     200     200     404
certification:print              POST login   200     404     404     404     200     200     404
certification:certificate_action GET  login   405     405     405     405     405     405     405
certification:certificate_action POST login   refused 404     404     404     refused refused 404
certification:verify_lookup      GET  200     200     200     200     200     200     200     200
certification:verify_lookup      POST 200     200     200     200     200     200     200     200
certification:verify             GET  200     200     200     200     200     200     200     200
certification:verify             POST 200     200     200     200     200     200     200     200
catalogue:search                 GET  200     200     200     200     200     200     200     200
catalogue:search                 POST 200     200     200     200     200     200     200     200
catalogue:feed                   GET  200     200     200     200     200     200     200     200
catalogue:feed                   POST 405     405     405     405     405     405     405     405
catalogue:detail                 GET  200     200     200     200     200     200     200     200
catalogue:detail                 POST 200     200     200     200     200     200     200     200
catalogue:vendor                 GET  200     200     200     200     200     200     200     200
catalogue:vendor                 POST 200     200     200     200     200     200     200     200
catalogue:my_listings            GET  login   200     200     200     200     200     200     200
catalogue:my_listings            POST login   200     200     200     200     200     200     200
catalogue:listing_edit           GET  login   200     404     404     404     200     200     404
catalogue:listing_edit           POST login   400     404     404     404     403     403     404
catalogue:exports                GET  login   403     403     403     403     200     200     403
catalogue:exports                POST login   405     405     405     405     405     405     405
catalogue:export_listings        GET  login   403     403     403     403     200     200     403
catalogue:export_listings        POST 405     405     405     405     405     405     405     405
catalogue:export_applications    GET  login   403     403     403     403     200     200     403
catalogue:export_applications    POST 405     405     405     405     405     405     405     405
notifications:list               GET  login   200     200     200     200     200     200     200
notifications:list               POST login   405     405     405     405     405     405     405
notifications:open               GET  login   405     405     405     405     405     405     405
notifications:open               POST login   302     404     404     404     404     404     404
notifications:mark_all_read      GET  login   405     405     405     405     405     405     405
notifications:mark_all_read      POST login   302     302     302     302     302     302     302
notifications:unread             GET  401     200     200     200     200     200     200     200
notifications:unread             POST 405     405     405     405     405     405     405     405
notifications:settings           GET  login   200     200     200     200     200     200     200
notifications:settings           POST login   200     200     200     200     200     200     302
dashboard:index                  GET  login   403     403     403     403     200     200     403
dashboard:index                  POST login   405     405     405     405     405     405     405
"""


def parse_table(text: str) -> dict[tuple[str, str], dict[str, str]]:
    table: dict[tuple[str, str], dict[str, str]] = {}
    for line in text.strip().splitlines():
        name, method, *outcomes = line.split()
        if len(outcomes) != len(ROLES) or method not in METHODS or (name, method) in table:
            raise ValueError(f"malformed or repeated matrix line: {line!r}")
        table[(name, method)] = dict(zip(ROLES, outcomes, strict=True))
    return table


EXPECTED = parse_table(EXPECTED_TABLE)

# Public listing photos are served by Django's static() only with DEBUG on local storage
# (config/urls.py); the pattern is unnamed, so it is keyed by its route. Anyone may read them.
DEBUG_MEDIA_ROUTE = "^media/public/(?P<path>.*)$"
