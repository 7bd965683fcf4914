"""Putting curators on an application (suggestions, refusals, conflicts of interest,
reassignment) and following the physical sample from request to its return or retention."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from audit.workflow import TransitionRefused
from curation import selectors, services
from curation.models import Assignment, Sample
from tests import factories
from tests.curation import builders
from tests.curation.builders import log_of, sheet, snapshot

pytestmark = pytest.mark.django_db


def refused(call, **kwargs):
    with translation.override("en"), pytest.raises((TransitionRefused, PermissionDenied)) as info:
        call(**kwargs)
    return str(info.value)


# ---------------------------------------------------------------------------------------------
# Suggestions


def test_suggested_curators_are_the_qualified_ones_lightest_load_first():
    organisation = factories.assessor(curators=0)
    programme = factories.programme(assessor_org=organisation)
    case = builders.sample_requested(programme=programme, assign=False)
    busy_one = builders.sample_requested(programme=programme, assign=False)
    busy_two = builders.sample_requested(programme=programme, assign=False)

    heavy = builders.extra_curator(organisation)
    light = builders.extra_curator(organisation)
    medium = builders.extra_curator(organisation)
    for application, curator in [
        (busy_one.application, heavy),
        (busy_two.application, heavy),
        (busy_one.application, medium),
    ]:
        services.assign_curator(application=application, curator=curator, by=case.officer)
    # Not to be suggested:
    builders.extra_curator(organisation, categories=("hand_sanitizer",))  # unqualified
    builders.extra_curator(organisation, active=False)  # inactive
    builders.extra_curator(factories.assessor(curators=0))  # another organisation
    already = builders.extra_curator(organisation)
    services.assign_curator(application=case.application, curator=already, by=case.officer)
    conflicted = builders.extra_curator(organisation)
    coi = services.assign_curator(application=case.application, curator=conflicted, by=case.officer)
    services.declare_conflict(assignment=coi, by=conflicted.user, reason="Tetangga pemilik")

    suggested = selectors.suggest_curators(case.application)

    assert [(c.pk, c.load) for c in suggested] == [(light.pk, 0), (medium.pk, 1), (heavy.pk, 2)]


def test_submitted_work_no_longer_counts_as_load():
    case = builders.in_curation()
    done, pending = case.assignments
    services.submit_scores(assignment=done, by=done.curator.user, values=sheet(case.rubric, 4))
    other = builders.sample_requested(programme=case.programme, assign=False)

    suggested = selectors.suggest_curators(other.application)

    assert [(c.pk, c.load) for c in suggested] == [
        (done.curator.pk, 0),
        (pending.curator.pk, 1),
    ]


def test_no_suggestions_without_an_assessor():
    case = builders.submitted(assessor=None)

    assert selectors.suggest_curators(case.application) == []


# ---------------------------------------------------------------------------------------------
# Assigning


def test_staff_assign_a_qualified_curator_and_history_names_them():
    case = builders.sample_requested(assign=False)
    curator = case.curators[0]

    assignment = services.assign_curator(
        application=case.application, curator=curator, by=case.officer
    )

    assert (assignment.role, assignment.assigned_by, assignment.ended_at) == (
        Assignment.Role.CURATOR,
        case.officer,
        None,
    )
    created = assignment.history.get()
    assert (created.history_type, created.history_user) == ("+", case.officer)


def test_the_assessors_lead_may_assign_their_curators():
    case = builders.sample_requested(assign=False)
    lead = case.programme.assessor.lead

    assignment = services.assign_curator(
        application=case.application, curator=case.curators[0], by=lead
    )

    assert assignment.assigned_by == lead


def _assign_refusal(case, curator, by=None):
    before = snapshot(case.application)
    message = refused(
        services.assign_curator,
        application=case.application,
        curator=curator,
        by=by or case.officer,
    )
    assert snapshot(case.application) == before
    return message


def test_a_curator_of_another_assessor_cannot_be_assigned():
    case = builders.sample_requested(assign=False)
    foreign = builders.extra_curator(factories.assessor(curators=0))

    assert _assign_refusal(case, foreign) == (
        "The curator does not work for this application's assessor."
    )


def test_an_unqualified_curator_cannot_be_assigned():
    case = builders.sample_requested(assign=False)
    unqualified = builders.extra_curator(case.programme.assessor, categories=("hand_sanitizer",))

    assert _assign_refusal(case, unqualified) == (
        "This curator is not qualified for this product category."
    )


def test_an_inactive_curator_cannot_be_assigned():
    case = builders.sample_requested(assign=False)
    inactive = builders.extra_curator(case.programme.assessor, active=False)

    assert _assign_refusal(case, inactive) == "This curator is not active."


def test_a_curator_cannot_be_assigned_twice():
    case = builders.sample_requested(curators_per_application=3)

    assert _assign_refusal(case, case.assignments[0].curator) == "This curator is already assigned."


def test_no_more_curators_than_the_programme_asks_for():
    case = builders.sample_requested()  # two curators, the programme's number
    third = builders.extra_curator(case.programme.assessor)

    assert _assign_refusal(case, third) == "The application already has 2 curators."


def test_curators_are_assigned_only_once_a_sample_has_been_requested():
    case = builders.submitted()

    assert _assign_refusal(case, case.curators[0]) == (
        "Curators are assigned while a sample is requested or in curation (now “Submitted”)."
    )


@pytest.mark.parametrize("role", ["owner", "curator", "approver"])
def test_only_staff_or_the_lead_assign_curators(role):
    case = builders.sample_requested(assign=False)
    user = {
        "owner": case.owner,
        "curator": case.curators[1].user,
        "approver": factories.approver(),
    }[role]

    assert _assign_refusal(case, case.curators[0], by=user) == (
        "Only ministry staff or the assessor's lead may assign curators."
    )


# ---------------------------------------------------------------------------------------------
# Conflicts of interest and reassignment


def test_declaring_a_conflict_ends_the_assignment_and_keeps_it_on_record():
    case = builders.sample_requested()
    assignment = case.assignments[0]
    user = assignment.curator.user

    services.declare_conflict(assignment=assignment, by=user, reason=" Saudara pemilik usaha ")

    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert assignment.end_reason == "COI: Saudara pemilik usaha"
    assert assignment.end_reason.startswith("COI")
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    latest = assignment.history.first()
    assert (latest.history_user, latest.end_reason) == (user, "COI: Saudara pemilik usaha")
    assert assignment.curator not in selectors.suggest_curators(case.application)


def test_a_curator_who_declared_a_conflict_cannot_be_assigned_again():
    case = builders.sample_requested()
    assignment = case.assignments[0]
    services.declare_conflict(assignment=assignment, by=assignment.curator.user, reason="Kerabat")

    assert _assign_refusal(case, assignment.curator) == (
        "This curator declared a conflict of interest for this application."
    )


def test_no_conflict_then_conflict_is_refused_staff_take_the_curator_off_instead():
    case = builders.sample_requested()
    assignment = services.declare_no_conflict(
        assignment=case.assignments[0], by=case.assignments[0].curator.user
    )
    before = snapshot(case.application)

    message = refused(
        services.declare_conflict, assignment=assignment, by=assignment.curator.user, reason="x"
    )

    assert message == "You already declared no conflict; ask staff to take you off instead."
    assert snapshot(case.application) == before


def test_only_the_assigned_curator_makes_the_declarations():
    case = builders.sample_requested()
    assignment = case.assignments[0]
    other = case.assignments[1].curator.user
    before = snapshot(case.application)

    for call, extra in [
        (services.declare_no_conflict, {}),
        (services.declare_conflict, {"reason": "x"}),
    ]:
        message = refused(call, assignment=assignment, by=other, **extra)
        assert message == "Only the assigned curator may make this declaration."
    assert snapshot(case.application) == before


def test_reassigning_keeps_the_old_assignment_with_its_reason_and_adds_a_new_one():
    case = builders.sample_requested()
    old = case.assignments[0]
    replacement = builders.extra_curator(case.programme.assessor)

    new = services.reassign_curator(
        assignment=old, to=replacement, by=case.officer, reason=" Sedang cuti "
    )

    old.refresh_from_db()
    assert (old.ended_at is not None, old.end_reason) == (True, "Sedang cuti")
    assert (new.curator, new.role, new.ended_at) == (replacement, "curator", None)
    assert Assignment.objects.filter(application=case.application).count() == 3
    assert Assignment.objects.filter(application=case.application, ended_at=None).count() == 2
    assert [h.history_type for h in old.history.order_by("history_id")] == ["+", "~"]
    assert old.history.first().history_user == case.officer
    assert new.history.get().history_user == case.officer


def test_a_refused_reassignment_leaves_the_old_curator_on():
    case = builders.sample_requested()
    old = case.assignments[0]
    unqualified = builders.extra_curator(case.programme.assessor, categories=("face_shield",))
    before = snapshot(case.application)

    message = refused(
        services.reassign_curator, assignment=old, to=unqualified, by=case.officer, reason="Cuti"
    )

    assert message == "This curator is not qualified for this product category."
    assert snapshot(case.application) == before
    old.refresh_from_db()
    assert (old.ended_at, old.end_reason) == (None, "")


def test_a_curator_who_submitted_scores_cannot_be_taken_off():
    case = builders.in_curation()
    done = case.assignments[0]
    services.submit_scores(assignment=done, by=done.curator.user, values=sheet(case.rubric, 4))
    before = snapshot(case.application)

    message = refused(
        services.reassign_curator,
        assignment=done,
        to=builders.extra_curator(case.programme.assessor),
        by=case.officer,
        reason="Cuti",
    )

    assert message == "Submitted scores stay: this assignment cannot be ended."
    assert snapshot(case.application) == before


def test_taking_a_curator_off_needs_a_reason():
    case = builders.sample_requested()
    before = snapshot(case.application)

    message = refused(
        services.end_assignment, assignment=case.assignments[0], by=case.officer, reason="  "
    )

    assert message == "Say why the curator is taken off."
    assert snapshot(case.application) == before


# ---------------------------------------------------------------------------------------------
# The sample


def test_the_owner_records_the_shipment_with_courier_and_tracking_number():
    case = builders.sample_requested()
    sent = timezone.localdate() - datetime.timedelta(days=1)

    services.record_shipment(
        sample=case.sample,
        by=case.owner,
        courier=" JNE ",
        tracking_number=" JNE123 ",
        shipped_on=sent,
    )

    case.refresh()
    assert case.sample.status == "shipped"
    assert (case.sample.courier, case.sample.tracking_number, case.sample.shipped_on) == (
        "JNE",
        "JNE123",
        sent,
    )
    assert log_of(case.sample)[-1] == ("ship", case.owner.username, "JNE JNE123")
    assert case.sample.history.first().history_user == case.owner
    assert case.application.status == "sample_requested"


@pytest.mark.parametrize(("courier", "tracking"), [("", "JNE123"), ("JNE", ""), (" ", " ")])
def test_a_shipment_needs_both_courier_and_tracking_number(courier, tracking):
    case = builders.sample_requested()
    before = snapshot(case.application)

    message = refused(
        services.record_shipment,
        sample=case.sample,
        by=case.owner,
        courier=courier,
        tracking_number=tracking,
        shipped_on=None,
    )

    assert message == "Give the courier and the tracking number."
    assert snapshot(case.application) == before


def test_a_shipment_cannot_be_dated_in_the_future():
    case = builders.sample_requested()
    before = snapshot(case.application)

    message = refused(
        services.record_shipment,
        sample=case.sample,
        by=case.owner,
        courier="JNE",
        tracking_number="JNE123",
        shipped_on=timezone.localdate() + datetime.timedelta(days=1),
    )

    assert message == "The shipping date cannot be in the future."
    assert snapshot(case.application) == before


@pytest.mark.parametrize("role", ["other_applicant", "staff", "curator"])
def test_only_the_owner_records_the_shipment(role):
    case = builders.sample_requested()
    user = {
        "other_applicant": factories.applicant(),
        "staff": case.officer,
        "curator": case.assignments[0].curator.user,
    }[role]
    before = snapshot(case.application)

    message = refused(
        services.record_shipment,
        sample=case.sample,
        by=user,
        courier="JNE",
        tracking_number="JNE123",
        shipped_on=None,
    )

    assert message == "Only the vendor's owners may do this."
    assert snapshot(case.application) == before
    case.refresh()
    assert case.sample.courier == ""


def test_receipt_records_quantity_and_condition_after_shipment():
    case = builders.sample_requested()
    services.record_shipment(
        sample=case.sample, by=case.owner, courier="JNE", tracking_number="JNE1", shipped_on=None
    )
    curator_user = case.assignments[0].curator.user

    services.record_sample_receipt(
        sample=case.sample,
        by=curator_user,
        quantity_received=3,
        condition=Sample.Condition.INCOMPLETE,
        notes="Dua unit kurang",
    )

    case.refresh()
    sample = case.sample
    assert sample.status == "received"
    assert (sample.quantity_received, sample.condition_on_arrival, sample.notes) == (
        3,
        "incomplete",
        "Dua unit kurang",
    )
    assert sample.received_at is not None
    assert [row[0] for row in log_of(sample)] == ["ship", "receive"]
    assert log_of(sample)[-1] == ("receive", curator_user.username, "Dua unit kurang")
    assert case.application.status == "in_curation"


def test_a_parcel_may_be_received_before_the_owner_records_the_shipment():
    case = builders.sample_requested()

    services.record_sample_receipt(
        sample=case.sample,
        by=case.assignments[0].curator.user,
        quantity_received=5,
        condition="good",
    )

    case.refresh()
    assert (case.sample.status, case.application.status) == ("received", "in_curation")


@pytest.mark.parametrize(
    ("quantity", "condition", "message"),
    [
        (0, "good", "Record how many units arrived."),
        (5, "wet", "Choose the condition of the sample on arrival."),
        (5, "", "Choose the condition of the sample on arrival."),
    ],
)
def test_a_receipt_needs_a_quantity_and_a_known_condition(quantity, condition, message):
    case = builders.sample_requested()
    before = snapshot(case.application)

    text = refused(
        services.record_sample_receipt,
        sample=case.sample,
        by=case.assignments[0].curator.user,
        quantity_received=quantity,
        condition=condition,
    )

    assert text == message
    assert snapshot(case.application) == before


def test_a_sample_is_not_received_twice():
    case = builders.in_curation()
    before = snapshot(case.application)

    message = refused(
        services.record_sample_receipt,
        sample=case.sample,
        by=case.assignments[0].curator.user,
        quantity_received=5,
        condition="good",
    )

    assert message == "This action is not possible while the sample is “Received”."
    assert snapshot(case.application) == before


@pytest.mark.parametrize("retain", [True, False])
def test_a_sample_is_returned_or_retained_only_after_testing(retain):
    case = builders.in_curation()
    curator_user = case.assignments[0].curator.user
    before = snapshot(case.application)

    message = refused(services.close_sample, sample=case.sample, by=curator_user, retain=retain)

    assert message == "This action is not possible while the sample is “Received”."
    assert snapshot(case.application) == before


@pytest.mark.parametrize(
    ("retain", "transition", "status"),
    [(True, "retain", "retained"), (False, "return_to_vendor", "returned")],
)
def test_a_tested_sample_is_retained_or_returned_by_a_curator(retain, transition, status):
    case = builders.passed()
    assert case.sample.status == "tested"
    curator_user = case.assignments[1].curator.user

    services.close_sample(sample=case.sample, by=curator_user, retain=retain, note=" Arsip ")

    case.refresh()
    assert case.sample.status == status
    assert case.sample.closed_at is not None
    assert log_of(case.sample)[-1] == (transition, curator_user.username, "Arsip")


def test_the_owner_cannot_close_the_sample():
    case = builders.passed()
    before = snapshot(case.application)

    message = refused(services.close_sample, sample=case.sample, by=case.owner, retain=False)

    assert message == "Only a curator assigned to this application may record the sample."
    assert snapshot(case.application) == before
