"""The official's decision: the four-eyes rule, the permit a product needs before approval, and
the certificate approval creates (number, frozen specification, validity, note).

A refused decision leaves the application, the audit log, history, the certificates and the
certificate counter exactly as they were.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from accounts.system import system_user
from audit.selectors import transitions_for
from audit.workflow import TransitionRefused
from certification import services
from certification.models import Certificate, CertificateCounter, PermitCase
from curation.models import Application
from tests import factories
from tests.certification import permit_builders as build
from tests.certification.permit_builders import at, with_role
from tests.curation import builders
from tests.curation.builders import log_of
from vendors.models import Product

pytestmark = pytest.mark.django_db

APPROVERS_ONLY = "Only an approving official may do this."
SCREENED = "You screened this application; another official must decide (four-eyes rule)."
CHECKED = (
    "You checked this product's permit documents; another official must decide (four-eyes rule)."
)
NOTE = "Produk layak; dokumen lengkap."


def refused(call, *args, **kwargs) -> str:
    with translation.override("en"), pytest.raises(TransitionRefused) as info:
        call(*args, **kwargs)
    return str(info.value)


def snapshot(application) -> dict:
    """Everything a refused decision must leave alone."""
    return {
        **builders.snapshot(application),
        "certificates": Certificate.objects.count(),
        "certificate_history": Certificate.history.count(),
        "counters": list(CertificateCounter.objects.values_list("year", "last")),
        "permits": sorted(PermitCase.objects.values_list("pk", "status")),
    }


def awaiting_cloth_mask(**kwargs):
    """A passed cloth mask sent to approval by its screening officer (no permit needed)."""
    app = builders.passed(category="cloth_mask", **kwargs)
    services.skip_permit(application=app.application, by=app.officer)
    return app.refresh()


def approve(application, by, note=NOTE):
    return services.approve_application(application=application, by=by, note=note)


# ---------------------------------------------------------------------------------------------
# Four-eyes


def _screened_by_request_sample():
    app = builders.passed(category="cloth_mask")
    services.skip_permit(application=app.application, by=factories.staff())
    return app.refresh().application, app.officer


def _screened_by_skip_permit():
    app = builders.passed(category="cloth_mask")
    screener = factories.staff()
    services.skip_permit(application=app.application, by=screener)
    return app.refresh().application, screener


def _screened_by_open_permit():
    app = builders.passed(category="medical_mask")
    screener = factories.staff()
    case = services.open_permit_case(application=app.application, by=screener)
    permit = build.Permit(app, case)
    for document in build.upload_all(permit):
        services.verify_document(document=document, by=app.officer)
    services.submit_permit_case(case=case, by=app.officer, reference=build.REFERENCE)
    services.start_permit_review(case=case, by=app.officer)
    _issue(case, by=app.officer)
    return app.refresh().application, screener


def _screened_by_issuing_the_permit():
    permit = build.under_review()
    screener = factories.staff()
    _issue(permit.case, by=screener)
    return permit.refresh().application, screener


def _issue(case, *, by, valid_days=365):
    today = timezone.localdate()
    return services.issue_permit(
        case=case,
        by=by,
        permit_number=build.permit_number(case.kind),
        issued_on=today,
        valid_until=today + datetime.timedelta(days=valid_days),
    )


SCREENINGS = {
    "request_sample": _screened_by_request_sample,
    "skip_permit": _screened_by_skip_permit,
    "open_permit": _screened_by_open_permit,
    "permit_issued": _screened_by_issuing_the_permit,
}


@pytest.mark.parametrize("screening", SCREENINGS)
def test_the_officer_who_screened_an_application_may_not_approve_it_even_as_an_approver(screening):
    application, screener = SCREENINGS[screening]()
    screener = with_role(screener, "approver")  # holds both roles
    before = snapshot(application)

    assert refused(approve, application, screener) == SCREENED
    assert snapshot(application) == before

    other = factories.approver()
    certificate = approve(application, other)
    assert certificate.approved_by == other


@pytest.mark.parametrize("review", ["verified", "rejected"])
def test_an_approver_who_checked_the_permit_documents_may_not_approve(review):
    checker = with_role(factories.staff(), "approver")  # staff and approver; screened nothing
    permit = build.opened()
    documents = build.upload_all(permit)
    for document in documents[1:]:
        services.verify_document(document=document, by=permit.officer)
    first = documents[0]
    if review == "verified":
        services.verify_document(document=first, by=checker)
    else:
        services.reject_document(document=first, by=checker, reason="NIB tidak terbaca.")
        first = services.upload_document(
            case=permit.case, item=first.item, by=permit.owner, upload=build.pdf_upload()
        )
        services.verify_document(document=first, by=permit.officer)
    services.submit_permit_case(case=permit.case, by=permit.officer, reference=build.REFERENCE)
    services.start_permit_review(case=permit.case, by=permit.officer)
    _issue(permit.case, by=permit.officer)
    application = permit.refresh().application
    before = snapshot(application)

    assert refused(approve, application, checker) == CHECKED
    assert snapshot(application) == before
    assert approve(application, factories.approver()).number


def test_only_an_approving_official_approves():
    app = awaiting_cloth_mask()
    before = snapshot(app.application)
    others = {
        "owner": app.owner,
        "other_applicant": factories.applicant(),
        "staff": factories.staff(),  # an officer who did not screen it
        "curator": app.assignments[0].curator.user,
        "system": system_user(),
    }
    for role, user in others.items():
        assert refused(approve, app.application, user) == APPROVERS_ONLY, role
        assert snapshot(app.application) == before, role

    approver = factories.approver()
    approve(app.application, approver)

    assert app.refresh().application.status == Application.Status.APPROVED
    assert log_of(app.application)[-1] == ("approve", approver.username, NOTE)


# ---------------------------------------------------------------------------------------------
# The permit a product needs


def test_a_medical_mask_that_reached_approval_without_a_permit_is_not_approved():
    # Moved to approval by hand (as a data fix would), skipping the permit services.
    app = builders.awaiting_approval(category="medical_mask")
    before = snapshot(app.application)

    message = refused(approve, app.application, factories.approver())

    assert message == "This product needs a valid distribution permit (AKD) before approval."
    assert snapshot(app.application) == before


@pytest.mark.parametrize("expiry_ran", [False, True], ids=["lapsed", "expired"])
def test_a_medical_mask_whose_permit_lapsed_before_approval_is_not_approved(expiry_ran):
    permit = build.issued(valid_days=10)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)):
        if expiry_ran:
            services.expire_due()
        before = snapshot(permit.application)

        message = refused(approve, permit.application, factories.approver())

        assert message == "This product needs a valid distribution permit (AKD) before approval."
        assert snapshot(permit.application) == before


# ---------------------------------------------------------------------------------------------
# The certificate


def test_a_cloth_mask_goes_from_passed_straight_to_approval_and_gets_its_certificate():
    with time_machine.travel(at(2026, 5, 4), tick=False):
        app = builders.passed(category="cloth_mask")
        assert app.application.status == Application.Status.PASSED
        services.skip_permit(application=app.application, by=app.officer)
        assert app.refresh().application.status == Application.Status.AWAITING_APPROVAL
        approver = factories.approver()

        certificate = approve(app.application, approver, note=f"  {NOTE}\n")

    app.refresh()
    assert app.application.status == Application.Status.APPROVED
    assert log_of(app.application)[-2:] == [
        ("skip_permit", app.officer.username, ""),
        ("approve", approver.username, NOTE),
    ]
    certificate = Certificate.objects.get()
    assert certificate.number == "KRS-2026-000001"
    assert certificate.status == Certificate.Status.ACTIVE
    assert certificate.application == app.application
    assert (certificate.vendor, certificate.product, certificate.programme) == (
        app.vendor,
        app.product,
        app.programme,
    )
    assert certificate.permit_case is None
    assert certificate.issued_on == datetime.date(2026, 5, 4)
    assert certificate.valid_until == datetime.date(2028, 5, 4)  # the programme's 24 months
    assert (certificate.approved_by, certificate.approval_note) == (approver, NOTE)
    assert certificate.specification == app.application.specification
    assert certificate.history.count() == 1


def test_the_certificate_keeps_the_specification_as_approved():
    app = awaiting_cloth_mask()
    specification = Application.objects.get(pk=app.application.pk).specification
    certificate = approve(app.application, factories.approver())

    Product.objects.filter(pk=app.product.pk).update(name="Masker kain 1 lapis", layers=1)

    certificate.refresh_from_db()
    assert certificate.specification == specification
    assert certificate.specification["name"] == "Masker kain 3 lapis"
    assert certificate.specification["layers"] == 3


def test_certificate_numbers_run_in_sequence_and_start_again_each_jakarta_year():
    with time_machine.travel(at(2026, 12, 28), tick=False):
        programme = factories.programme()
        apps = [awaiting_cloth_mask(programme=programme) for _ in range(3)]
    approver = factories.approver()
    numbers = []
    # Midday 30 Dec; 23:30 on 31 Dec in Jakarta; 00:30 on 1 Jan in Jakarta (still 31 Dec in UTC).
    for moment, app in zip(
        (at(2026, 12, 30), at(2026, 12, 31, 23, 30), at(2027, 1, 1, 0, 30)), apps, strict=True
    ):
        with time_machine.travel(moment, tick=False):
            numbers.append(approve(app.application, approver).number)

    assert numbers == ["KRS-2026-000001", "KRS-2026-000002", "KRS-2027-000001"]
    assert list(CertificateCounter.objects.order_by("year").values_list("year", "last")) == [
        (2026, 2),
        (2027, 1),
    ]
    assert Certificate.objects.get(number="KRS-2027-000001").issued_on == datetime.date(2027, 1, 1)


@pytest.mark.parametrize(
    ("permit_days", "expected"),
    [
        (365, datetime.date(2027, 5, 4)),  # the permit ends first: the certificate ends with it
        (365 * 5, datetime.date(2028, 5, 4)),  # the programme's 24 months end first
    ],
)
def test_a_certificate_is_valid_for_the_programmes_months_but_never_beyond_the_permit(
    permit_days, expected
):
    with time_machine.travel(at(2026, 5, 4), tick=False):
        permit = build.issued(valid_days=permit_days)
        certificate = approve(permit.application, factories.approver())

    assert certificate.permit_case == permit.case
    assert certificate.valid_until == expected
    assert certificate.valid_until <= permit.case.valid_until


def test_a_certificate_issued_on_the_last_day_of_a_month_ends_on_the_last_day_of_its_month():
    with time_machine.travel(at(2026, 8, 31), tick=False):
        app = awaiting_cloth_mask(certificate_validity_months=6)

        certificate = approve(app.application, factories.approver())

    assert (certificate.issued_on, certificate.valid_until) == (
        datetime.date(2026, 8, 31),
        datetime.date(2027, 2, 28),
    )


def test_an_application_is_approved_only_once():
    app = awaiting_cloth_mask()
    approve(app.application, factories.approver())
    before = snapshot(app.application)

    message = refused(approve, app.application, factories.approver())

    assert message == "This action is not possible while the application is “Approved”."
    assert snapshot(app.application) == before
    assert Certificate.objects.count() == 1
    assert transitions_for(app.application).filter(transition="approve").count() == 1


# ---------------------------------------------------------------------------------------------
# Rejecting at approval


def test_rejecting_at_approval_needs_a_reason_and_is_recorded():
    app = awaiting_cloth_mask()
    approver = factories.approver()
    before = snapshot(app.application)
    for reason in ("", "  \n"):
        message = refused(
            services.reject_application_at_approval,
            application=app.application,
            by=approver,
            reason=reason,
        )
        assert message == "Give a reason."
        assert snapshot(app.application) == before

    services.reject_application_at_approval(
        application=app.application, by=approver, reason=" Harga tidak wajar. "
    )

    assert app.refresh().application.status == Application.Status.REJECTED
    assert log_of(app.application)[-1] == ("reject", approver.username, "Harga tidak wajar.")
    assert Certificate.objects.count() == 0
    assert refused(approve, app.application, factories.approver()) == (
        "This action is not possible while the application is “Rejected”."
    )


def test_the_four_eyes_rule_and_the_approver_role_apply_to_rejecting_as_well():
    checker = with_role(factories.staff(), "approver")
    permit = build.issued(checker=checker)  # checker verified every document
    screener = with_role(permit.officer, "approver")
    before = snapshot(permit.application)
    for user, reason in (
        (factories.staff(), APPROVERS_ONLY),
        (permit.owner, APPROVERS_ONLY),
        (screener, SCREENED),
        (checker, CHECKED),
    ):
        message = refused(
            services.reject_application_at_approval,
            application=permit.application,
            by=user,
            reason="Tidak layak.",
        )
        assert message == reason, user
        assert snapshot(permit.application) == before
