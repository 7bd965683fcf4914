"""Two people pressing the same button at the same instant: exactly one of them wins.

These run real threads against PostgreSQL, each thread on its own database connection, so the
row locks of the services are what keeps the outcome right. SQLite serialises every write
transaction, so there is nothing to race there.
"""

from django.core.exceptions import PermissionDenied

from audit.models import TransitionLog
from audit.selectors import transitions_for
from audit.workflow import TransitionRefused
from curation import services
from curation.models import Application, Assignment, Programme, Sample, Score
from notifications.models import Notification
from tests import factories
from tests.concurrency import (
    POSTGRES_ONLY,
    audit_trail,
    kinds,
    race,
    refusals,
    slow_down,
    winners,
)
from tests.curation import builders
from tests.curation.builders import sheet

pytestmark = POSTGRES_ONLY


def test_two_curators_submitting_their_last_scores_at_once_decide_exactly_once(monkeypatch):
    case = builders.in_curation()
    first, second = case.assignments
    values = sheet(case.rubric, 4)
    slow_down(monkeypatch, services, "decide_application")

    outcomes = race(
        lambda: services.submit_scores(assignment=first, by=first.curator.user, values=values),
        lambda: services.submit_scores(assignment=second, by=second.curator.user, values=values),
    )

    assert kinds(outcomes) == ["ok", "ok"], outcomes
    case.refresh()
    assert case.application.status == "passed"
    assert case.application.decision["mean"] == 80.0
    assert [c["total"] for c in case.application.decision["curators"]] == [80.0, 80.0]
    decided = transitions_for(case.application).filter(
        transition__in=["pass_curation", "fail_curation"]
    )
    assert list(decided.values_list("transition", "actor_username")) == [
        ("pass_curation", "system")
    ]
    assert transitions_for(case.sample).filter(transition="mark_tested").count() == 1
    assert case.sample.status == "tested"


def test_two_officers_requesting_a_sample_at_once_create_one_sample(monkeypatch):
    case = builders.submitted()
    slow_down(monkeypatch, services, "perform_transition")
    other_officer = factories.staff()

    outcomes = race(
        lambda: services.request_sample(application=case.application, by=case.officer),
        lambda: services.request_sample(application=case.application, by=other_officer),
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    loser = next(error for kind, error in outcomes if kind == "refused")
    assert isinstance(loser, TransitionRefused)
    assert str(loser) == (
        "This action is not possible while the application is “Sample requested”."
    )
    case.refresh()
    assert case.application.status == "sample_requested"
    assert Sample.objects.filter(application=case.application).count() == 1
    assert transitions_for(case.application).filter(transition="request_sample").count() == 1


def test_two_submissions_racing_for_the_last_quota_place_let_exactly_one_in(monkeypatch):
    programme = factories.programme(quota=1)
    first = builders.draft(programme=programme)
    second = builders.draft(programme=programme)
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        lambda: services.submit_application(application=first.application, by=first.owner),
        lambda: services.submit_application(application=second.application, by=second.owner),
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    loser = next(error for kind, error in outcomes if kind == "refused")
    assert isinstance(loser, TransitionRefused)
    assert loser.reasons == ("The programme is full (quota 1).",)
    statuses = sorted(
        Application.objects.filter(programme=programme).values_list("status", flat=True)
    )
    assert statuses == ["draft", "submitted"]
    assert TransitionLog.objects.filter(transition="submit").count() == 1
    assert Programme.objects.get(pk=programme.pk).quota == 1


def test_one_vendor_submitting_two_products_at_once_gets_one_chance_only(monkeypatch):
    first = builders.draft(one_chance=True)
    second = builders.second_product(first)
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        lambda: services.submit_application(application=first.application, by=first.owner),
        lambda: services.submit_application(application=second.application, by=second.owner),
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    loser = next(error for kind, error in outcomes if kind == "refused")
    assert loser.reasons == (
        "Only one active application per vendor is allowed in this programme.",
    )
    statuses = sorted(
        Application.objects.filter(vendor=first.vendor).values_list("status", flat=True)
    )
    assert statuses == ["draft", "submitted"]


def test_three_curators_submitting_their_last_scores_at_once_decide_exactly_once(monkeypatch):
    case = builders.in_curation(
        assessor_org=factories.assessor(curators=3), curators_per_application=3
    )
    assert len(case.assignments) == 3
    before = audit_trail(case.application)
    values = sheet(case.rubric, 4)
    slow_down(monkeypatch, services, "decide_application")

    outcomes = race(
        *(
            lambda a=a: services.submit_scores(assignment=a, by=a.curator.user, values=values)
            for a in case.assignments
        )
    )

    assert kinds(outcomes) == ["ok", "ok", "ok"], outcomes
    case.refresh()
    assert case.application.status == "passed"
    assert [c["total"] for c in case.application.decision["curators"]] == [80.0] * 3
    after = audit_trail(case.application)
    assert after["log"] == [*before["log"], "pass_curation"]
    # The decision's own save and the transition: two history rows, once.
    assert after["history"] == before["history"] + 2
    assert transitions_for(case.sample).filter(transition="mark_tested").count() == 1


def test_one_curator_submitting_the_same_sheet_from_two_tabs_at_once_submits_once(monkeypatch):
    case = builders.in_curation()
    first, last = case.assignments
    values = sheet(case.rubric, 4)
    services.submit_scores(assignment=first, by=first.curator.user, values=values)
    before = audit_trail(case.application)
    assignment_history = Assignment.history.filter(id=last.pk).count()
    slow_down(monkeypatch, services, "decide_application")

    outcomes = race(
        *(
            lambda: services.submit_scores(assignment=last, by=last.curator.user, values=values)
            for _tab in range(3)
        )
    )

    assert kinds(outcomes) == ["ok", "refused", "refused"], outcomes
    assert all(isinstance(e, PermissionDenied) for k, e in outcomes if k == "refused")
    assert refusals(outcomes) == ["Your scores are submitted and can no longer be changed."] * 2
    case.refresh()
    assert case.application.status == "passed"
    assert winners(outcomes)[0].submitted_at == Assignment.objects.get(pk=last.pk).submitted_at
    criteria = case.rubric.criteria.count()
    assert Score.objects.filter(assignment=last).count() == criteria
    assert Score.history.filter(assignment_id=last.pk).count() == criteria
    assert Assignment.history.filter(id=last.pk).count() == assignment_history + 1
    after = audit_trail(case.application)
    assert after["log"] == [*before["log"], "pass_curation"]
    assert after["history"] == before["history"] + 2


def test_three_officers_releasing_the_result_at_once_release_and_tell_the_applicant_once(
    monkeypatch,
):
    """Releasing is idempotent: every officer sees it released, the applicant hears it once."""
    case = builders.passed()
    before = audit_trail(case.application)
    officers = [case.officer, factories.staff(), factories.staff()]
    slow_down(monkeypatch, services, "save_as")

    outcomes = race(
        *(
            lambda who=who: services.release_result(application=case.application, by=who)
            for who in officers
        )
    )

    assert kinds(outcomes) == ["ok", "ok", "ok"], outcomes
    released = Application.objects.get(pk=case.application.pk).result_released_at
    assert released is not None
    assert {result.result_released_at for result in winners(outcomes)} == {released}
    after = audit_trail(case.application)
    assert after["log"] == before["log"]
    assert after["history"] == before["history"] + 1
    told = Notification.objects.filter(recipient=case.owner, kind="curation_passed")
    assert told.count() == 1


def test_two_officers_allowing_a_revision_at_once_open_one_new_round(monkeypatch):
    case = builders.curation_failed(max_revisions=2)
    before = audit_trail(case.application)
    assignment_history = [Assignment.history.filter(id=a.pk).count() for a in case.assignments]
    other_officer = factories.staff()
    slow_down(monkeypatch, services, "perform_transition")

    outcomes = race(
        lambda: services.allow_revision(application=case.application, by=case.officer),
        lambda: services.allow_revision(application=case.application, by=other_officer),
    )

    assert kinds(outcomes) == ["ok", "refused"], outcomes
    assert refusals(outcomes) == ["This action is not possible while the application is “Draft”."]
    case.refresh()
    assert case.application.status == "draft"
    assert case.application.revision_count == 1
    assert {a.end_reason for a in case.assignments} == {"Revision 1: a new curation round."}
    assert [Assignment.history.filter(id=a.pk).count() for a in case.assignments] == [
        n + 1 for n in assignment_history
    ]
    after = audit_trail(case.application)
    assert after["log"] == [*before["log"], "allow_revision"]
    assert after["history"] == before["history"] + 1
