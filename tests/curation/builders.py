"""Small builders for curation tests: an application walked to a given state through the
services, score sheets, and a snapshot of everything a refused action must leave alone."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.system import system_user
from audit.models import TransitionLog
from audit.selectors import transitions_for
from audit.workflow import perform_transition
from curation import services
from curation.models import Application, Assignment, Sample, Score
from tests import factories

GOOD, POOR = 4, 1  # 80 % and 20 % of the 0–5 scale


@dataclass
class Case:
    """One application and the people around it."""

    owner: object
    officer: object
    programme: object
    vendor: object
    product: object
    application: Application
    sample: Sample | None = None
    assignments: list[Assignment] = field(default_factory=list)

    def refresh(self) -> Case:
        self.application.refresh_from_db()
        if self.sample is not None:
            self.sample.refresh_from_db()
        for assignment in self.assignments:
            assignment.refresh_from_db()
        return self

    @property
    def curators(self):
        """The assessor's curators, in creation order."""
        return list(self.programme.assessor.curators.order_by("pk"))

    @property
    def rubric(self):
        return self.programme.rubrics.get(category=self.product.category)


def draft(*, programme=None, owner=None, category="cloth_mask", **programme_fields) -> Case:
    """A verified vendor's product entered in an open programme (state: draft)."""
    owner = owner or factories.applicant()
    programme = programme or factories.programme(**programme_fields)
    vendor, product = factories.verified_vendor_with_product(owner=owner, category=category)
    application = services.create_application(
        vendor=vendor, product=product, programme=programme, by=owner
    )
    return Case(owner, factories.staff(), programme, vendor, product, application)


def submitted(**kwargs) -> Case:
    case = draft(**kwargs)
    case.application = services.submit_application(application=case.application, by=case.owner)
    return case


def sample_requested(*, assign: bool = True, **kwargs) -> Case:
    """Submitted, a sample requested and (by default) the programme's curators assigned."""
    case = submitted(**kwargs)
    case.sample = services.request_sample(application=case.application, by=case.officer)
    if assign:
        needed = case.programme.curators_per_application
        case.assignments = [
            services.assign_curator(application=case.application, curator=c, by=case.officer)
            for c in case.curators[:needed]
        ]
    case.application.refresh_from_db()
    return case


def in_curation(*, declare: bool = True, **kwargs) -> Case:
    """The sample received by the first assigned curator; each curator declared no conflict."""
    case = sample_requested(**kwargs)
    first = case.assignments[0].curator.user
    case.sample = services.record_sample_receipt(
        sample=case.sample, by=first, quantity_received=5, condition="good"
    )
    if declare:
        case.assignments = [
            services.declare_no_conflict(assignment=a, by=a.curator.user) for a in case.assignments
        ]
    return case.refresh()


def sheet(rubric, value: int, **by_position: int) -> dict:
    """A full score sheet: ``value`` for every criterion, ``p<position>=v`` to override one."""
    values = {}
    for criterion in rubric.criteria.order_by("position", "pk"):
        score = by_position.get(f"p{criterion.position}", value)
        values[criterion.pk] = (score, f"nilai {score}")
    return values


def score_all(case: Case, value: int) -> Case:
    for assignment in case.assignments:
        services.submit_scores(
            assignment=assignment, by=assignment.curator.user, values=sheet(case.rubric, value)
        )
    return case.refresh()


def passed(**kwargs) -> Case:
    return score_all(in_curation(**kwargs), GOOD)


def curation_failed(**kwargs) -> Case:
    return score_all(in_curation(**kwargs), POOR)


def awaiting_approval(**kwargs) -> Case:
    case = passed(**kwargs)
    case.application = perform_transition(case.application, "skip_permit", by=case.officer)
    return case


def permit_support(**kwargs) -> Case:
    case = passed(**kwargs)
    case.application = perform_transition(case.application, "open_permit", by=case.officer)
    return case


def approved(**kwargs) -> Case:
    case = awaiting_approval(**kwargs)
    case.application = perform_transition(case.application, "approve", by=factories.approver())
    return case


def returned(**kwargs) -> Case:
    case = submitted(**kwargs)
    case.application = services.return_application(
        application=case.application, by=case.officer, reason="Foto label kurang jelas."
    )
    return case


def rejected(**kwargs) -> Case:
    case = submitted(**kwargs)
    case.application = services.reject_application(
        application=case.application, by=case.officer, reason="Bukan produk APD."
    )
    return case


def withdrawn(**kwargs) -> Case:
    case = draft(**kwargs)
    case.application = services.withdraw_application(application=case.application, by=case.owner)
    return case


BUILD = {
    "draft": draft,
    "submitted": submitted,
    "returned": returned,
    "rejected": rejected,
    "sample_requested": sample_requested,
    "in_curation": in_curation,
    "passed": passed,
    "curation_failed": curation_failed,
    "permit_support": permit_support,
    "awaiting_approval": awaiting_approval,
    "approved": approved,
    "withdrawn": withdrawn,
}


def build(state: str, **kwargs) -> Case:
    case = BUILD[state](**kwargs)
    case.refresh()
    assert case.application.status == state
    return case


def snapshot(application: Application) -> dict:
    """Everything a refused action must leave exactly as it was."""
    fresh = Application.objects.get(pk=application.pk)
    return {
        "status": fresh.status,
        "assessor": fresh.assessor_id,
        "revision_count": fresh.revision_count,
        "needs_moderation": fresh.needs_moderation,
        "decision": fresh.decision,
        "specification": fresh.specification,
        "released": fresh.result_released_at,
        "log": TransitionLog.objects.count(),
        "application_history": Application.history.filter(id=fresh.pk).count(),
        "samples": [
            (s.pk, s.status) for s in Sample.objects.filter(application=fresh).order_by("pk")
        ],
        "sample_history": Sample.history.filter(application_id=fresh.pk).count(),
        "assignments": [
            (a.pk, a.role, a.ended_at, a.submitted_at, a.no_conflict_declared_at)
            for a in Assignment.objects.filter(application=fresh).order_by("pk")
        ],
        "assignment_history": Assignment.history.filter(application_id=fresh.pk).count(),
        "scores": sorted(
            Score.objects.filter(assignment__application=fresh).values_list(
                "assignment_id", "criterion_id", "value"
            )
        ),
        "score_history": Score.history.count(),
    }


def log_of(obj) -> list[tuple[str, str, str]]:
    """(transition, actor username, note) of every TransitionLog row of ``obj``, in order."""
    return list(transitions_for(obj).values_list("transition", "actor_username", "note"))


def last_log(obj) -> TransitionLog:
    return transitions_for(obj).order_by("-sequence").first()


def system():
    return system_user()


def second_product(case: Case) -> Case:
    """Another product of the same vendor (3 photos), entered in the same programme."""
    from vendors.services import add_product_photos

    product = factories.product(vendor=case.vendor, name="Masker kain 2 lapis", layers=2)
    add_product_photos(
        product=product,
        by=case.owner,
        uploads=[factories.upload(factories.image_bytes(size=(200, 150))) for _ in range(3)],
    )
    application = services.create_application(
        vendor=case.vendor, product=product, programme=case.programme, by=case.owner
    )
    return Case(case.owner, case.officer, case.programme, case.vendor, product, application)


def extra_curator(organisation, *, categories=("cloth_mask",), active=True):
    """Another curator of ``organisation`` (qualified for ``categories``), not assigned."""
    from curation.models import Curator, CuratorQualification

    profile = Curator.objects.create(
        user=factories.curator(), organisation=organisation, is_active=active
    )
    CuratorQualification.objects.bulk_create(
        CuratorQualification(curator=profile, category=c) for c in categories
    )
    return profile
