"""Every figure of the ministry dashboard, read with a fixed number of queries.

``dashboard_figures(filters)`` answers the page. Its analytic figures come precomputed from
``dashboard.summary`` (the snapshot of the last refresh for the default view and the views with
one programme, province or category; computed from the summary's ``Stay`` table for other
filters); the overdue work and the expiring certificates are read live, at request time.

``live_figures(filters)`` is the reference the summary is tested against: it computes everything
straight from the audit log and the current rows, which takes seconds at national scale. It
answers the application funnel (current count
per state, and how many distinct applications ever reached each state according to the audit
log), how long applications stay in each state (median and 90th percentile, nearest rank,
computed in the database with window functions from ``audit.TransitionLog``), applications per
programme, province and product category, curators' load and turnaround, permit cases by
state, certificates about to expire, and the overdue work. The filters narrow every figure to
the applications they match. The number of queries never depends on the number of rows:
lists of applications, requests and certificates are capped, and the curator figures have one
row per curator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import TransitionLog
from certification.models import Certificate, InfoRequest, PermitCase
from config.workdays import overdue_before
from curation.deadlines import Deadline, deadline_for, expected_days, overdue_q
from curation.models import Application, Assignment, Programme
from dashboard import summary
from dashboard.models import Refresh, Snapshot
from regions.models import Province
from vendors.models import Product, Vendor

S = Application.Status

# The main path of the funnel first, then the side tracks and the ways out.
FUNNEL_STATES = (
    S.DRAFT,
    S.SUBMITTED,
    S.SAMPLE_REQUESTED,
    S.IN_CURATION,
    S.PASSED,
    S.PERMIT_SUPPORT,
    S.AWAITING_APPROVAL,
    S.APPROVED,
    S.RETURNED,
    S.CURATION_FAILED,
    S.REJECTED,
    S.WITHDRAWN,
)
# States an application can leave; approved, rejected and withdrawn are final.
TIMED_STATES = tuple(s for s in FUNNEL_STATES if s in Application.BEFORE_APPROVAL)
FINAL_STATES = (S.APPROVED, S.REJECTED, S.WITHDRAWN)

LIST_LIMIT = 25
EXPIRY_WINDOW_DAYS = 90
EXPIRING_LIMIT = 10


@dataclass(frozen=True)
class DashboardFilters:
    """Which applications the figures are about; empty fields do not narrow."""

    programme: Programme | None = None
    province: Province | None = None
    category: str = ""
    created_from: date | None = None
    created_to: date | None = None

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.programme, self.province, self.category, self.created_from, self.created_to)
        )

    @property
    def category_label(self) -> str:
        return str(dict(Product.Category.choices).get(self.category, self.category))


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    current: int
    reached: int


@dataclass(frozen=True)
class Spread:
    """How long something took: the count and nearest-rank median / 90th percentile in days."""

    count: int = 0
    median_days: float | None = None
    p90_days: float | None = None


@dataclass(frozen=True)
class StateDuration:
    state: str
    label: str
    spread: Spread


@dataclass(frozen=True)
class Share:
    """Applications of one province, category or programme."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ProgrammeFigures:
    programme_id: int
    name: str
    applications: int
    in_progress: int
    approved: int
    overdue: int


@dataclass(frozen=True)
class CuratorLoad:
    curator_id: int
    name: str
    organisation: str
    open: int
    submitted: int
    turnaround: Spread


@dataclass(frozen=True)
class OverdueApplication:
    application: Application
    deadline: Deadline | None


@dataclass
class DashboardFigures:
    today: date
    applications: int = 0
    funnel: list[StateCount] = field(default_factory=list)
    durations: list[StateDuration] = field(default_factory=list)
    programmes: list[ProgrammeFigures] = field(default_factory=list)
    provinces: list[Share] = field(default_factory=list)
    categories: list[Share] = field(default_factory=list)
    curators: list[CuratorLoad] = field(default_factory=list)
    permit_cases: list[Share] = field(default_factory=list)
    expiring_count: int = 0
    expiring: list[Certificate] = field(default_factory=list)
    overdue_count: int = 0
    overdue: list[OverdueApplication] = field(default_factory=list)
    overdue_requests_count: int = 0
    overdue_requests: list[InfoRequest] = field(default_factory=list)
    # Where the analytic figures come from: SNAPSHOT, SUMMARY (computed now from the summary,
    # for a combination of filters) or NOT_COMPUTED (no refresh yet: only the live part is
    # filled); LIVE for live_figures. ``as_of`` is the refresh they reflect.
    source: str = "live"
    as_of: datetime | None = None

    @property
    def approved(self) -> int:
        return next((row.current for row in self.funnel if row.state == S.APPROVED), 0)


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current (Jakarta) time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_applications(filters: DashboardFilters) -> QuerySet[Application]:
    """The applications the figures are about, unordered (it is mostly used as a subquery)."""
    applications = Application.objects.order_by()
    if filters.programme is not None:
        applications = applications.filter(programme=filters.programme)
    if filters.province is not None:
        applications = applications.filter(vendor__province=filters.province)
    if filters.category:
        applications = applications.filter(product__category=filters.category)
    if filters.created_from is not None:
        applications = applications.filter(created_at__gte=_start_of(filters.created_from))
    if filters.created_to is not None:
        # The whole last day counts: up to the next midnight, exclusive.
        applications = applications.filter(
            created_at__lt=_start_of(filters.created_to + timedelta(days=1))
        )
    return applications


def _scoped(queryset: QuerySet, filters: DashboardFilters, path: str) -> QuerySet:
    """``queryset`` narrowed to rows whose application (reached through ``path``) matches."""
    if filters.is_empty:
        return queryset
    return queryset.filter(**{f"{path}__in": filtered_applications(filters).values("pk")})


# Raw SQL: durations from the audit log, with window functions.


def _spreads(stays_sql: str, params: list) -> dict[object, Spread]:
    """Median and 90th percentile per group of ``stays_sql``, which yields (grp, seconds).

    One query: ROW_NUMBER and COUNT over each group rank the stays, and the value at rank
    ceil(p·N) is the nearest-rank percentile (never interpolated).
    """
    sql = f"""
        WITH stays AS ({stays_sql}),
        ranked AS (
            SELECT grp, seconds,
                   ROW_NUMBER() OVER (PARTITION BY grp ORDER BY seconds) AS position,
                   COUNT(*) OVER (PARTITION BY grp) AS total
            FROM stays
        )
        SELECT grp, MAX(total),
               MAX(CASE WHEN position = {summary.nearest_rank(summary.MEDIAN)} THEN seconds END),
               MAX(CASE WHEN position = {summary.nearest_rank(summary.P90)} THEN seconds END)
        FROM ranked
        GROUP BY grp
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        grp: Spread(count=int(total), median_days=_days(median), p90_days=_days(p90))
        for grp, total, median, p90 in rows
    }


def _days(seconds) -> float | None:
    return None if seconds is None else float(seconds) / summary.SECONDS_PER_DAY


def _application_log_filter() -> tuple[str, list]:
    content_types = ContentType._meta.db_table
    return (
        f"l.content_type_id = (SELECT id FROM {content_types} WHERE app_label = %s AND model = %s)",  # noqa: S608
        [Application._meta.app_label, Application._meta.model_name],
    )


def state_durations(filters: DashboardFilters) -> dict[str, Spread]:
    """Completed stays per state, from the audit log.

    A stay in state S ends at a log row with ``source_state = S`` and began at the previous log
    row of the same application (LAG over its rows in sequence order), or, for the first stay
    in ``draft``, when the application was created. Stays still going on are not counted.

    The applications drive the join (CROSS JOIN keeps SQLite from scanning the whole log
    for each application: it probes the log's (content_type, object_id) index instead), and
    the window is partitioned by the integer key, which sorts faster than the text one.
    """
    applications_sql, applications_params = (
        filtered_applications(filters)
        .values(
            app_id=F("pk"),
            app_key=Cast("pk", output_field=CharField()),
            app_created=F("created_at"),
        )
        .query.sql_with_params()
    )
    log_filter, log_params = _application_log_filter()
    seconds = summary.seconds_between("ended_at", "COALESCE(started_at, app_created)")
    stays_sql = f"""
        SELECT state AS grp, {seconds} AS seconds
        FROM (
            SELECT l.source_state AS state,
                   l.created_at AS ended_at,
                   LAG(l.created_at) OVER (
                       PARTITION BY a.app_id ORDER BY l.sequence
                   ) AS started_at,
                   a.app_created AS app_created
            FROM ({applications_sql}) a
            CROSS JOIN {TransitionLog._meta.db_table} l
            WHERE l.object_id = a.app_key AND {log_filter}
        ) history
        WHERE started_at IS NOT NULL OR state = %s
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    params = [*applications_params, *log_params, S.DRAFT.value]
    return _spreads(stays_sql, params)


def curator_turnaround(filters: DashboardFilters) -> dict[int, Spread]:
    """Days from assignment to submitted scores, per curator."""
    scope, params = "", []
    if not filters.is_empty:
        applications_sql, params = (
            filtered_applications(filters).values("pk").query.sql_with_params()
        )
        scope = f"AND s.application_id IN ({applications_sql})"
    seconds = summary.seconds_between("s.submitted_at", "s.assigned_at")
    stays_sql = f"""
        SELECT s.curator_id AS grp, {seconds} AS seconds
        FROM {Assignment._meta.db_table} s
        WHERE s.submitted_at IS NOT NULL {scope}
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    return _spreads(stays_sql, list(params))


# ORM aggregates.


def _funnel(applications: QuerySet[Application], filters: DashboardFilters) -> list[StateCount]:
    current = dict(applications.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    logs = TransitionLog.objects.filter(
        content_type__app_label=Application._meta.app_label,
        content_type__model=Application._meta.model_name,
    )
    if not filters.is_empty:
        keys = filtered_applications(filters).annotate(app_key=Cast("pk", output_field=CharField()))
        logs = logs.filter(object_id__in=keys.values("app_key"))
    reached = dict(
        logs.order_by()
        .values("target_state")
        .annotate(n=Count("object_id", distinct=True))
        .values_list("target_state", "n")
    )
    # Every application begins as a draft; creation is not a logged transition.
    reached[S.DRAFT] = sum(current.values())
    return [
        StateCount(state, S(state).label, current.get(state, 0), reached.get(state, 0))
        for state in FUNNEL_STATES
    ]


def _programme_figures(
    applications: QuerySet[Application], programmes: Iterable[Programme], today: date
) -> list[ProgrammeFigures]:
    rows = (
        applications.values("programme_id", "programme__name")
        .annotate(
            applications=Count("pk"),
            in_progress=Count("pk", filter=~Q(status__in=FINAL_STATES)),
            approved=Count("pk", filter=Q(status=S.APPROVED)),
            overdue=Count("pk", filter=overdue_q(programmes, today)),
        )
        .order_by("-applications", "programme__name", "programme_id")
    )
    return [
        ProgrammeFigures(
            row["programme_id"],
            row["programme__name"],
            row["applications"],
            row["in_progress"],
            row["approved"],
            row["overdue"],
        )
        for row in rows
    ]


def _provinces(applications: QuerySet[Application]) -> list[Share]:
    rows = (
        applications.values("vendor__province_id", "vendor__province__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "vendor__province__name")
    )
    return [
        Share(
            row["vendor__province_id"] or "",
            row["vendor__province__name"] or str(_("Not recorded")),
            row["n"],
        )
        for row in rows
    ]


def _categories(applications: QuerySet[Application]) -> list[Share]:
    labels = dict(Product.Category.choices)
    rows = (
        applications.values("product__category")
        .annotate(n=Count("pk"))
        .order_by("-n", "product__category")
    )
    return [
        Share(
            row["product__category"],
            str(labels.get(row["product__category"], row["product__category"])),
            row["n"],
        )
        for row in rows
    ]


def _curators(filters: DashboardFilters) -> list[CuratorLoad]:
    rows = (
        _scoped(Assignment.objects.all(), filters, "application")
        .values(
            "curator_id",
            "curator__user__username",
            "curator__user__first_name",
            "curator__user__last_name",
            "curator__organisation__name",
        )
        .annotate(
            open=Count("pk", filter=Q(ended_at__isnull=True, submitted_at__isnull=True)),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
        .order_by("-open", "-submitted", "curator__user__username")
    )
    turnaround = curator_turnaround(filters)
    loads = []
    for row in rows:
        full_name = f"{row['curator__user__first_name']} {row['curator__user__last_name']}"
        loads.append(
            CuratorLoad(
                curator_id=row["curator_id"],
                name=full_name.strip() or row["curator__user__username"],
                organisation=row["curator__organisation__name"],
                open=row["open"],
                submitted=row["submitted"],
                turnaround=turnaround.get(row["curator_id"], Spread()),
            )
        )
    return loads


def _permit_cases(filters: DashboardFilters) -> list[Share]:
    counts = dict(
        _scoped(PermitCase.objects.order_by(), filters, "application")
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        Share(status, str(label), counts.get(status, 0))
        for status, label in PermitCase.Status.choices
    ]


def _expiring_certificates(filters: DashboardFilters, today: date) -> QuerySet[Certificate]:
    return _scoped(
        Certificate.objects.filter(
            status=Certificate.Status.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=EXPIRY_WINDOW_DAYS),
        ),
        filters,
        "application",
    )


def _overdue_requests(filters: DashboardFilters, today: date) -> QuerySet[InfoRequest]:
    return _scoped(
        InfoRequest.objects.filter(closed_at__isnull=True, due_on__lt=today),
        filters,
        "case__application",
    )


def live_figures(filters: DashboardFilters, today: date | None = None) -> DashboardFigures:
    """Every figure of the dashboard for the applications ``filters`` match, computed now from
    the audit log (the reference for ``dashboard.summary``)."""
    today = today or timezone.localdate()
    applications = filtered_applications(filters)
    # Only pk and expected_days are read to build the overdue condition; a chosen programme
    # came from the filter form whole, so it needs no query.
    programmes = (
        [filters.programme]
        if filters.programme is not None
        else list(Programme.objects.only("pk", "expected_days").order_by())
    )
    figures = DashboardFigures(today=today)
    figures.funnel = _funnel(applications, filters)
    figures.applications = sum(row.current for row in figures.funnel)
    spreads = state_durations(filters)
    figures.durations = [
        StateDuration(state, S(state).label, spreads.get(state, Spread())) for state in TIMED_STATES
    ]
    figures.programmes = _programme_figures(applications, programmes, today)
    figures.provinces = _provinces(applications)
    figures.categories = _categories(applications)
    figures.curators = _curators(filters)
    figures.permit_cases = _permit_cases(filters)

    expiring = _expiring_certificates(filters, today)
    figures.expiring_count = expiring.count()
    figures.expiring = list(
        expiring.select_related("product", "vendor", "programme").order_by("valid_until", "pk")[
            :EXPIRING_LIMIT
        ]
    )

    figures.overdue_count = sum(row.overdue for row in figures.programmes)
    overdue = (
        applications.filter(overdue_q(programmes, today))
        .select_related("programme", "product", "vendor", "vendor__province")
        .order_by("status_changed_at", "pk")[:LIST_LIMIT]
    )
    figures.overdue = [OverdueApplication(a, deadline_for(a, today)) for a in overdue]

    requests = _overdue_requests(filters, today)
    figures.overdue_requests_count = requests.count()
    figures.overdue_requests = list(
        requests.select_related(
            "case", "case__application__product", "case__application__vendor"
        ).order_by("due_on", "pk")[:LIST_LIMIT]
    )
    return figures


# The page: precomputed analytic figures, live operational ones.

SNAPSHOT, SUMMARY, NOT_COMPUTED, LIVE = "snapshot", "summary", "not_computed", "live"


def _snapshot_scope(filters: DashboardFilters) -> tuple[str, str] | None:
    """The snapshot answering ``filters``, or None when they combine several filters or dates."""
    chosen = [
        (Snapshot.PROGRAMME, filters.programme.pk if filters.programme else None),
        (Snapshot.PROVINCE, filters.province.pk if filters.province else None),
        (Snapshot.CATEGORY, filters.category or None),
    ]
    chosen = [(scope, str(key)) for scope, key in chosen if key is not None]
    if filters.created_from or filters.created_to or len(chosen) > 1:
        return None
    return chosen[0] if chosen else (Snapshot.ALL, "")


def _spread(stored) -> Spread:
    count, median, p90 = stored
    return Spread(count=count, median_days=_days(median), p90_days=_days(p90))


def _from_stored(figures: DashboardFigures, stored: dict, overdue: dict[int, int]) -> None:
    """Fill ``figures`` from one view's stored analytic figures (``summary.analytic_figures``)."""
    current, reached = stored["current"], dict(stored["reached"])
    reached[S.DRAFT] = sum(current.values())
    figures.funnel = [
        StateCount(state, S(state).label, current.get(state, 0), reached.get(state, 0))
        for state in FUNNEL_STATES
    ]
    figures.applications = sum(current.values())
    figures.durations = [
        StateDuration(
            state, S(state).label, _spread(stored["durations"].get(state, [0, None, None]))
        )
        for state in TIMED_STATES
    ]
    figures.programmes = [
        ProgrammeFigures(pk, name, total, in_progress, approved, overdue.get(pk, 0))
        for pk, name, total, in_progress, approved in stored["programmes"]
    ]
    figures.provinces = [
        Share(code or "", name or str(_("Not recorded")), n)
        for code, name, n in stored["provinces"]
    ]
    labels = dict(Product.Category.choices)
    figures.categories = [
        Share(key, str(labels.get(key, key)), n) for key, n in stored["categories"]
    ]
    figures.curators = [
        CuratorLoad(pk, name, organisation, open_, submitted, _spread(turnaround))
        for pk, name, organisation, open_, submitted, turnaround in stored["curators"]
    ]
    figures.permit_cases = [
        Share(status, str(label), stored["permit_cases"].get(status, 0))
        for status, label in PermitCase.Status.choices
    ]


def _stored_figures(filters: DashboardFilters) -> tuple[str, datetime | None, dict | None]:
    """(source, as of, stored figures) for ``filters``; a view missing from the snapshot had
    no application at the refresh."""
    refresh = Refresh.objects.filter(pk=1, refreshed_at__isnull=False).first()
    if refresh is None:
        return NOT_COMPUTED, None, None
    scope = _snapshot_scope(filters)
    if scope is None:
        stored = summary.analytic_figures(filtered_applications(filters))[None]
        return SUMMARY, refresh.refreshed_at, stored
    snapshot = Snapshot.objects.filter(scope=scope[0], key=scope[1]).first()
    return SNAPSHOT, refresh.refreshed_at, (snapshot.figures if snapshot else EMPTY_STORED)


EMPTY_STORED = {
    "current": {},
    "reached": {},
    "durations": {},
    "programmes": [],
    "provinces": [],
    "categories": [],
    "curators": [],
    "permit_cases": {},
}


def _overdue(
    filters: DashboardFilters, programmes: Iterable[Programme], today: date
) -> tuple[dict[int, int], list[int]]:
    """Overdue applications per programme, and the ids of the LIST_LIMIT longest waiting.

    The same applications as ``overdue_q``, asked as one range per (programme, state) with an
    expected duration: joined to a VALUES list, each range is read from the
    ``application_overdue`` index alone, instead of testing every application against an OR of
    all the ranges.
    """
    ranges = []
    for programme in programmes:
        for status in programme.expected_days or {}:
            days = expected_days(programme, status)
            if days is not None:
                cutoff = connection.ops.adapt_datetimefield_value(overdue_before(days, today))
                ranges.append((programme.pk, status, cutoff))
    if not ranges:
        return {}, []
    values = ", ".join(["(%s, %s, %s)"] * len(ranges))
    # The other filters as plain joins: an IN over filtered_applications() makes PostgreSQL
    # read every application; the programme is already in the ranges.
    joins, conditions, scope_params = [], [], []
    if filters.province is not None:
        joins.append(f"JOIN {Vendor._meta.db_table} v ON v.id = a.vendor_id")
        conditions.append("v.province_id = %s")
        scope_params.append(filters.province.pk)
    if filters.category:
        joins.append(f"JOIN {Product._meta.db_table} p ON p.id = a.product_id")
        conditions.append("p.category = %s")
        scope_params.append(filters.category)
    if filters.created_from is not None:
        conditions.append("a.created_at >= %s")
        scope_params.append(
            connection.ops.adapt_datetimefield_value(_start_of(filters.created_from))
        )
    if filters.created_to is not None:
        conditions.append("a.created_at < %s")
        scope_params.append(
            connection.ops.adapt_datetimefield_value(
                _start_of(filters.created_to + timedelta(days=1))
            )
        )
    overdue_sql = f"""
        WITH due (programme_id, status, cutoff) AS (VALUES {values})
        SELECT a.programme_id, a.id, a.status_changed_at
        FROM due
        JOIN {Application._meta.db_table} a
          ON a.programme_id = due.programme_id AND a.status = due.status
             AND a.status_changed_at < due.cutoff
        {" ".join(joins)}
        WHERE {" AND ".join(["1 = 1", *conditions])}
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    params = [value for branch in ranges for value in branch] + list(scope_params)
    # One pass over the overdue rows for both answers: a CTE named twice is computed once.
    both_sql = f"""
        WITH o AS ({overdue_sql})
        SELECT programme_id, COUNT(*), NULL, NULL FROM o GROUP BY programme_id
        UNION ALL
        SELECT NULL, NULL, id, status_changed_at FROM (
            SELECT id, status_changed_at FROM o ORDER BY status_changed_at, id LIMIT %s
        ) w
    """  # noqa: S608 (built above from table names; every value is a parameter)
    counts, waiting = {}, []
    with connection.cursor() as cursor:
        cursor.execute(both_sql, [*params, LIST_LIMIT])
        for programme_id, count, pk, since in cursor.fetchall():
            if pk is None:
                counts[programme_id] = count
            else:
                waiting.append((since, pk))
    # Same database, same column: its values sort as the database sorted them.
    longest_waiting = [pk for _since, pk in sorted(waiting)]
    return counts, longest_waiting


def dashboard_figures(filters: DashboardFilters, today: date | None = None) -> DashboardFigures:
    """The page's figures for the applications ``filters`` match: analytic figures as of the
    last refresh, overdue work and expiring certificates as of now."""
    today = today or timezone.localdate()
    programmes = (
        [filters.programme]
        if filters.programme is not None
        else list(Programme.objects.only("pk", "expected_days").order_by())
    )
    figures = DashboardFigures(today=today)
    figures.source, figures.as_of, stored = _stored_figures(filters)

    overdue, longest_waiting = _overdue(filters, programmes, today)
    if stored is not None:
        _from_stored(figures, stored, overdue)
    figures.overdue_count = sum(overdue.values())
    figures.overdue = [
        OverdueApplication(a, deadline_for(a, today))
        for a in Application.objects.filter(pk__in=longest_waiting)
        .select_related("programme", "product", "vendor", "vendor__province")
        .order_by("status_changed_at", "pk")
    ]

    expiring = _expiring_certificates(filters, today)
    figures.expiring_count = expiring.count()
    figures.expiring = list(
        expiring.select_related("product", "vendor", "programme").order_by("valid_until", "pk")[
            :EXPIRING_LIMIT
        ]
    )
    requests = _overdue_requests(filters, today)
    figures.overdue_requests_count = requests.count()
    figures.overdue_requests = list(
        requests.select_related(
            "case", "case__application__product", "case__application__vendor"
        ).order_by("due_on", "pk")[:LIST_LIMIT]
    )
    return figures
