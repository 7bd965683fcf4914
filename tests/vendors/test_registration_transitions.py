"""Who may move a vendor's registration from which state to which, and what is recorded.

Every transition goes through ``vendors.services``; allowed ones leave a TransitionLog row and a
history row naming the actor, refused ones leave state, history and the log exactly as they were.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django_fsm import ConcurrentTransition

import audit.workflow
from audit.models import ChainHead, TransitionLog
from audit.selectors import transitions_for
from audit.signals import transition_committed
from audit.workflow import TransitionRefused, check_transition
from tests import factories
from vendors import services
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

REASON = "Foto KTP pemilik tidak terbaca; unggah ulang yang jelas."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people():
    return {
        "owner": factories.applicant(),
        "other_applicant": factories.applicant(),
        "staff": factories.staff(),
        "approver": factories.approver(),
        "curator": factories.curator(),
    }


def run(name, vendor, user, reason=REASON):
    """Run the service behind transition ``name`` as ``user``."""
    if name == "submit":
        return services.submit_vendor(vendor=vendor, by=user)
    if name == "verify":
        return services.verify_vendor(vendor=vendor, by=user, note=reason)
    service = {
        "return_for_changes": services.return_vendor,
        "reject": services.reject_vendor,
        "suspend": services.suspend_vendor,
        "reinstate": services.reinstate_vendor,
    }[name]
    return service(vendor=vendor, by=user, reason=reason)


# The path from a fresh draft to each state, through the services.
PATH_TO = {
    "draft": [],
    "submitted": ["submit"],
    "verified": ["submit", "verify"],
    "returned": ["submit", "return_for_changes"],
    "rejected": ["submit", "reject"],
    "suspended": ["submit", "verify", "suspend"],
}


def vendor_in(state, *, owner, officer):
    vendor = factories.vendor_ready_to_submit(owner=owner)
    for name in PATH_TO[state]:
        vendor = run(name, vendor, owner if name == "submit" else officer)
    vendor.refresh_from_db()
    assert vendor.status == state
    return vendor


def snapshot(vendor):
    """What a refused transition must not change."""
    fresh = Vendor.objects.get(pk=vendor.pk)
    head = ChainHead.objects.get(pk=1)
    return {
        "status": fresh.status,
        "submitted_at": fresh.submitted_at,
        "history": fresh.history.count(),
        "log": TransitionLog.objects.count(),
        "chain": (head.last_sequence, head.last_hash),
    }


def logs_of(vendor):
    return list(
        transitions_for(vendor).values_list(
            "transition", "source_state", "target_state", "actor_id", "note"
        )
    )


# ---------------------------------------------------------------------------------------------
# Allowed transitions record who did it


def test_owner_submits_draft_vendor_and_the_log_names_the_owner(people):
    owner = people["owner"]
    vendor = factories.vendor_ready_to_submit(owner=owner)
    history_before = vendor.history.count()

    services.submit_vendor(vendor=vendor, by=owner)

    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.SUBMITTED
    assert vendor.submitted_at is not None
    assert logs_of(vendor) == [("submit", "draft", "submitted", owner.pk, "")]
    entry = TransitionLog.objects.get()
    assert entry.actor_username == owner.username
    assert entry.hash == entry.compute_hash()
    assert vendor.history.count() == history_before + 1
    latest = vendor.history.first()
    assert latest.history_user == owner
    assert latest.status == Vendor.Status.SUBMITTED
    assert latest.history_change_reason == "submit"


def test_submission_is_announced_only_after_commit(people, django_capture_on_commit_callbacks):
    owner = people["owner"]
    vendor = factories.vendor_ready_to_submit(owner=owner)
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["name"], kwargs["actor"], kwargs["target"]))

    transition_committed.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_vendor(vendor=vendor, by=owner)
    finally:
        transition_committed.disconnect(receiver)

    assert received == [("submit", owner, "submitted")]


@pytest.mark.parametrize(
    ("name", "source", "target"),
    [
        ("verify", "submitted", "verified"),
        ("return_for_changes", "submitted", "returned"),
        ("reject", "submitted", "rejected"),
        ("suspend", "verified", "suspended"),
        ("reinstate", "suspended", "verified"),
    ],
)
def test_staff_review_moves_vendor_and_logs_staff_with_reason(people, name, source, target):
    officer = people["staff"]
    vendor = vendor_in(source, owner=people["owner"], officer=officer)
    before = snapshot(vendor)

    run(name, vendor, officer, reason=f"  {REASON}  ")

    vendor.refresh_from_db()
    assert vendor.status == target
    entry = TransitionLog.objects.order_by("-sequence").first()
    assert (entry.transition, entry.source_state, entry.target_state) == (name, source, target)
    assert entry.actor == officer
    assert entry.note == REASON, "the reason is stored stripped, word for word"
    assert TransitionLog.objects.count() == before["log"] + 1
    assert vendor.history.count() == before["history"] + 1
    latest = vendor.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == REASON[:100]


# ---------------------------------------------------------------------------------------------
# The role matrix: every transition × every role

ROLES = ["owner", "other_applicant", "staff", "approver", "curator"]
SOURCE_OF = {
    "submit": "draft",
    "verify": "submitted",
    "return_for_changes": "submitted",
    "reject": "submitted",
    "suspend": "verified",
    "reinstate": "suspended",
}
TARGET_OF = {
    "submit": "submitted",
    "verify": "verified",
    "return_for_changes": "returned",
    "reject": "rejected",
    "suspend": "suspended",
    "reinstate": "verified",
}
ALLOWED_ROLE = {name: ("owner" if name == "submit" else "staff") for name in SOURCE_OF}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(SOURCE_OF))
def test_each_transition_is_open_only_to_its_role(people, name, role):
    vendor = vendor_in(SOURCE_OF[name], owner=people["owner"], officer=people["staff"])
    user = people[role]
    before = snapshot(vendor)

    if role == ALLOWED_ROLE[name]:
        assert check_transition(vendor, name, user)
        run(name, vendor, user)
        vendor.refresh_from_db()
        assert vendor.status == TARGET_OF[name]
        assert TransitionLog.objects.order_by("-sequence").first().actor == user
        assert vendor.history.first().history_user == user
        return

    with translation.override("en"):
        decision = check_transition(vendor, name, user)
        with pytest.raises(TransitionRefused) as refused:
            run(name, vendor, user)
    assert not decision
    assert refused.value.reasons == decision.reasons
    if name == "submit":
        assert "owners" in refused.value.reasons[0]
    else:
        assert "staff" in refused.value.reasons[0]
    assert snapshot(vendor) == before


@pytest.mark.parametrize("name", ["verify", "return_for_changes", "reject"])
def test_applicant_cannot_review_own_vendor_and_is_told_staff_do_that(people, name):
    owner = people["owner"]
    vendor = vendor_in("submitted", owner=owner, officer=people["staff"])
    before = snapshot(vendor)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        run(name, vendor, owner)

    assert refused.value.reasons == ("Only ministry staff may verify, return or reject a vendor.",)
    assert snapshot(vendor) == before


def test_staff_cannot_submit_someone_elses_vendor(people):
    vendor = factories.vendor_ready_to_submit(owner=people["owner"])
    before = snapshot(vendor)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.submit_vendor(vendor=vendor, by=people["staff"])

    assert refused.value.reasons == ("Only the vendor's owners may submit it for verification.",)
    assert snapshot(vendor) == before


# ---------------------------------------------------------------------------------------------
# Conditions of submit: each missing piece is named


def test_submit_without_npwp_names_npwp_as_the_only_gap(people):
    owner = people["owner"]
    vendor = factories.vendor(owner=owner, npwp="")
    item = factories.product(vendor=vendor)
    services.add_product_photos(product=item, by=owner, uploads=[factories.upload()])
    before = snapshot(vendor)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.submit_vendor(vendor=vendor, by=owner)

    assert refused.value.reasons == ("NPWP is not filled in.",)
    assert snapshot(vendor) == before


def test_submit_of_a_bare_draft_lists_every_missing_detail_and_the_photo(people):
    owner = people["owner"]
    vendor = factories.vendor(owner=owner, complete=False)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.submit_vendor(vendor=vendor, by=owner)

    reasons = refused.value.reasons
    # Legal name is filled in; the 12 other required details and the photo are missing.
    assert len(reasons) == 13, reasons
    assert "Legal name is not filled in." not in reasons
    for field in ("NIB", "NPWP", "NIK", "Province", "Postal code", "Number of workers"):
        assert any(field in reason for reason in reasons), (field, reasons)
    assert "Add at least one product with a photo." in reasons
    assert Vendor.objects.get(pk=vendor.pk).status == Vendor.Status.DRAFT


def test_submit_without_photos_is_refused(people):
    owner = people["owner"]
    vendor = factories.vendor(owner=owner)
    factories.product(vendor=vendor)
    before = snapshot(vendor)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.submit_vendor(vendor=vendor, by=owner)

    assert refused.value.reasons == ("Add at least one product with a photo.",)
    assert snapshot(vendor) == before


def test_submit_with_unverified_email_is_refused(people):
    owner = factories.applicant(email_verified_at=None)
    vendor = factories.vendor_ready_to_submit(owner=owner)
    before = snapshot(vendor)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.submit_vendor(vendor=vendor, by=owner)

    assert len(refused.value.reasons) == 1
    assert "e-mail" in refused.value.reasons[0]
    assert snapshot(vendor) == before


# ---------------------------------------------------------------------------------------------
# Reasons


@pytest.mark.parametrize("name", ["return_for_changes", "reject", "suspend", "reinstate"])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_review_that_needs_a_reason_is_refused_without_one(people, name, reason):
    officer = people["staff"]
    vendor = vendor_in(SOURCE_OF[name], owner=people["owner"], officer=officer)
    before = snapshot(vendor)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        run(name, vendor, officer, reason=reason)

    assert refused.value.reasons == ("Give a reason the applicant can act on.",)
    assert snapshot(vendor) == before


def test_verify_needs_no_reason(people):
    officer = people["staff"]
    vendor = vendor_in("submitted", owner=people["owner"], officer=officer)

    services.verify_vendor(vendor=vendor, by=officer)

    assert Vendor.objects.get(pk=vendor.pk).status == Vendor.Status.VERIFIED
    assert TransitionLog.objects.order_by("-sequence").first().note == ""


# ---------------------------------------------------------------------------------------------
# Life cycle


def test_returned_vendor_can_be_edited_and_resubmitted(people):
    owner, officer = people["owner"], people["staff"]
    vendor = vendor_in("submitted", owner=owner, officer=officer)

    with translation.override("en"), pytest.raises(PermissionDenied):
        services.update_vendor(vendor=vendor, by=owner, phone="+6281234560002")

    services.return_vendor(vendor=vendor, by=officer, reason=REASON)
    vendor.refresh_from_db()
    services.update_vendor(vendor=vendor, by=owner, phone="+6281234560002")
    services.submit_vendor(vendor=vendor, by=owner)

    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.SUBMITTED
    assert vendor.phone == "+6281234560002"
    assert logs_of(vendor) == [
        ("submit", "draft", "submitted", owner.pk, ""),
        ("return_for_changes", "submitted", "returned", officer.pk, REASON),
        ("submit", "returned", "submitted", owner.pk, ""),
    ]
    edit = vendor.history.filter(phone="+6281234560002").order_by("history_id").first()
    assert edit.history_user == owner
    assert edit.status == Vendor.Status.RETURNED


def test_rejected_vendor_is_final(people):
    owner, officer = people["owner"], people["staff"]
    vendor = vendor_in("rejected", owner=owner, officer=officer)
    before = snapshot(vendor)

    with translation.override("en"):
        for name in SOURCE_OF:
            actor = owner if name == "submit" else officer
            decision = check_transition(vendor, name, actor)
            assert not decision, name
            assert "Rejected" in decision.reason, (name, decision.reason)
            with pytest.raises(TransitionRefused):
                run(name, vendor, actor)
        with pytest.raises(PermissionDenied):
            services.update_vendor(vendor=vendor, by=owner, legal_name="CV Baru")
        with pytest.raises(PermissionDenied):
            services.save_product(vendor=vendor, by=owner, name="Masker baru")

    assert snapshot(vendor) == before
    assert Vendor.objects.get(pk=vendor.pk).legal_name == "CV Uji Coba"


def test_suspended_vendor_is_reinstated_with_both_reasons_logged(people):
    owner, officer = people["owner"], people["staff"]
    vendor = vendor_in("verified", owner=owner, officer=officer)

    services.suspend_vendor(vendor=vendor, by=officer, reason="Aduan pembeli sedang diperiksa.")
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.SUSPENDED
    with pytest.raises(PermissionDenied):
        services.save_product(vendor=vendor, by=owner, name="Masker baru")

    services.reinstate_vendor(vendor=vendor, by=officer, reason="Aduan tidak terbukti.")
    vendor.refresh_from_db()
    assert vendor.status == Vendor.Status.VERIFIED
    assert logs_of(vendor)[-2:] == [
        ("suspend", "verified", "suspended", officer.pk, "Aduan pembeli sedang diperiksa."),
        ("reinstate", "suspended", "verified", officer.pk, "Aduan tidak terbukti."),
    ]


def test_second_submit_is_refused_with_a_clear_reason(people):
    owner = people["owner"]
    vendor = vendor_in("submitted", owner=owner, officer=people["staff"])
    before = snapshot(vendor)

    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.submit_vendor(vendor=vendor, by=owner)

    assert refused.value.reasons == (
        "This action is not possible while the vendor is “Submitted”.",
    )
    assert snapshot(vendor) == before


# ---------------------------------------------------------------------------------------------
# Races and failures


def test_second_officer_acting_on_a_stale_page_is_refused_not_double_logged(people):
    owner, officer = people["owner"], people["staff"]
    second_officer = factories.staff()
    vendor = vendor_in("submitted", owner=owner, officer=officer)
    first_view = Vendor.objects.get(pk=vendor.pk)
    second_view = Vendor.objects.get(pk=vendor.pk)

    services.verify_vendor(vendor=first_view, by=officer)
    after_first = snapshot(vendor)
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        services.reject_vendor(vendor=second_view, by=second_officer, reason=REASON)

    assert "Verified" in refused.value.reasons[0]
    assert snapshot(vendor) == after_first
    assert Vendor.objects.get(pk=vendor.pk).status == Vendor.Status.VERIFIED
    assert [row[0] for row in logs_of(vendor)] == ["submit", "verify"]


def test_same_action_pressed_twice_from_stale_pages_is_logged_once(people):
    owner, officer = people["owner"], people["staff"]
    vendor = vendor_in("submitted", owner=owner, officer=officer)
    first_view = Vendor.objects.get(pk=vendor.pk)
    second_view = Vendor.objects.get(pk=vendor.pk)

    services.verify_vendor(vendor=first_view, by=officer)
    with pytest.raises(TransitionRefused):
        services.verify_vendor(vendor=second_view, by=officer)

    assert [row[0] for row in logs_of(vendor)] == ["submit", "verify"]
    assert vendor.history.filter(status=Vendor.Status.VERIFIED).count() == 1


def test_failure_after_the_transition_rolls_back_state_history_and_log(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    owner = people["owner"]
    vendor = factories.vendor_ready_to_submit(owner=owner)
    before = snapshot(vendor)
    real_record = audit.workflow.record_transition
    written = []

    def record_then_fail(**kwargs):
        written.append(real_record(**kwargs))
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit.workflow, "record_transition", record_then_fail)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        services.submit_vendor(vendor=vendor, by=owner)

    assert len(written) == 1, "the log row was written inside the transaction"
    assert snapshot(vendor) == before
    assert not TransitionLog.objects.filter(pk=written[0].pk).exists()
    assert Vendor.objects.get(pk=vendor.pk).submitted_at is None
    assert callbacks == [], "nothing is announced for a rolled-back transition"

    monkeypatch.undo()
    services.submit_vendor(vendor=vendor, by=owner)
    entry = TransitionLog.objects.get()
    assert entry.sequence == before["chain"][0] + 1
    assert entry.prev_hash == before["chain"][1], "the chain continues where it stood"


def test_edit_from_a_page_loaded_before_submission_does_not_overwrite_submitted_details(people):
    owner = people["owner"]
    vendor = factories.vendor_ready_to_submit(owner=owner)
    stale = Vendor.objects.get(pk=vendor.pk)
    services.submit_vendor(vendor=vendor, by=owner)
    before = snapshot(vendor)

    with pytest.raises((ConcurrentTransition, PermissionDenied)):
        services.update_vendor(vendor=stale, by=owner, legal_name="CV Diubah Diam-diam")

    assert Vendor.objects.get(pk=vendor.pk).legal_name == "CV Uji Coba"
    assert snapshot(vendor) == before
