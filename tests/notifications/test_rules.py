"""Who is told what, for every transition and event: each case drives the real service as the
real role, lets the commit callbacks run, and compares the notifications created (recipient and
kind), their message and the e-mails sent with what the rule says.

Around every case stand people who must hear nothing: an inactive staff officer, an inactive
approver, an inactive co-owner of the vendor and an applicant of another vendor.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from certification import services as certification
from certification.models import ChecklistItem, InfoRequest, PermitCase
from curation import services as curation
from notifications.kinds import KINDS
from notifications.models import Notification, OutgoingEmail
from tests import factories
from tests.certification import permit_builders
from tests.curation import builders
from vendors import services as vendors
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

REASON = "Foto label kurang jelas."


@dataclass
class Crowd:
    staff: User
    inactive_staff: User
    approver: User
    inactive_approver: User
    bystander: User


@pytest.fixture(autouse=True)
def crowd() -> Crowd:
    bystander = factories.applicant()
    factories.vendor(owner=bystander, legal_name="CV Tetangga", trading_name="Tetangga")
    return Crowd(
        staff=factories.staff(),
        inactive_staff=factories.staff(is_active=False),
        approver=factories.approver(),
        inactive_approver=factories.approver(is_active=False),
        bystander=bystander,
    )


def members(role: str) -> set[User]:
    return set(User.objects.filter(groups__name=role, is_active=True))


def owners(vendor: Vendor) -> set[User]:
    """The vendor's active owners after adding an active and an inactive co-owner."""
    vendor.owners.add(factories.applicant(), factories.applicant(is_active=False))
    return set(vendor.owners.filter(is_active=True))


@dataclass
class Happening:
    action: Callable[[], object]
    actor: User
    kind: str
    recipients: set[User]
    says: tuple[str, ...] = ()


SCENARIOS: dict[str, Callable[[], Happening]] = {}


def scenario(name: str):
    def register(build: Callable[[], Happening]):
        SCENARIOS[name] = build
        return build

    return register


# Vendors


def _submitted_vendor() -> tuple[Vendor, User]:
    owner = factories.applicant()
    vendor = factories.vendor_ready_to_submit(owner=owner)
    return vendors.submit_vendor(vendor=vendor, by=owner), owner


@scenario("vendor submitted → staff")
def _():
    owner = factories.applicant()
    vendor = factories.vendor_ready_to_submit(owner=owner)
    return Happening(
        lambda: vendors.submit_vendor(vendor=vendor, by=owner),
        owner,
        "vendor_submitted",
        members("staff"),
        ("Uji asks to be verified", "Jawa Barat"),
    )


@scenario("vendor verified → its owners")
def _():
    vendor, _owner = _submitted_vendor()
    officer = factories.staff()
    return Happening(
        lambda: vendors.verify_vendor(vendor=vendor, by=officer),
        officer,
        "vendor_verified",
        owners(vendor),
        ("Uji is verified",),
    )


@scenario("vendor returned → its owners")
def _():
    vendor, _owner = _submitted_vendor()
    officer = factories.staff()
    return Happening(
        lambda: vendors.return_vendor(vendor=vendor, by=officer, reason=REASON),
        officer,
        "vendor_returned",
        owners(vendor),
        ("Uji: changes needed", REASON),
    )


@scenario("vendor rejected → its owners")
def _():
    vendor, _owner = _submitted_vendor()
    officer = factories.staff()
    return Happening(
        lambda: vendors.reject_vendor(vendor=vendor, by=officer, reason=REASON),
        officer,
        "vendor_rejected",
        owners(vendor),
        ("Uji was not accepted", REASON),
    )


# Applications: submission and screening


@scenario("application submitted → staff")
def _():
    case = builders.draft()
    return Happening(
        lambda: curation.submit_application(application=case.application, by=case.owner),
        case.owner,
        "application_submitted",
        members("staff"),
        (f"New application {case.application.reference}", "Masker kain 3 lapis"),
    )


@scenario("application resubmitted → staff")
def _():
    case = builders.returned()
    return Happening(
        lambda: curation.submit_application(application=case.application, by=case.owner),
        case.owner,
        "application_submitted",
        members("staff"),
        (f"New application {case.application.reference}",),
    )


@scenario("application returned → its owners")
def _():
    case = builders.submitted()
    return Happening(
        lambda: curation.return_application(
            application=case.application, by=case.officer, reason=REASON
        ),
        case.officer,
        "application_returned",
        owners(case.vendor),
        (f"{case.application.reference} returned for changes", REASON),
    )


@scenario("application rejected at screening → its owners")
def _():
    case = builders.submitted()
    return Happening(
        lambda: curation.reject_application(
            application=case.application, by=case.officer, reason=REASON
        ),
        case.officer,
        "application_rejected",
        owners(case.vendor),
        (f"{case.application.reference} rejected", REASON),
    )


@scenario("application rejected at approval → its owners")
def _():
    case = builders.awaiting_approval()
    approver = factories.approver()
    return Happening(
        lambda: certification.reject_application_at_approval(
            application=case.application, by=approver, reason=REASON
        ),
        approver,
        "application_rejected",
        owners(case.vendor),
        (f"{case.application.reference} rejected", REASON),
    )


@scenario("permit refused → application rejected → its owners")
def _():
    permit = permit_builders.under_review()
    return Happening(
        lambda: certification.refuse_permit(case=permit.case, by=permit.officer, reason=REASON),
        permit.officer,
        "application_rejected",
        owners(permit.app.vendor),
        (REASON,),
    )


@scenario("sample requested → its owners")
def _():
    case = builders.submitted()
    return Happening(
        lambda: curation.request_sample(
            application=case.application, by=case.officer, instructions="Kirim ke Gedung B."
        ),
        case.officer,
        "sample_requested",
        owners(case.vendor),
        ("Please send a sample of Masker kain 3 lapis", "Kirim ke Gedung B."),
    )


# Curation


@scenario("curator assigned → that curator")
def _():
    case = builders.sample_requested(assign=False)
    curator = case.curators[0]
    return Happening(
        lambda: curation.assign_curator(
            application=case.application, curator=curator, by=case.officer
        ),
        case.officer,
        "curator_assigned",
        {curator.user},
        (f"New assignment: {case.application.reference}", "Cloth mask"),
    )


@scenario("sample shipped → staff and the assigned curators")
def _():
    case = builders.sample_requested()
    assigned = {a.curator.user for a in case.assignments}
    return Happening(
        lambda: curation.record_shipment(
            sample=case.sample,
            by=case.owner,
            courier="JNE",
            tracking_number="JN0012345",
            shipped_on=timezone.localdate(),
        ),
        case.owner,
        "sample_shipped",
        members("staff") | assigned,
        (f"Sample for {case.application.reference} shipped", "JNE JN0012345"),
    )


def _last_scoresheet(value: int) -> Happening:
    case = builders.in_curation()
    first, last = case.assignments
    curation.submit_scores(
        assignment=first, by=first.curator.user, values=builders.sheet(case.rubric, value)
    )
    return Happening(
        lambda: curation.submit_scores(
            assignment=last, by=last.curator.user, values=builders.sheet(case.rubric, value)
        ),
        builders.system(),
        "curation_decided",
        members("staff"),
        (f"Curation of {case.application.reference} is complete",),
    )


@scenario("curation decided: passed → staff")
def _():
    happening = _last_scoresheet(builders.GOOD)
    happening.says += ("“Passed curation”",)
    return happening


@scenario("curation decided: not passed → staff")
def _():
    happening = _last_scoresheet(builders.POOR)
    happening.says += ("“Failed curation”",)
    return happening


@scenario("result released: passed → its owners")
def _():
    case = builders.passed()
    return Happening(
        lambda: curation.release_result(application=case.application, by=case.officer),
        case.officer,
        "curation_passed",
        owners(case.vendor),
        ("Masker kain 3 lapis passed curation",),
    )


@scenario("result released: not passed → its owners")
def _():
    case = builders.curation_failed()
    return Happening(
        lambda: curation.release_result(application=case.application, by=case.officer),
        case.officer,
        "curation_failed",
        owners(case.vendor),
        ("Masker kain 3 lapis did not pass curation",),
    )


# Permit case and approval


@scenario("passed without a permit → approvers")
def _():
    case = builders.passed()
    return Happening(
        lambda: certification.skip_permit(application=case.application, by=case.officer),
        case.officer,
        "awaiting_approval",
        members("approver"),
        (f"{case.application.reference} awaits approval", "Uji"),
    )


@scenario("permit issued → approvers")
def _():
    permit = permit_builders.under_review()
    today = timezone.localdate()
    return Happening(
        lambda: certification.issue_permit(
            case=permit.case,
            by=permit.officer,
            permit_number=permit_builders.permit_number(),
            issued_on=today,
            valid_until=today + datetime.timedelta(days=365),
        ),
        permit.officer,
        "awaiting_approval",
        members("approver"),
        (f"{permit.application.reference} awaits approval",),
    )


@scenario("permit information requested → its owners")
def _():
    permit = permit_builders.under_review()
    due_on = datetime.date.today() + datetime.timedelta(days=14)
    return Happening(
        lambda: certification.request_permit_info(
            case=permit.case, by=permit.officer, message="Lampirkan uji BFE.", due_on=due_on
        ),
        permit.officer,
        "permit_info_requested",
        owners(permit.app.vendor),
        ("Lampirkan uji BFE.", f"{due_on.day} {due_on:%B %Y}"),
    )


@scenario("permit document uploaded → staff")
def _():
    permit = permit_builders.opened()
    item = ChecklistItem.objects.filter(kind=permit.case.kind).order_by("position").first()
    return Happening(
        lambda: certification.upload_document(
            case=permit.case, item=item, by=permit.owner, upload=permit_builders.pdf_upload()
        ),
        permit.owner,
        "document_uploaded",
        members("staff"),
        (f"Document uploaded for {permit.app.product.name}", item.name),
    )


@scenario("permit information answered → staff")
def _():
    permit = permit_builders.info_requested()
    request = InfoRequest.objects.get(case=permit.case)
    return Happening(
        lambda: certification.respond_to_info_request(
            request=request, by=permit.owner, response="Hasil uji terlampir."
        ),
        permit.owner,
        "permit_info_answered",
        members("staff"),
        ("Uji answered", "Hasil uji terlampir."),
    )


@scenario("application approved → its owners, with the certificate number")
def _():
    case = builders.awaiting_approval()
    approver = factories.approver()
    return Happening(
        lambda: certification.approve_application(application=case.application, by=approver),
        approver,
        "application_approved",
        owners(case.vendor),
        ("Masker kain 3 lapis is approved", f"KRS-{timezone.localdate().year}-"),
    )


# Certificates


def _certificate_change(name: str, kind: str, says: str, *, suspended=False) -> Happening:
    certificate = permit_builders.certified()
    approver = factories.approver()
    if suspended:
        certification.suspend_certificate(certificate=certificate, by=approver, reason="Audit.")
    call = {
        "suspend": certification.suspend_certificate,
        "reinstate": certification.reinstate_certificate,
        "revoke": certification.revoke_certificate,
    }[name]
    return Happening(
        lambda: call(certificate=certificate, by=approver, reason=REASON),
        approver,
        kind,
        owners(certificate.vendor),
        (f"Certificate {certificate.number} {says}",),
    )


@scenario("certificate suspended → its owners")
def _():
    happening = _certificate_change("suspend", "certificate_suspended", "suspended")
    happening.says += (REASON,)
    return happening


@scenario("certificate reinstated → its owners")
def _():
    return _certificate_change("reinstate", "certificate_reinstated", "reinstated", suspended=True)


@scenario("certificate revoked → its owners")
def _():
    happening = _certificate_change("revoke", "certificate_revoked", "revoked")
    happening.says += (REASON,)
    return happening


@scenario("certificate revoked while suspended → its owners")
def _():
    return _certificate_change("revoke", "certificate_revoked", "revoked", suspended=True)


@scenario("certificate expired → its owners")
def _():
    certificate = permit_builders.certified()
    after = certificate.valid_until + datetime.timedelta(days=1)

    def expire():
        with time_machine.travel(permit_builders.at(after.year, after.month, after.day)):
            certification.expire_due()

    return Happening(
        expire,
        builders.system(),
        "certificate_expired",
        owners(certificate.vendor),
        (f"Certificate {certificate.number} expired",),
    )


def rendered(notification: Notification, language: str = "en") -> str:
    with translation.override(language):
        return " ".join(KINDS[notification.kind].render(notification.params))


def assert_every_parameter_given(notification: Notification) -> None:
    """Render without the lenient "?" for a missing parameter: a missing one raises KeyError."""
    kind = KINDS[notification.kind]
    values = kind._values(notification.params)
    with translation.override("en"):
        str(kind.title) % values
        str(kind.body) % values


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_change_tells_exactly_the_people_whose_turn_it_is(
    name, crowd, django_capture_on_commit_callbacks
):
    happening = SCENARIOS[name]()
    assert not Notification.objects.exists()  # building the state told nobody yet
    with django_capture_on_commit_callbacks(execute=True):
        happening.action()

    expected = happening.recipients - {happening.actor}
    assert expected, "a rule that tells nobody proves nothing"
    created = list(Notification.objects.select_related("recipient"))
    assert sorted((n.recipient.username, n.kind) for n in created) == sorted(
        (user.username, happening.kind) for user in expected
    )
    told = {n.recipient for n in created}
    for silent in (crowd.inactive_staff, crowd.inactive_approver, crowd.bystander):
        assert silent not in told
    assert all(n.actor == happening.actor for n in created)
    for notification in created:
        text = rendered(notification)
        for fragment in happening.says:
            assert fragment in text, (fragment, text)
        assert_every_parameter_given(notification)
    # One e-mail to each recipient, delivered at once.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in expected)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


QUIET = {
    "application withdrawn": lambda case: curation.withdraw_application(
        application=case.application, by=case.owner
    ),
    "sample received": lambda case: curation.record_sample_receipt(
        sample=case.sample,
        by=case.assignments[0].curator.user,
        quantity_received=5,
        condition="good",
    ),
}


@pytest.mark.parametrize("name", QUIET)
def test_steps_nobody_waits_on_tell_nobody(name, django_capture_on_commit_callbacks):
    case = builders.sample_requested()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        QUIET[name](case)
    assert callbacks  # the transition did announce itself
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_permit_case_opening_and_review_tell_nobody(django_capture_on_commit_callbacks):
    permit = permit_builders.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        certification.start_permit_review(case=permit.case, by=permit.officer)
    assert PermitCase.objects.get(pk=permit.case.pk).status == PermitCase.Status.UNDER_REVIEW
    assert not Notification.objects.exists()


def test_the_person_who_acted_is_not_told_of_their_own_action(
    crowd, django_capture_on_commit_callbacks
):
    # An officer who also owns a business submits it: the other officers hear of it, not them.
    owner = permit_builders.with_role(factories.applicant(), "staff")
    vendor = factories.vendor_ready_to_submit(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        vendors.submit_vendor(vendor=vendor, by=owner)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert crowd.staff.username in told
    assert owner.username not in told
    assert owner.email not in [m.to[0] for m in mail.outbox]


def test_a_curator_learns_of_an_assignment_without_the_vendors_name(
    django_capture_on_commit_callbacks,
):
    case = builders.sample_requested(assign=False)
    Vendor.objects.filter(pk=case.vendor.pk).update(
        legal_name="CV Sinar Rahasia", trading_name="Sinar Rahasia"
    )
    curator = case.curators[0].user
    with django_capture_on_commit_callbacks(execute=True):
        curation.assign_curator(
            application=case.application, curator=case.curators[0], by=case.officer
        )
    notification = Notification.objects.get(recipient=curator)
    email = OutgoingEmail.objects.get(recipient=curator)
    for text in (
        rendered(notification, "en"),
        rendered(notification, "id"),
        email.subject,
        email.body_text,
        email.body_html,
        str(notification.params),
    ):
        assert "Sinar Rahasia" not in text
    assert case.application.reference in email.subject


def test_curators_learn_of_the_shipped_sample_without_the_vendors_name(
    django_capture_on_commit_callbacks,
):
    case = builders.sample_requested()
    Vendor.objects.filter(pk=case.vendor.pk).update(
        legal_name="CV Sinar Rahasia", trading_name="Sinar Rahasia"
    )
    with django_capture_on_commit_callbacks(execute=True):
        curation.record_shipment(
            sample=case.sample,
            by=case.owner,
            courier="JNE",
            tracking_number="JN0012345",
            shipped_on=timezone.localdate(),
        )
    curators = [a.curator.user for a in case.assignments]
    notifications = Notification.objects.filter(recipient__in=curators)
    assert notifications.count() == len(curators) == 2
    for notification in notifications:
        assert "JN0012345" in rendered(notification)
        assert "Sinar Rahasia" not in rendered(notification, "en")
        assert "Sinar Rahasia" not in rendered(notification, "id")
        assert "Sinar Rahasia" not in str(notification.params)
    for email in OutgoingEmail.objects.filter(recipient__in=curators):
        assert "Sinar Rahasia" not in email.subject + email.body_text + email.body_html


def test_nobody_is_told_when_the_transition_rolls_back(django_capture_on_commit_callbacks):
    case = builders.submitted()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        curation.return_application(application=case.application, by=case.officer, reason=REASON)
        raise RuntimeError("the request failed after the transition")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []
