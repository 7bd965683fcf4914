"""Two people pressing the same button at the same instant: exactly one of them wins.

These run real threads against PostgreSQL, each thread on its own database connection, so the
row locks of the services are what keeps the outcome right. SQLite serialises every write
transaction, so there is nothing to race there.
"""

from audit.models import TransitionLog
from audit.selectors import transitions_for
from audit.workflow import TransitionRefused
from curation import services
from curation.models import Application, Programme, Sample
from tests import factories
from tests.concurrency import POSTGRES_ONLY, kinds, race, slow_down
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
