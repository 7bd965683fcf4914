"""Curators score a received sample; the last submitted sheet decides the application by
itself, and nobody sees scores they should not see yet.

The programme uses the default cloth-mask rubric: 11 criteria, weights summing to 100, scale
0–5; positions 1, 2 and 4 have a critical minimum of 3. The pass mark is 70 % and the
disagreement threshold 20 points.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.workflow import TransitionRefused
from curation import selectors, services
from curation.models import Assignment, Score
from tests import factories
from tests.curation import builders
from tests.curation.builders import log_of, sheet, snapshot

pytestmark = pytest.mark.django_db

LAYERS = "Jumlah lapisan kain (minimal 2 lapis)"  # position 1, weight 15, critical minimum 3


def refusal(call, **kwargs):
    with translation.override("en"), pytest.raises(PermissionDenied) as info:
        call(**kwargs)
    return str(info.value)


def invalid(call, **kwargs):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        call(**kwargs)
    return info.value.messages


def submit(assignment, values):
    return services.submit_scores(assignment=assignment, by=assignment.curator.user, values=values)


# ---------------------------------------------------------------------------------------------
# What a curator may enter


@pytest.mark.parametrize("call", [services.save_scores, services.submit_scores])
def test_scores_outside_the_scale_are_refused_and_none_of_the_sheet_is_stored(call):
    case = builders.in_curation()
    assignment = case.assignments[0]
    values = sheet(case.rubric, 4, p3=6, p5=-1)  # nine valid scores, two out of range
    before = snapshot(case.application)

    messages = invalid(call, assignment=assignment, by=assignment.curator.user, values=values)

    assert messages[:2] == [
        "Daya serap (≤ 60 detik): the score must be between 0 and 5.",
        "Tahan luntur warna (pencucian, keringat, ludah): the score must be between 0 and 5.",
    ]
    if call is services.submit_scores:  # and they count as not scored yet
        assert messages[2:] == [
            "Score every criterion before submitting: "
            "Daya serap (≤ 60 detik), Tahan luntur warna (pencucian, keringat, ludah)."
        ]
    assert snapshot(case.application) == before
    assert Score.objects.count() == 0
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_a_score_for_a_criterion_of_another_rubric_is_refused():
    case = builders.in_curation()
    assignment = case.assignments[0]
    foreign = case.programme.rubrics.get(category="hand_sanitizer").criteria.first()
    values = {**sheet(case.rubric, 4), foreign.pk: (4, "")}

    messages = invalid(
        services.save_scores, assignment=assignment, by=assignment.curator.user, values=values
    )

    assert messages == [f"Unknown criterion {foreign.pk}."]
    assert Score.objects.count() == 0


def test_drafts_can_be_changed_until_submitted_and_keep_their_history():
    case = builders.in_curation()
    assignment = case.assignments[0]
    user = assignment.curator.user
    first = case.rubric.criteria.get(position=1)

    services.save_scores(assignment=assignment, by=user, values={first.pk: (2, "dua lapis")})
    services.save_scores(assignment=assignment, by=user, values={first.pk: (5, " tiga lapis ")})

    score = Score.objects.get()
    assert (score.value, score.note) == (5, "tiga lapis")
    assert [h.value for h in score.history.order_by("history_id")] == [2, 5]
    assert score.history.first().history_user == user
    case.refresh()
    assert case.application.status == "in_curation"


def test_a_curator_cannot_score_an_application_not_assigned_to_them():
    case = builders.in_curation()
    stranger = builders.extra_curator(case.programme.assessor).user
    before = snapshot(case.application)

    for call in (services.save_scores, services.submit_scores):
        message = refusal(
            call, assignment=case.assignments[0], by=stranger, values=sheet(case.rubric, 5)
        )
        assert message == "Only the assigned curator may score this application."
    assert snapshot(case.application) == before


@pytest.mark.parametrize("role", ["owner", "officer"])
def test_neither_the_applicant_nor_staff_can_score(role):
    case = builders.in_curation()
    before = snapshot(case.application)

    message = refusal(
        services.save_scores,
        assignment=case.assignments[0],
        by=getattr(case, role),
        values=sheet(case.rubric, 5),
    )

    assert message == "Only the assigned curator may score this application."
    assert snapshot(case.application) == before


def test_a_curator_must_declare_no_conflict_of_interest_before_scoring():
    case = builders.in_curation(declare=False)
    assignment = case.assignments[0]
    before = snapshot(case.application)

    message = refusal(
        services.save_scores,
        assignment=assignment,
        by=assignment.curator.user,
        values=sheet(case.rubric, 4),
    )

    assert message == "Declare that you have no conflict of interest first."
    assert snapshot(case.application) == before

    services.declare_no_conflict(assignment=assignment, by=assignment.curator.user)
    services.save_scores(
        assignment=assignment, by=assignment.curator.user, values=sheet(case.rubric, 4)
    )
    assert assignment.scores.count() == 11


def test_scoring_waits_until_the_sample_has_been_received():
    case = builders.sample_requested()
    assignment = services.declare_no_conflict(
        assignment=case.assignments[0], by=case.assignments[0].curator.user
    )
    before = snapshot(case.application)

    message = refusal(
        services.save_scores,
        assignment=assignment,
        by=assignment.curator.user,
        values=sheet(case.rubric, 4),
    )

    assert message == "Scoring starts when the sample has been received."
    assert snapshot(case.application) == before


def test_submitted_scores_can_no_longer_be_changed():
    case = builders.in_curation()
    first = case.assignments[0]
    submit(first, sheet(case.rubric, 4))
    before = snapshot(case.application)

    for call in (services.save_scores, services.submit_scores):
        message = refusal(
            call, assignment=first, by=first.curator.user, values=sheet(case.rubric, 1)
        )
        assert message == "Your scores are submitted and can no longer be changed."
    assert snapshot(case.application) == before
    assert set(first.scores.values_list("value", flat=True)) == {4}


def test_a_curator_who_declared_a_conflict_can_no_longer_score():
    case = builders.in_curation(declare=False)
    assignment = case.assignments[0]
    services.declare_conflict(
        assignment=assignment, by=assignment.curator.user, reason="Saudara pemilik usaha"
    )
    before = snapshot(case.application)

    message = refusal(
        services.save_scores,
        assignment=assignment,
        by=assignment.curator.user,
        values=sheet(case.rubric, 4),
    )

    assert message == "This assignment has ended."
    assert snapshot(case.application) == before


def test_submitting_an_incomplete_sheet_names_the_missing_criteria_and_stores_nothing():
    case = builders.in_curation()
    assignment = case.assignments[0]
    values = sheet(case.rubric, 4)
    missing = case.rubric.criteria.filter(position__in=[10, 11]).order_by("position")
    for criterion in missing:
        del values[criterion.pk]
    before = snapshot(case.application)

    messages = invalid(
        services.submit_scores, assignment=assignment, by=assignment.curator.user, values=values
    )

    assert messages == [
        "Score every criterion before submitting: "
        "Konsistensi antar unit sampel, Kewajaran klaim kapasitas produksi."
    ]
    assert snapshot(case.application) == before
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_saved_drafts_count_towards_a_complete_submission():
    case = builders.in_curation()
    assignment = case.assignments[0]
    user = assignment.curator.user
    values = sheet(case.rubric, 4)
    drafted = dict(list(values.items())[:6])
    rest = dict(list(values.items())[6:])
    services.save_scores(assignment=assignment, by=user, values=drafted)

    services.submit_scores(assignment=assignment, by=user, values=rest)

    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert assignment.scores.count() == 11
    assert assignment.history.first().history_user == user


# ---------------------------------------------------------------------------------------------
# The decision happens by itself


def test_the_first_submission_decides_nothing():
    case = builders.in_curation()

    submit(case.assignments[0], sheet(case.rubric, 4))

    case.refresh()
    assert case.application.status == "in_curation"
    assert case.application.decision == {}
    assert case.sample.status == "received"


def test_when_the_last_curator_submits_the_application_passes_by_itself():
    case = builders.in_curation()
    submit(case.assignments[0], sheet(case.rubric, 4))
    logs_before = len(log_of(case.application))

    with translation.override("en"):
        submit(case.assignments[1], sheet(case.rubric, 4))

    case.refresh()
    # every criterion 4/5 = 80 % → each total 80, mean 80 ≥ 70
    assert case.application.status == "passed"
    decision = case.application.decision
    assert (decision["outcome"], decision["mean"]) == ("passed", 80.0)
    assert [c["total"] for c in decision["curators"]] == [80.0, 80.0]
    assert log_of(case.application)[logs_before:] == [
        ("pass_curation", "system", "Weighted mean 80.0% against a pass mark of 70.0%.")
    ]
    latest = case.application.history.first()
    assert (latest.status, latest.history_user.username) == ("passed", "system")
    assert case.sample.status == "tested"
    assert case.sample.tested_at is not None
    assert log_of(case.sample)[-1] == ("mark_tested", "system", "")


def test_when_the_last_curator_submits_low_scores_the_application_fails_by_itself():
    case = builders.in_curation()

    with translation.override("en"):
        submit(case.assignments[0], sheet(case.rubric, 3))
        submit(case.assignments[1], sheet(case.rubric, 3))

    case.refresh()
    # every criterion 3/5 = 60 % → mean 60 < 70
    assert case.application.status == "curation_failed"
    assert case.application.decision["reasons"] == ["below_pass_mark"]
    assert log_of(case.application)[-1] == (
        "fail_curation",
        "system",
        "Weighted mean 60.0% against a pass mark of 70.0%.",
    )
    assert case.sample.status == "tested"


def test_a_critical_criterion_under_its_minimum_fails_a_high_mean():
    case = builders.in_curation()

    with translation.override("en"):
        for assignment in case.assignments:
            submit(assignment, sheet(case.rubric, 5, p1=2))

    case.refresh()
    # position 1 (weight 15) at 2/5 = 40 %, the other 85 weight at 100 %:
    # (85·100 + 15·40) / 100 = 91 ≥ 70 — but both curators are under the minimum of 3.
    decision = case.application.decision
    assert case.application.status == "curation_failed"
    assert decision["mean"] == 91.0
    assert decision["critical_failures"] == [LAYERS]
    assert decision["reasons"] == ["critical_minimum"]
    assert log_of(case.application)[-1] == (
        "fail_curation",
        "system",
        "Weighted mean 91.0% against a pass mark of 70.0%. "
        f"Below the critical minimum for most curators: {LAYERS}.",
    )


def test_curators_who_disagree_call_in_a_moderator_who_then_decides():
    case = builders.in_curation()
    submit(case.assignments[0], sheet(case.rubric, 5))  # 100
    logs_before = len(log_of(case.application))

    submit(case.assignments[1], sheet(case.rubric, 2))  # 40

    case.refresh()
    # spread 100 − 40 = 60 > 20: nothing decided yet
    assert case.application.status == "in_curation"
    assert case.application.needs_moderation is True
    assert case.application.decision["outcome"] == "moderation"
    assert case.application.decision["spread"] == 60.0
    assert len(log_of(case.application)) == logs_before
    assert case.sample.status == "received"

    third = builders.extra_curator(case.programme.assessor)
    moderator = services.assign_curator(
        application=case.application, curator=third, by=case.officer
    )
    assert moderator.role == Assignment.Role.MODERATOR
    moderator = services.declare_no_conflict(assignment=moderator, by=third.user)
    with translation.override("en"):
        submit(moderator, sheet(case.rubric, 4))  # 80

    case.refresh()
    # mean (100 + 40 + 80) / 3 = 73.33 ≥ 70
    assert case.application.status == "passed"
    decision = case.application.decision
    assert decision["mean"] == 73.33
    assert [(c["role"], c["total"]) for c in decision["curators"]] == [
        ("curator", 100.0),
        ("curator", 40.0),
        ("moderator", 80.0),
    ]
    assert log_of(case.application)[-1] == (
        "pass_curation",
        "system",
        "Weighted mean 73.33% against a pass mark of 70.0%.",
    )
    assert case.sample.status == "tested"


def test_the_programme_threshold_decides_what_counts_as_disagreement():
    case = builders.in_curation(disagreement_threshold=70)

    submit(case.assignments[0], sheet(case.rubric, 5))  # 100
    submit(case.assignments[1], sheet(case.rubric, 2))  # 40; spread 60 ≤ 70

    case.refresh()
    assert case.application.needs_moderation is False
    assert case.application.status == "passed"  # mean 70 = pass mark


def test_one_curator_per_application_decides_alone():
    case = builders.in_curation(curators_per_application=1)
    assert len(case.assignments) == 1

    submit(case.assignments[0], sheet(case.rubric, 4))

    case.refresh()
    assert case.application.status == "passed"


# ---------------------------------------------------------------------------------------------
# Blindness


def visible(user, application):
    """{assignment id: [score values]} that ``user`` may see now."""
    application.refresh_from_db()
    return {
        pk: [s.value for s in scores]
        for pk, scores in selectors.scores_visible_to(user, application).items()
    }


def test_a_curator_sees_no_other_curators_scores_until_submitting_their_own():
    case = builders.in_curation()
    first, second = case.assignments
    submit(first, sheet(case.rubric, 5))
    services.save_scores(assignment=second, by=second.curator.user, values=sheet(case.rubric, 3))

    assert visible(second.curator.user, case.application) == {second.pk: [3] * 11}
    assert selectors.decision_visible_to(second.curator.user, case.application) is None
    # The first curator, although submitted, does not see the second one's draft either.
    assert visible(first.curator.user, case.application) == {first.pk: [5] * 11}

    submit(second, {})

    seen = visible(second.curator.user, case.application)
    assert seen == {first.pk: [5] * 11, second.pk: [3] * 11}
    assert selectors.decision_visible_to(second.curator.user, case.application)["mean"] == 80.0


def test_a_curator_who_is_not_assigned_sees_no_scores():
    case = builders.passed()
    outsider = builders.extra_curator(case.programme.assessor).user

    assert visible(outsider, case.application) == {}
    assert selectors.decision_visible_to(outsider, case.application) is None


def test_the_moderator_sees_neither_the_scores_nor_the_decision_before_submitting():
    case = builders.in_curation()
    submit(case.assignments[0], sheet(case.rubric, 5))
    submit(case.assignments[1], sheet(case.rubric, 2))
    third = builders.extra_curator(case.programme.assessor)
    moderator = services.assign_curator(
        application=case.application, curator=third, by=case.officer
    )
    moderator = services.declare_no_conflict(assignment=moderator, by=third.user)

    assert visible(third.user, case.application) == {moderator.pk: []}
    assert selectors.decision_visible_to(third.user, case.application) is None


def test_the_applicant_sees_scores_and_decision_only_once_staff_release_the_result():
    case = builders.passed()
    application = case.application
    assert application.decision["outcome"] == "passed"

    assert visible(case.owner, application) == {}
    assert selectors.decision_visible_to(case.owner, application) is None

    services.release_result(application=application, by=case.officer)

    application.refresh_from_db()
    assert application.result_released_at is not None
    assert application.history.first().history_user == case.officer
    assert visible(case.owner, application) == {a.pk: [4] * 11 for a in case.assignments}
    assert selectors.decision_visible_to(case.owner, application)["mean"] == 80.0
    # another applicant still sees nothing
    stranger = factories.applicant()
    assert visible(stranger, application) == {}
    assert selectors.decision_visible_to(stranger, application) is None


def test_staff_see_submitted_scores_but_not_drafts():
    case = builders.in_curation()
    first, second = case.assignments
    submit(first, sheet(case.rubric, 5))
    services.save_scores(assignment=second, by=second.curator.user, values=sheet(case.rubric, 3))

    assert visible(case.officer, case.application) == {first.pk: [5] * 11}
    assert visible(factories.approver(), case.application) == {first.pk: [5] * 11}


def test_a_result_cannot_be_released_before_there_is_one():
    case = builders.in_curation()
    before = snapshot(case.application)

    with translation.override("en"), pytest.raises(TransitionRefused) as info:
        services.release_result(application=case.application, by=case.officer)

    assert str(info.value) == "There is no curation result to release yet."
    assert snapshot(case.application) == before


@pytest.mark.parametrize("role", ["owner", "curator"])
def test_only_staff_release_a_result(role):
    case = builders.passed()
    user = case.owner if role == "owner" else case.assignments[0].curator.user
    before = snapshot(case.application)

    message = refusal(services.release_result, application=case.application, by=user)

    assert message == "Only ministry staff may screen applications."
    assert snapshot(case.application) == before


def test_a_score_that_is_not_a_whole_number_is_refused_and_nothing_is_stored():
    case = builders.in_curation()
    assignment = case.assignments[0]
    criteria = list(case.rubric.criteria.all())
    curator_user = case.curators[0].user

    for bad in ("abc", "3.7", "-1"):
        with pytest.raises(ValidationError):
            services.save_scores(
                assignment=assignment,
                by=curator_user,
                values={criteria[0].pk: (4, ""), criteria[1].pk: (bad, "")},
            )

    assert not Score.objects.filter(assignment=assignment).exists()


def test_a_withdrawn_application_leaves_the_curators_workspace():
    from curation.selectors import curator_workspace

    case = builders.in_curation()
    curator_user = case.curators[0].user
    assert [a.application_id for a in curator_workspace(curator_user)] == [case.application.pk]

    services.withdraw_application(application=case.application, by=case.owner)

    assert list(curator_workspace(curator_user)) == []
    assert Assignment.objects.filter(pk=case.assignments[0].pk, ended_at__isnull=True).exists()
