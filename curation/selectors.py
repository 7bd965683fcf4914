"""Every read the curation pages need, scoped to the user and joined up front.

Blindness lives here: ``scores_visible_to`` is the only road to scores, and it hides a
curator's scores from other curators until they have submitted their own, and from the
applicant until staff release the result.
"""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from accounts.roles import is_ministry_officer
from config.queries import count_of
from curation import deadlines, permissions
from curation.models import (
    Application,
    AssessorOrganisation,
    Assignment,
    Criterion,
    Curator,
    Programme,
    Rubric,
    Sample,
    Score,
)
from vendors.models import ProductPhoto

APPLICATION_JOINS = ("programme", "vendor", "vendor__province", "product", "assessor")


def open_programmes(today=None) -> QuerySet[Programme]:
    today = today or timezone.localdate()
    return Programme.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on")


def applications_visible_to(user) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    if is_ministry_officer(user):
        return Application.objects.all()
    condition = Q(vendor__owners=user) | Q(assessor__lead=user)
    curator = permissions.curator_of(user)
    if curator is not None:
        condition |= Q(assignments__curator=curator, assignments__ended_at__isnull=True)
    return Application.objects.filter(condition).distinct()


def applications_of_applicant(user) -> QuerySet[Application]:
    """The applicant's applications, newest first; ``sample_to_ship`` says whether a requested
    sample still waits for the applicant to send it."""
    return (
        Application.objects.filter(vendor__owners=user)
        .select_related(*APPLICATION_JOINS)
        .annotate(
            sample_to_ship=Exists(
                Sample.objects.filter(application=OuterRef("pk"), status=Sample.Status.REQUESTED)
            )
        )
        .order_by("-created_at")
    )


def overdue_condition(today: date | None = None, prefix: str = "") -> Q:
    """Applications overdue today in their current state (``curation.deadlines.overdue_q``).

    Reads the programmes' expected durations now: one query, whatever the number of rows.
    ``prefix`` reaches applications through a relation (``"application__"``).
    """
    programmes = Programme.objects.only("pk", "expected_days").order_by()
    return deadlines.overdue_q(programmes, today, prefix)


def as_flag(condition: Q) -> Case:
    """``condition`` as a boolean annotation, to sort and filter queues by it."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def overdue_flag(today: date | None = None) -> Case:
    """``is_overdue`` of the application queues: overdue ones sort first and can be filtered."""
    return as_flag(overdue_condition(today))


def get_application_for(user, pk: int) -> Application:
    try:
        application = (
            applications_visible_to(user)
            .select_related(*APPLICATION_JOINS, "assessor__lead")
            .prefetch_related(
                "vendor__owners",
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related("curator__user").order_by(
                        "assigned_at", "pk"
                    ),
                ),
                Prefetch("samples", queryset=Sample.objects.order_by("-created_at")),
            )
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None
    application.vendor._owner_ids = {o.pk for o in application.vendor.owners.all()}
    application._active_assignments = [
        a for a in application.assignments.all() if a.ended_at is None
    ]
    return application


def rubric_for(application: Application) -> Rubric | None:
    return (
        Rubric.objects.filter(
            programme=application.programme_id, category=application.product.category
        )
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
        .first()
    )


def scores_visible_to(user, application: Application) -> dict[int, list[Score]]:
    """Scores per assignment id that ``user`` may see now."""
    assignments = [a for a in application.assignments.all() if a.ended_at is None]
    visible_ids: set[int] = set()
    own = permissions.active_assignment(user, application)
    if is_ministry_officer(user) or permissions.is_assessor_lead(user, application):
        visible_ids = {a.pk for a in assignments if a.submitted_at}
    elif own is not None:
        visible_ids = {own.pk}
        if own.submitted_at is not None:
            visible_ids |= {a.pk for a in assignments if a.submitted_at}
    elif permissions.is_applicant_of(user, application) and application.result_released_at:
        visible_ids = {a.pk for a in assignments if a.submitted_at}
    if not visible_ids:
        return {}
    result: dict[int, list[Score]] = {pk: [] for pk in visible_ids}
    for score in (
        Score.objects.filter(assignment_id__in=visible_ids)
        .select_related("criterion")
        .order_by("criterion__position")
    ):
        result[score.assignment_id].append(score)
    return result


def decision_visible_to(user, application: Application) -> dict | None:
    """The decision computation, for officers and the lead always, the applicant once released."""
    if not application.decision:
        return None
    if is_ministry_officer(user) or permissions.is_assessor_lead(user, application):
        return application.decision
    if permissions.is_applicant_of(user, application) and application.result_released_at:
        return application.decision
    own = permissions.active_assignment(user, application)
    if own is not None and own.submitted_at is not None:
        return application.decision
    return None


def screening_queue(today: date | None = None) -> QuerySet[Application]:
    """Applications for staff, overdue first, then the longest waiting; filters are applied by
    the view. Each application carries ``active_curators`` and ``is_overdue``."""
    active = Assignment.objects.filter(application=OuterRef("pk"), ended_at__isnull=True)
    return (
        Application.objects.exclude(status=Application.Status.DRAFT)
        # Vendors, products, programmes and assessors of the page come in queries of their
        # own: joined here, those of every listed application would be read to show 25. Without
        # the two JSON columns the rows PostgreSQL sorts before taking a page stay narrow.
        .prefetch_related(*APPLICATION_JOINS)
        .defer("specification", "decision")
        .annotate(active_curators=count_of(active), is_overdue=overdue_flag(today))
        .order_by("-is_overdue", "status_changed_at", "pk")
    )


# A curator's work is still to do while their scores are not submitted and the application is
# with the assessor; every other active assignment is finished (submitted, or decided without it).
CURATION_STATES = (Application.Status.SAMPLE_REQUESTED, Application.Status.IN_CURATION)
WORK_TO_DO = Q(submitted_at__isnull=True, application__status__in=CURATION_STATES)


def _active_assignments_of(user) -> QuerySet[Assignment] | None:
    curator = permissions.curator_of(user)
    if curator is None:
        return None
    return (
        Assignment.objects.filter(curator=curator, ended_at__isnull=True)
        # A withdrawn or rejected application is no longer work; its assignment stays on record.
        .exclude(application__status__in=Application.INACTIVE_STATES)
    )


def curator_workspace(user, *, finished: bool = False) -> QuerySet[Assignment]:
    """The curator's active assignments: the work still to do, the longest assigned first, or
    with ``finished`` the rest, the most recently submitted first.

    Each assignment carries ``scored``, the number of criteria the curator has scored.
    """
    assignments = _active_assignments_of(user)
    if assignments is None:
        return Assignment.objects.none()
    if finished:
        assignments = assignments.exclude(WORK_TO_DO).order_by(
            F("submitted_at").desc(nulls_last=True), "-assigned_at", "-pk"
        )
    else:
        assignments = assignments.filter(WORK_TO_DO).order_by("assigned_at", "pk")
    return (
        assignments.select_related(
            "application__programme",
            "application__product",
            "application__vendor",
            "application__vendor__province",
            # can_see_identity asks whether the user leads the assessor or owns the vendor.
            "application__assessor",
        )
        .prefetch_related(
            "application__vendor__owners",
            Prefetch("application__samples", queryset=Sample.objects.order_by("-created_at")),
        )
        # Counted for the assignments of the page only, not grouped over all of them.
        .annotate(scored=count_of(Score.objects.filter(assignment=OuterRef("pk"))))
    )


def workspace_counts(user) -> dict[str, int]:
    """How many assignments the curator has to do and has finished (one query)."""
    assignments = _active_assignments_of(user)
    if assignments is None:
        return {"to_do": 0, "finished": 0}
    return assignments.aggregate(
        to_do=Count("pk", filter=WORK_TO_DO), finished=Count("pk", filter=~WORK_TO_DO)
    )


def ready_for_workspace(assignments: list[Assignment]) -> list[Assignment]:
    """A page of ``curator_workspace`` made ready for the permission helpers without queries.

    Each assignment gets ``criteria_total``, the number of criteria of its rubric (one query).
    """
    programme_ids = {a.application.programme_id for a in assignments}
    totals = {
        (row["rubric__programme_id"], row["rubric__category"]): row["n"]
        for row in Criterion.objects.filter(rubric__programme_id__in=programme_ids)
        .values("rubric__programme_id", "rubric__category")
        .annotate(n=Count("pk"))
    }
    for assignment in assignments:
        application = assignment.application
        application.vendor._owner_ids = {o.pk for o in application.vendor.owners.all()}
        # Only the user's own assignment matters to active_assignment().
        application._active_assignments = [assignment]
        assignment.criteria_total = totals.get(
            (application.programme_id, application.product.category), 0
        )
    return assignments


def lead_assignment_queue(user) -> QuerySet[Application]:
    """Applications of the assessor(s) the user leads that still need curators or moderation."""
    return (
        Application.objects.filter(
            assessor__lead=user,
            status__in=[Application.Status.SAMPLE_REQUESTED, Application.Status.IN_CURATION],
        )
        # As in the screening queue: the page's related rows in queries of their own, and no
        # JSON columns, so only narrow application rows are sorted.
        .defer("specification", "decision")
        .prefetch_related(
            *APPLICATION_JOINS,
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(ended_at__isnull=True).select_related(
                    "curator__user"
                ),
                to_attr="active_assignments",
            ),
        )
        .order_by("status_changed_at", "pk")
    )


def suggest_curators(application: Application) -> list[Curator]:
    """Qualified, active curators of the application's assessor, lightest current load first."""
    if application.assessor_id is None:
        return []
    already = [a.curator_id for a in application.assignments.all() if a.ended_at is None]
    declined = [
        a.curator_id for a in application.assignments.all() if a.end_reason.startswith("COI")
    ]
    return list(
        Curator.objects.filter(
            organisation_id=application.assessor_id,
            is_active=True,
            qualifications__category=application.product.category,
        )
        .exclude(pk__in=already + declined)
        .select_related("user")
        .annotate(
            load=Count(
                "assignments",
                filter=Q(
                    assignments__ended_at__isnull=True, assignments__submitted_at__isnull=True
                ),
            )
        )
        .order_by("load", "user__username")
    )


def suggested_curators_for(applications: list[Application]) -> dict[int, list[Curator]]:
    """``suggest_curators`` for many applications at once, in three queries whatever their number.

    Same rule: qualified, active curators of the application's assessor, not already on it and
    not having declared a conflict on it, lightest current load first.
    """
    applications = [a for a in applications if a.assessor_id is not None]
    if not applications:
        return {}
    curators = list(
        Curator.objects.filter(
            organisation_id__in={a.assessor_id for a in applications}, is_active=True
        )
        .select_related("user")
        .prefetch_related("qualifications")
        .annotate(
            load=Count(
                "assignments",
                filter=Q(
                    assignments__ended_at__isnull=True, assignments__submitted_at__isnull=True
                ),
            )
        )
        .order_by("load", "user__username")
    )
    taken: dict[int, set[int]] = {a.pk: set() for a in applications}
    for application_id, curator_id, ended_at, end_reason in Assignment.objects.filter(
        application__in=applications
    ).values_list("application_id", "curator_id", "ended_at", "end_reason"):
        if ended_at is None or end_reason.startswith("COI"):
            taken[application_id].add(curator_id)
    return {
        application.pk: [
            curator
            for curator in curators
            if curator.organisation_id == application.assessor_id
            and curator.pk not in taken[application.pk]
            and any(
                q.category == application.product.category for q in curator.qualifications.all()
            )
        ]
        for application in applications
    }


def leads_an_assessor(user) -> bool:
    """Whether the user is the lead of an assessor organisation (cached on the user object)."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_kurasi_is_lead"):
        user._kurasi_is_lead = AssessorOrganisation.objects.filter(lead=user).exists()
    return user._kurasi_is_lead


def application_photos(application: Application) -> list[ProductPhoto]:
    """The photos frozen into the application at submission, in their order, still on file."""
    ids = (application.specification or {}).get("photo_ids") or []
    if not ids:
        return []
    found = {
        str(photo.pk): photo
        for photo in ProductPhoto.objects.filter(pk__in=ids, product_id=application.product_id)
    }
    return [found[pk] for pk in ids if pk in found]


def get_application_photo(application: Application, photo_id) -> ProductPhoto:
    """One of the application's frozen photos; 404 for any other photo."""
    if str(photo_id) not in ((application.specification or {}).get("photo_ids") or []):
        raise Http404
    try:
        return ProductPhoto.objects.get(pk=photo_id, product_id=application.product_id)
    except (ProductPhoto.DoesNotExist, ValueError):
        raise Http404 from None
