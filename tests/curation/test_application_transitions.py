"""Who may move an application from which state to which, what is recorded, and why a
submission is refused.

Everything goes through ``curation.services``. An allowed transition leaves a TransitionLog row
naming the actor (with the reason as note) and a history row; a refused one says why and leaves
state, log, history, samples, assignments and scores exactly as they were.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from accounts.system import system_user
from audit.models import TransitionLog
from audit.workflow import TransitionRefused, check_transition, perform_transition
from curation import services
from curation.models import Application, Assignment, Sample
from tests import factories
from tests.curation import builders
from tests.curation.builders import last_log, log_of, snapshot
from vendors import services as vendor_services
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

REASON = "Foto label tidak terbaca; unggah ulang yang jelas."
OWNERS_ONLY = "Only the vendor's owners may do this."
STAFF_ONLY = "Only ministry staff may screen applications."
ASSIGNED_CURATOR_ONLY = "Only a curator assigned to this application may record the sample."
FROM_SCORES = "The curation result is computed from the scores, not set by hand."


def actor(role, case):
    if role == "owner":
        return case.owner
    if role == "other_applicant":
        return factories.applicant()
    if role == "staff":
        return case.officer
    if role == "approver":
        return factories.approver()
    if role == "curator":  # assigned when the application has curators, else one of the assessor's
        return case.assignments[0].curator.user if case.assignments else case.curators[0].user
    if role == "unassigned_curator":
        return builders.extra_curator(case.programme.assessor).user
    if role == "system":
        return system_user()
    raise AssertionError(role)


def run(name, case, user, reason=REASON):
    """Run the service behind transition ``name`` as ``user``, in English."""
    application = case.application
    with translation.override("en"):
        if name in ("submit", "resubmit"):
            return services.submit_application(application=application, by=user)
        if name == "withdraw":
            return services.withdraw_application(application=application, by=user, reason=reason)
        if name == "return_for_changes":
            return services.return_application(application=application, by=user, reason=reason)
        if name == "reject":
            return services.reject_application(application=application, by=user, reason=reason)
        if name == "request_sample":
            return services.request_sample(application=application, by=user)
        if name == "receive_sample":
            return services.record_sample_receipt(
                sample=case.sample, by=user, quantity_received=5, condition="good"
            )
        if name == "allow_revision":
            return services.allow_revision(application=application, by=user, note=reason)
        if name in ("pass_curation", "fail_curation"):
            return perform_transition(application, name, by=user)
    raise AssertionError(name)


def refused(call, *args, **kwargs):
    """Run ``call``; return the refusal's message (the call must be refused)."""
    with translation.override("en"), pytest.raises((TransitionRefused, PermissionDenied)) as info:
        call(*args, **kwargs)
    return str(info.value)


# ---------------------------------------------------------------------------------------------
# The role matrix

SOURCE = {
    "submit": "draft",
    "resubmit": "returned",
    "withdraw": "submitted",
    "return_for_changes": "submitted",
    "reject": "submitted",
    "request_sample": "submitted",
    "receive_sample": "sample_requested",
    "allow_revision": "curation_failed",
}
TARGET = {
    "submit": "submitted",
    "resubmit": "submitted",
    "withdraw": "withdrawn",
    "return_for_changes": "returned",
    "reject": "rejected",
    "request_sample": "sample_requested",
    "receive_sample": "in_curation",
    "allow_revision": "draft",
}
ALLOWED = {
    "submit": "owner",
    "resubmit": "owner",
    "withdraw": "owner",
    "return_for_changes": "staff",
    "reject": "staff",
    "request_sample": "staff",
    "receive_sample": "curator",
    "allow_revision": "staff",
}
REFUSAL = {
    "submit": OWNERS_ONLY,
    "resubmit": OWNERS_ONLY,
    "withdraw": OWNERS_ONLY,
    "return_for_changes": STAFF_ONLY,
    "reject": STAFF_ONLY,
    "request_sample": STAFF_ONLY,
    "receive_sample": ASSIGNED_CURATOR_ONLY,
    "allow_revision": STAFF_ONLY,
}
ROLES = ["owner", "other_applicant", "staff", "approver", "curator", "unassigned_curator", "system"]


def expected_note(name, case):
    if name in ("submit", "resubmit", "receive_sample"):
        return ""
    if name == "request_sample":
        return f"5 units to {case.programme.assessor}"
    return REASON


@pytest.mark.parametrize("name", list(SOURCE))
def test_each_application_transition_is_done_by_its_role_and_logged(name):
    case = builders.build(SOURCE[name])
    user = actor(ALLOWED[name], case)
    before = snapshot(case.application)

    run(name, case, user)

    case.refresh()
    assert case.application.status == TARGET[name]
    entry = last_log(case.application)
    assert (entry.transition, entry.source_state, entry.target_state) == (
        name,
        SOURCE[name],
        TARGET[name],
    )
    assert entry.actor_username == user.username
    assert entry.note == expected_note(name, case)
    latest = case.application.history.first()
    assert latest.history_user == user
    assert latest.status == TARGET[name]
    assert latest.history_change_reason == (entry.note[:100] or name)
    assert case.application.history.count() > before["application_history"]


@pytest.mark.parametrize(
    ("name", "role"), [(n, r) for n in SOURCE for r in ROLES if r != ALLOWED[n]]
)
def test_an_application_transition_is_refused_to_every_other_role(name, role):
    case = builders.build(SOURCE[name])
    user = actor(role, case)
    before = snapshot(case.application)

    message = refused(run, name, case, user)

    assert message == REFUSAL[name]
    assert snapshot(case.application) == before


@pytest.mark.parametrize("name", ["pass_curation", "fail_curation"])
@pytest.mark.parametrize("role", ["staff", "curator", "owner", "approver"])
def test_nobody_can_pass_or_fail_curation_by_hand(name, role):
    case = builders.build("in_curation")
    user = actor(role, case)
    before = snapshot(case.application)

    assert refused(run, name, case, user) == FROM_SCORES
    assert snapshot(case.application) == before


def test_even_the_system_cannot_decide_before_every_curator_has_submitted():
    case = builders.build("in_curation")
    before = snapshot(case.application)

    message = refused(run, "pass_curation", case, system_user())

    assert message == "Not every assigned curator has submitted scores."
    assert snapshot(case.application) == before


def test_sample_receipt_logs_both_the_sample_and_the_application_under_the_curator():
    case = builders.build("sample_requested")
    curator_user = case.assignments[1].curator.user  # any assigned curator may record it

    with translation.override("en"):
        services.record_sample_receipt(
            sample=case.sample,
            by=curator_user,
            quantity_received=4,
            condition="damaged",
            notes=" Satu unit sobek ",
        )

    case.refresh()
    assert case.application.status == "in_curation"
    assert case.sample.status == "received"
    assert log_of(case.sample)[-1] == ("receive", curator_user.username, "Satu unit sobek")
    assert log_of(case.application)[-1] == ("receive_sample", curator_user.username, "")


def test_the_assessors_lead_may_record_the_sample_without_being_assigned():
    case = builders.sample_requested(assign=False)
    lead = case.programme.assessor.lead

    services.record_sample_receipt(
        sample=case.sample, by=lead, quantity_received=5, condition="good"
    )

    case.refresh()
    assert case.application.status == "in_curation"
    assert log_of(case.application)[-1] == ("receive_sample", lead.username, "")


# ---------------------------------------------------------------------------------------------
# Reasons and the assessor


@pytest.mark.parametrize("name", ["return_for_changes", "reject"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_or_rejecting_needs_a_reason_the_applicant_can_act_on(name, reason):
    case = builders.build("submitted")
    before = snapshot(case.application)

    message = refused(run, name, case, case.officer, reason=reason)

    assert message == "Give a reason the applicant can act on."
    assert snapshot(case.application) == before


def test_the_reason_is_stored_word_for_word_without_surrounding_spaces():
    case = builders.build("submitted")

    run("reject", case, case.officer, reason=f"  {REASON}\n")

    case.refresh()
    assert log_of(case.application)[-1] == ("reject", case.officer.username, REASON)
    assert case.application.history.first().history_change_reason == REASON[:100]


def test_requesting_a_sample_without_an_assessor_is_refused_and_changes_nothing():
    case = builders.submitted(assessor=None)
    assert case.application.assessor is None
    before = snapshot(case.application)

    message = refused(services.request_sample, application=case.application, by=case.officer)

    assert message == "Choose the assessor organisation first."
    assert snapshot(case.application) == before
    assert not Sample.objects.filter(application=case.application).exists()
    case.refresh()
    assert case.application.assessor_id is None


def test_requesting_a_sample_can_name_the_assessor_when_the_programme_has_none():
    case = builders.submitted(assessor=None)
    organisation = factories.assessor(curators=1)

    sample = services.request_sample(
        application=case.application, by=case.officer, quantity=3, assessor=organisation
    )

    case.refresh()
    assert case.application.status == "sample_requested"
    assert case.application.assessor == organisation
    assert sample.quantity_requested == 3
    assert sample.status == "requested"
    assert case.application.history.first().history_user == case.officer


def test_a_refused_sample_request_keeps_the_assessor_it_would_have_set():
    case = builders.draft()  # still a draft: request_sample is not possible
    before = snapshot(case.application)
    assert before["assessor"] is None

    message = refused(services.request_sample, application=case.application, by=case.officer)

    assert message == "This action is not possible while the application is “Draft”."
    assert snapshot(case.application) == before


def test_requesting_a_sample_for_zero_units_is_refused():
    case = builders.build("submitted")
    before = snapshot(case.application)

    message = refused(
        services.request_sample, application=case.application, by=case.officer, quantity=0
    )

    assert message == "Ask for at least one unit."
    assert snapshot(case.application) == before


# ---------------------------------------------------------------------------------------------
# Revisions


def test_staff_allow_a_revision_and_the_attempt_is_counted():
    case = builders.build("curation_failed", max_revisions=2)
    assert case.application.decision["outcome"] == "failed"

    services.allow_revision(application=case.application, by=case.officer, note="Perbaiki jahitan")

    case.refresh()
    assert case.application.status == "draft"
    assert case.application.revision_count == 1
    assert case.application.decision == {}
    assert case.application.needs_moderation is False
    assert log_of(case.application)[-1] == (
        "allow_revision",
        case.officer.username,
        "Perbaiki jahitan",
    )


def test_no_revision_is_allowed_when_the_programme_allows_none():
    case = builders.build("curation_failed", max_revisions=0)
    before = snapshot(case.application)

    message = refused(services.allow_revision, application=case.application, by=case.officer)

    assert message == "No revision attempts are left in this programme."
    assert snapshot(case.application) == before


def test_a_revised_application_goes_through_a_fresh_curation_round_until_revisions_run_out():
    case = builders.build("curation_failed", max_revisions=1, curators_per_application=1)
    first_round = case.assignments[0]

    services.allow_revision(application=case.application, by=case.officer)
    case.refresh()
    services.submit_application(application=case.application, by=case.owner)
    sample = services.request_sample(application=case.application, by=case.officer)

    # The first round's curator is off the application (kept, with its reason) ...
    first_round.refresh_from_db()
    assert first_round.ended_at is not None
    assert first_round.end_reason == translation.gettext(
        "Revision %(n)s: a new curation round."
    ) % {"n": 1}
    assert first_round.scores.count() == 11, "the first round's scores are kept"
    # ... so a curator can be assigned for the second round, and score it.
    new = services.assign_curator(
        application=case.application, curator=case.curators[1], by=case.officer
    )
    services.record_sample_receipt(
        sample=sample, by=new.curator.user, quantity_received=5, condition="good"
    )
    new = services.declare_no_conflict(assignment=new, by=new.curator.user)
    case.refresh()
    assert case.application.status == "in_curation", "not decided from the old round"
    services.submit_scores(
        assignment=new,
        by=new.curator.user,
        values=builders.sheet(case.rubric, builders.POOR),
    )

    case.refresh()
    assert case.application.status == "curation_failed"
    assert [c["total"] for c in case.application.decision["curators"]] == [20.0]
    before = snapshot(case.application)
    message = refused(services.allow_revision, application=case.application, by=case.officer)
    assert message == "No revision attempts are left in this programme."
    assert snapshot(case.application) == before
    assert case.application.revision_count == 1


def test_the_first_rounds_curator_may_score_the_revision_again():
    case = builders.build("curation_failed", curators_per_application=1)
    services.allow_revision(application=case.application, by=case.officer)
    case.refresh()
    services.submit_application(application=case.application, by=case.owner)
    services.request_sample(application=case.application, by=case.officer)

    again = services.assign_curator(
        application=case.application, curator=case.assignments[0].curator, by=case.officer
    )

    assert again.pk != case.assignments[0].pk
    assert Assignment.objects.filter(application=case.application).count() == 2


# ---------------------------------------------------------------------------------------------
# Withdrawal

BEFORE_APPROVAL = [
    "draft",
    "submitted",
    "returned",
    "sample_requested",
    "in_curation",
    "passed",
    "curation_failed",
    "permit_support",
    "awaiting_approval",
]


@pytest.mark.parametrize("state", BEFORE_APPROVAL)
def test_the_owner_can_withdraw_from_any_state_before_approval(state):
    case = builders.build(state)

    services.withdraw_application(application=case.application, by=case.owner, reason=" Tutup ")

    case.refresh()
    assert case.application.status == "withdrawn"
    entry = last_log(case.application)
    assert (entry.transition, entry.source_state, entry.target_state) == (
        "withdraw",
        state,
        "withdrawn",
    )
    assert (entry.actor_username, entry.note) == (case.owner.username, "Tutup")
    assert case.application.history.first().history_user == case.owner


@pytest.mark.parametrize(
    ("state", "label"),
    [("approved", "Approved"), ("rejected", "Rejected"), ("withdrawn", "Withdrawn")],
)
def test_an_approved_rejected_or_withdrawn_application_cannot_be_withdrawn(state, label):
    case = builders.build(state)
    before = snapshot(case.application)

    message = refused(services.withdraw_application, application=case.application, by=case.owner)

    assert message == f"This action is not possible while the application is “{label}”."
    assert snapshot(case.application) == before


def _withdrawn_with_sample():
    """Withdrawn after staff asked for a sample and the curators were assigned and declared."""
    case = builders.sample_requested()
    for assignment in case.assignments:
        services.declare_no_conflict(assignment=assignment, by=assignment.curator.user)
    services.withdraw_application(application=case.application, by=case.owner)
    return case.refresh()


def _curator_user(case):
    return case.assignments[0].curator.user


WITHDRAWN_ACTIONS = {
    "submit": lambda c: services.submit_application(application=c.application, by=c.owner),
    "withdraw": lambda c: services.withdraw_application(application=c.application, by=c.owner),
    "return": lambda c: services.return_application(
        application=c.application, by=c.officer, reason=REASON
    ),
    "reject": lambda c: services.reject_application(
        application=c.application, by=c.officer, reason=REASON
    ),
    "request_sample": lambda c: services.request_sample(application=c.application, by=c.officer),
    "allow_revision": lambda c: services.allow_revision(application=c.application, by=c.officer),
    "release_result": lambda c: services.release_result(application=c.application, by=c.officer),
    "assign_curator": lambda c: services.assign_curator(
        application=c.application,
        curator=builders.extra_curator(c.programme.assessor),
        by=c.officer,
    ),
    "record_shipment": lambda c: services.record_shipment(
        sample=c.sample, by=c.owner, courier="JNE", tracking_number="JNE123", shipped_on=None
    ),
    "record_sample_receipt": lambda c: services.record_sample_receipt(
        sample=c.sample, by=_curator_user(c), quantity_received=5, condition="good"
    ),
    "save_scores": lambda c: services.save_scores(
        assignment=c.assignments[0], by=_curator_user(c), values=builders.sheet(c.rubric, 4)
    ),
    "submit_scores": lambda c: services.submit_scores(
        assignment=c.assignments[0], by=_curator_user(c), values=builders.sheet(c.rubric, 4)
    ),
}
NOT_WHILE_WITHDRAWN = "This action is not possible while the application is “Withdrawn”."
NO_SAMPLE_NEEDED = "This sample is no longer needed: the application is “Withdrawn”."
NO_MORE_SCORES = "Scores can no longer be given: the application is “Withdrawn”."
WITHDRAWN_REFUSALS = {
    "submit": NOT_WHILE_WITHDRAWN,
    "withdraw": NOT_WHILE_WITHDRAWN,
    "return": NOT_WHILE_WITHDRAWN,
    "reject": NOT_WHILE_WITHDRAWN,
    "request_sample": NOT_WHILE_WITHDRAWN,
    "allow_revision": NOT_WHILE_WITHDRAWN,
    "release_result": "There is no curation result to release yet.",
    "assign_curator": "Curators are assigned while a sample is requested or in curation (now “Withdrawn”).",
    "record_shipment": NO_SAMPLE_NEEDED,
    "record_sample_receipt": NO_SAMPLE_NEEDED,
    "save_scores": NO_MORE_SCORES,
    "submit_scores": NO_MORE_SCORES,
}


@pytest.mark.parametrize("action", list(WITHDRAWN_ACTIONS))
def test_a_withdrawn_application_cannot_be_acted_on(action):
    case = _withdrawn_with_sample()
    before = snapshot(case.application)

    message = refused(WITHDRAWN_ACTIONS[action], case)

    assert message == WITHDRAWN_REFUSALS[action]
    assert snapshot(case.application) == before


def test_the_sample_of_a_withdrawn_application_is_neither_shipped_nor_received():
    case = _withdrawn_with_sample()
    logged = len(log_of(case.sample))

    refused(WITHDRAWN_ACTIONS["record_shipment"], case)
    refused(WITHDRAWN_ACTIONS["record_sample_receipt"], case)

    case.refresh()
    assert case.sample.status == "requested"
    assert (case.sample.courier, case.sample.quantity_received) == ("", None)
    assert len(log_of(case.sample)) == logged


# ---------------------------------------------------------------------------------------------
# What a submission needs


def submit_reasons(case):
    before = snapshot(case.application)
    with translation.override("en"), pytest.raises(TransitionRefused) as info:
        services.submit_application(application=case.application, by=case.owner)
    assert snapshot(case.application) == before
    return info.value.reasons


def test_an_unverified_business_cannot_submit():
    case = builders.draft()
    Vendor.objects.filter(pk=case.vendor.pk).update(status=Vendor.Status.DRAFT)
    case.refresh()

    assert submit_reasons(case) == (
        "The business must be submitted for verification or verified first.",
    )


def test_a_business_submitted_for_verification_may_already_submit():
    case = builders.draft()
    Vendor.objects.filter(pk=case.vendor.pk).update(status=Vendor.Status.SUBMITTED)

    services.submit_application(application=case.application, by=case.owner)

    case.refresh()
    assert case.application.status == "submitted"


def test_a_product_with_fewer_than_three_photos_cannot_be_submitted():
    owner = factories.applicant()
    programme = factories.programme()
    vendor, product = factories.verified_vendor_with_product(owner=owner, photos=2)
    application = services.create_application(
        vendor=vendor, product=product, programme=programme, by=owner
    )
    case = builders.Case(owner, None, programme, vendor, product, application)

    assert submit_reasons(case) == ("Add at least 3 photos of the product (now 2).",)


def test_a_closed_programme_takes_no_submissions():
    today = timezone.localdate()
    opens, closes = today - datetime.timedelta(days=40), today - datetime.timedelta(days=1)
    case = builders.draft(opens_on=opens, closes_on=closes)

    assert submit_reasons(case) == (f"The programme is not open ({opens} – {closes}).",)


def test_a_programme_not_yet_open_takes_no_submissions():
    today = timezone.localdate()
    opens, closes = today + datetime.timedelta(days=1), today + datetime.timedelta(days=30)
    case = builders.draft(opens_on=opens, closes_on=closes)

    assert submit_reasons(case) == (f"The programme is not open ({opens} – {closes}).",)


def test_a_category_the_programme_does_not_accept_cannot_be_submitted():
    case = builders.draft(category="face_shield")

    assert submit_reasons(case) == ("This programme does not accept Face shield.",)


def test_a_full_programme_takes_no_more_submissions():
    programme = factories.programme(quota=1)
    builders.submitted(programme=programme)  # another vendor takes the only place
    case = builders.draft(programme=programme)

    assert submit_reasons(case) == ("The programme is full (quota 1).",)


def test_a_withdrawn_application_frees_its_quota_place():
    programme = factories.programme(quota=1)
    first = builders.submitted(programme=programme)
    services.withdraw_application(application=first.application, by=first.owner)
    case = builders.draft(programme=programme)

    services.submit_application(application=case.application, by=case.owner)

    case.refresh()
    assert case.application.status == "submitted"


def test_several_reasons_are_given_at_once():
    owner = factories.applicant()
    programme = factories.programme(quota=0)
    vendor, product = factories.verified_vendor_with_product(owner=owner, photos=1)
    application = services.create_application(
        vendor=vendor, product=product, programme=programme, by=owner
    )
    case = builders.Case(owner, None, programme, vendor, product, application)

    assert submit_reasons(case) == (
        "Add at least 3 photos of the product (now 1).",
        "The programme is full (quota 0).",
    )


def test_one_chance_a_vendor_cannot_enter_a_second_product_in_the_same_programme():
    first = builders.submitted(one_chance=True)
    second = builders.second_product(first)

    assert submit_reasons(second) == (
        "Only one active application per vendor is allowed in this programme.",
    )


def test_one_chance_a_mere_draft_of_another_product_does_not_block_a_submission():
    first = builders.draft(one_chance=True)
    second = builders.second_product(first)

    services.submit_application(application=second.application, by=second.owner)

    second.refresh()
    assert second.application.status == "submitted"
    # ... and now the first draft is the second chance, which the rule refuses.
    assert submit_reasons(first) == (
        "Only one active application per vendor is allowed in this programme.",
    )


def test_one_chance_the_vendor_may_try_another_product_after_withdrawing():
    first = builders.submitted(one_chance=True)
    services.withdraw_application(application=first.application, by=first.owner)
    second = builders.second_product(first)

    services.submit_application(application=second.application, by=second.owner)

    second.refresh()
    assert second.application.status == "submitted"


def test_without_one_chance_a_vendor_may_enter_a_second_product():
    first = builders.submitted(one_chance=False)
    second = builders.second_product(first)

    services.submit_application(application=second.application, by=second.owner)

    second.refresh()
    assert second.application.status == "submitted"
    assert Application.objects.filter(vendor=first.vendor, status="submitted").count() == 2


@pytest.mark.parametrize("one_chance", [True, False])
def test_the_same_product_cannot_be_entered_twice_in_a_programme(one_chance):
    first = builders.submitted(one_chance=one_chance)
    count, logs = Application.objects.count(), TransitionLog.objects.count()

    with translation.override("en"), pytest.raises(TransitionRefused) as info:
        services.create_application(
            vendor=first.vendor, product=first.product, programme=first.programme, by=first.owner
        )

    assert str(info.value) == "This product already has an application in this programme."
    assert (Application.objects.count(), TransitionLog.objects.count()) == (count, logs)


def test_only_an_owner_can_enter_a_product():
    case = builders.draft()
    stranger = factories.applicant()
    count = Application.objects.count()

    message = refused(
        services.create_application,
        vendor=case.vendor,
        product=case.product,
        programme=case.programme,
        by=stranger,
    )

    assert message == "Only the vendor's owners may enter its products."
    assert Application.objects.count() == count


def test_submit_conditions_can_be_checked_before_pressing_the_button():
    case = builders.draft(quota=0)

    with translation.override("en"):
        decision = check_transition(case.application, "submit", case.owner)

    assert not decision
    assert decision.reasons == ("The programme is full (quota 0).",)


# ---------------------------------------------------------------------------------------------
# The specification is frozen at submission


def test_editing_the_product_after_submission_does_not_change_what_is_curated():
    case = builders.submitted()
    frozen = case.application.specification
    assert frozen["name"] == "Masker kain 3 lapis"
    assert len(frozen["photo_ids"]) == 3

    vendor_services.save_product(
        vendor=case.vendor,
        by=case.owner,
        product=case.product,
        name="Masker kain 1 lapis",
        layers=1,
    )

    case.refresh()
    case.product.refresh_from_db()
    assert case.product.name == "Masker kain 1 lapis"
    assert case.application.specification == frozen


def test_resubmitting_freezes_the_product_as_it_is_then():
    case = builders.returned()
    first = case.application.specification
    vendor_services.save_product(
        vendor=case.vendor,
        by=case.owner,
        product=case.product,
        name="Masker kain 4 lapis",
        layers=4,
    )
    case.refresh()
    assert case.application.specification == first, "not while it is back with the applicant"

    services.submit_application(application=case.application, by=case.owner)

    case.refresh()
    spec = case.application.specification
    assert (spec["name"], spec["layers"]) == ("Masker kain 4 lapis", 4)
    assert spec["frozen_at"] > first["frozen_at"]
    assert log_of(case.application)[-1] == ("resubmit", case.owner.username, "")
