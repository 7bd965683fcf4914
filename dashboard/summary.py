"""The dashboard's precomputed figures: how they are refreshed and read back.

``refresh_summary()`` (``manage.py refresh_dashboard``, every 10 minutes) appends to ``Stay``
the application transitions logged since the last refresh, then rewrites the ``Snapshot`` of
the default view and of every single-filter view (one programme, one province or one product
category) from ``Stay`` and the current rows. ``analytic_figures()`` computes the same figures
for any set of applications, grouped by one filter dimension or not; the snapshot is its output
stored, and views with a date range or several filters call it directly.

The figures are by construction those of ``selectors.live_figures`` (the reference, straight from
the audit log) at the moment of the refresh; ``tests/dashboard/test_summary.py`` holds them equal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import CharField, Count, F, Max, Q, QuerySet, Value
from django.utils import timezone

from audit.models import TransitionLog
from certification.models import PermitCase
from curation.models import Application, Assignment
from dashboard.models import Refresh, Snapshot, Stay

S = Application.Status
FINAL_STATES = (S.APPROVED, S.REJECTED, S.WITHDRAWN)
MEDIAN, P90 = 50, 90  # percent
SECONDS_PER_DAY = 86400
ANALYSE_AFTER = 10_000  # new stays

# Filter dimension → the application's field it narrows on.
DIMENSIONS = {
    Snapshot.PROGRAMME: "programme_id",
    Snapshot.PROVINCE: "vendor__province_id",
    Snapshot.CATEGORY: "product__category",
}


def seconds_between(later: str, earlier: str) -> str:
    """SQL for the seconds from ``earlier`` to ``later`` (two timestamp expressions)."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later}) - ({earlier}))"
    if connection.vendor == "sqlite":
        return f"(julianday({later}) - julianday({earlier})) * {SECONDS_PER_DAY}.0"
    raise NotImplementedError(f"The dashboard has no date difference for {connection.vendor}.")


def nearest_rank(percent: int) -> str:
    """SQL for the nearest rank ceil(p·N) in integer arithmetic: (p·N + 99) div 100."""
    return f"(total * {int(percent)} + 99) / 100"


# Refreshing.


@dataclass(frozen=True)
class RefreshResult:
    transitions: int
    snapshots: int
    seconds: float


def add_stays(after_id: int, up_to_id: int) -> int:
    """Append a ``Stay`` for every application transition logged with id in (after_id, up_to_id].

    A stay in S ends at a log row with ``source_state = S`` and began at the application's
    previous log row — among the new rows (LAG) or else its latest stay already stored —, or,
    for the first stay in ``draft``, when the application was created. Without a beginning its
    length stays null and it is not counted, as in ``selectors.state_durations``.
    """
    stays, log, applications = (
        Stay._meta.db_table,
        TransitionLog._meta.db_table,
        Application._meta.db_table,
    )
    content_type = ContentType.objects.get_for_model(Application)
    known_start = seconds_between("left_at", "started_at")
    draft_start = seconds_between("left_at", "app_created")
    sql = f"""
        INSERT INTO {stays}
            (log_id, application_id, sequence, source_state, target_state, left_at, seconds)
        SELECT log_id, app_id, sequence, source_state, target_state, left_at,
               CASE WHEN started_at IS NOT NULL THEN {known_start}
                    WHEN source_state = %s THEN {draft_start}
               END
        FROM (
            SELECT l.id AS log_id, a.id AS app_id, l.sequence, l.source_state, l.target_state,
                   l.created_at AS left_at, a.created_at AS app_created,
                   COALESCE(
                       LAG(l.created_at) OVER (PARTITION BY a.id ORDER BY l.sequence),
                       (SELECT s.left_at FROM {stays} s WHERE s.application_id = a.id
                        ORDER BY s.sequence DESC LIMIT 1)
                   ) AS started_at
            FROM {log} l
            JOIN {applications} a ON a.id = CAST(l.object_id AS BIGINT)
            WHERE l.content_type_id = %s AND l.id > %s AND l.id <= %s
        ) new_rows
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [S.DRAFT.value, content_type.pk, after_id, up_to_id])
        return max(cursor.rowcount, 0)


def refresh_summary(*, from_scratch: bool = False) -> RefreshResult:
    """Bring ``Stay`` up to the end of the audit log and rewrite every snapshot.

    Runs in one transaction holding the ``Refresh`` row's lock, so readers see the old
    snapshot until the new one is complete and two refreshes never interleave.
    ``from_scratch`` empties ``Stay`` first and reads the whole log again.
    """
    started = time.perf_counter()
    with transaction.atomic():
        state, _created = Refresh.objects.select_for_update().get_or_create(pk=1)
        if from_scratch:
            Stay.objects.all().delete()
            state.last_log_id = 0
        # Rows logged while this runs wait for the next refresh.
        up_to = TransitionLog.objects.aggregate(last=Max("id"))["last"] or 0
        added = add_stays(state.last_log_id, up_to) if up_to > state.last_log_id else 0
        if added > ANALYSE_AFTER and connection.vendor == "postgresql":
            # Planner statistics for the figures below; autovacuum would come too late.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Stay._meta.db_table}")
        snapshots = _rewrite_snapshots()
        state.last_log_id = max(up_to, state.last_log_id)
        state.refreshed_at = timezone.now()
        state.duration_seconds = time.perf_counter() - started
        state.save()
    return RefreshResult(added, snapshots, state.duration_seconds)


def _rewrite_snapshots() -> int:
    everything = Application.objects.order_by()
    rows = [Snapshot(scope=Snapshot.ALL, key="", figures=analytic_figures(everything)[None])]
    for scope in DIMENSIONS:
        for key, figures in analytic_figures(everything, scope).items():
            # Applications without a province cannot be chosen in the filter.
            if key is not None and key != "":
                rows.append(Snapshot(scope=scope, key=str(key), figures=figures))
    Snapshot.objects.all().delete()
    Snapshot.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# Computing the figures.


def _spreads(stays_sql: str, params: list) -> dict[tuple, list]:
    """[count, median, p90] in seconds per (dim, grp) of ``stays_sql`` (yields dim, grp,
    seconds): nearest rank, the value at rank ceil(p·N) of each group sorted."""
    sql = f"""
        WITH stays AS ({stays_sql}),
        ranked AS (
            SELECT dim, grp, seconds,
                   ROW_NUMBER() OVER (PARTITION BY dim, grp ORDER BY seconds) AS position,
                   COUNT(*) OVER (PARTITION BY dim, grp) AS total
            FROM stays
        )
        SELECT dim, grp, MAX(total),
               MAX(CASE WHEN position = {nearest_rank(MEDIAN)} THEN seconds END),
               MAX(CASE WHEN position = {nearest_rank(P90)} THEN seconds END)
        FROM ranked
        GROUP BY dim, grp
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (dim, grp): [int(total), _float(median), _float(p90)]
            for dim, grp, total, median, p90 in cursor.fetchall()
        }


def _float(value) -> float | None:
    return None if value is None else float(value)


def _applications_sql(applications: QuerySet, path: str | None) -> tuple[str, list]:
    """SQL yielding (app_id, dim) for ``applications``; dim is NULL without a dimension."""
    dim = F(path) if path else Value(None, output_field=CharField())
    sql, params = applications.values(app_id=F("pk"), dim=dim).query.sql_with_params()
    return sql, list(params)


def analytic_figures(applications: QuerySet, dimension: str | None = None) -> dict:
    """The analytic figures of ``applications``, per value of ``dimension`` (a key of
    ``DIMENSIONS``) or, without one, under the key ``None``; JSON-ready.

    Current counts, breakdowns, curator load and permit cases read the current rows; states
    reached and stay durations read ``Stay``. Each figure is one grouped query whatever the
    number of groups.
    """
    path = DIMENSIONS[dimension] if dimension else None
    whole = not applications.query.where

    def keyed(field: str) -> list[str]:
        return [f"{field}{path}"] if path else []

    def dim_of(row: dict, field: str = ""):
        return row[f"{field}{path}"] if path else None

    result: dict = {}

    def slot(key) -> dict:
        if key not in result:
            result[key] = {
                "current": {},
                "reached": {},
                "durations": {},
                "programmes": [],
                "provinces": [],
                "categories": [],
                "curators": [],
                "permit_cases": {},
            }
        return result[key]

    for row in applications.values(*keyed(""), "status").annotate(n=Count("pk")):
        slot(dim_of(row))["current"][row["status"]] = row["n"]
    if not result and path is None:
        slot(None)

    stays = Stay.objects.order_by()
    if not whole:
        stays = stays.filter(application__in=applications.values("pk"))
    for row in stays.values(*keyed("application__"), "target_state").annotate(
        n=Count("application_id", distinct=True)
    ):
        slot(dim_of(row, "application__"))["reached"][row["target_state"]] = row["n"]

    apps_sql, apps_params = _applications_sql(applications, path)
    durations_sql = f"""
        SELECT a.dim AS dim, s.source_state AS grp, s.seconds AS seconds
        FROM {Stay._meta.db_table} s
        JOIN ({apps_sql}) a ON a.app_id = s.application_id
        WHERE s.seconds IS NOT NULL
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    for (dim, state), spread in _spreads(durations_sql, apps_params).items():
        slot(dim)["durations"][state] = spread

    programmes = (
        applications.values(*keyed(""), "programme_id", "programme__name")
        .annotate(
            applications=Count("pk"),
            in_progress=Count("pk", filter=~Q(status__in=FINAL_STATES)),
            approved=Count("pk", filter=Q(status=S.APPROVED)),
        )
        .order_by(*keyed(""), "-applications", "programme__name", "programme_id")
    )
    for row in programmes:
        slot(dim_of(row))["programmes"].append(
            [
                row["programme_id"],
                row["programme__name"],
                row["applications"],
                row["in_progress"],
                row["approved"],
            ]
        )

    provinces = (
        applications.values(*keyed(""), "vendor__province_id", "vendor__province__name")
        .annotate(n=Count("pk"))
        .order_by(*keyed(""), "-n", "vendor__province__name")
    )
    for row in provinces:
        slot(dim_of(row))["provinces"].append(
            [row["vendor__province_id"], row["vendor__province__name"], row["n"]]
        )

    categories = (
        applications.values(*keyed(""), "product__category")
        .annotate(n=Count("pk"))
        .order_by(*keyed(""), "-n", "product__category")
    )
    for row in categories:
        slot(dim_of(row))["categories"].append([row["product__category"], row["n"]])

    _curators(applications, whole, path, keyed, dim_of, slot)

    cases = PermitCase.objects.order_by()
    if not whole:
        cases = cases.filter(application__in=applications.values("pk"))
    for row in cases.values(*keyed("application__"), "status").annotate(n=Count("pk")):
        slot(dim_of(row, "application__"))["permit_cases"][row["status"]] = row["n"]
    return result


def _curators(applications, whole, path, keyed, dim_of, slot) -> None:
    assignments = Assignment.objects.order_by()
    if not whole:
        assignments = assignments.filter(application__in=applications.values("pk"))
    apps_sql, apps_params = _applications_sql(applications, path)
    turnaround_sql = f"""
        SELECT a.dim AS dim, s.curator_id AS grp,
               {seconds_between("s.submitted_at", "s.assigned_at")} AS seconds
        FROM {Assignment._meta.db_table} s
        JOIN ({apps_sql}) a ON a.app_id = s.application_id
        WHERE s.submitted_at IS NOT NULL
    """  # noqa: S608 (table names from _meta; every value is a parameter)
    turnaround = _spreads(turnaround_sql, apps_params)
    rows = (
        assignments.values(
            *keyed("application__"),
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
        .order_by(*keyed("application__"), "-open", "-submitted", "curator__user__username")
    )
    for row in rows:
        dim = dim_of(row, "application__")
        full_name = f"{row['curator__user__first_name']} {row['curator__user__last_name']}"
        slot(dim)["curators"].append(
            [
                row["curator_id"],
                full_name.strip() or row["curator__user__username"],
                row["curator__organisation__name"],
                row["open"],
                row["submitted"],
                turnaround.get((dim, row["curator_id"]), [0, None, None]),
            ]
        )
