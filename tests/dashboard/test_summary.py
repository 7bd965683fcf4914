"""The precomputed dashboard shows exactly what the live computation from the audit log shows at
the moment of the refresh: for the default view, every single-filter view and combinations, on a
generated national-style dataset, after more transitions and an incremental refresh, and however
often the refresh runs."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import TransitionLog
from curation.models import Application, Programme
from dashboard.models import Refresh, Snapshot, Stay
from dashboard.selectors import (
    NOT_COMPUTED,
    SNAPSHOT,
    SUMMARY,
    DashboardFilters,
    dashboard_figures,
    live_figures,
)
from dashboard.summary import refresh_summary
from regions.models import Province
from tests import factories
from tests.dashboard import builders
from vendors.models import Product

pytestmark = pytest.mark.django_db

S = Application.Status
DAY = datetime.timedelta(days=1)


def comparable(figures) -> dict:
    """Every figure of the page as plain values (days rounded to a microsecond's worth)."""

    def days(value):
        return None if value is None else round(value, 9)

    def spread(s):
        return (s.count, days(s.median_days), days(s.p90_days))

    return {
        "applications": figures.applications,
        "funnel": [(r.state, str(r.label), r.current, r.reached) for r in figures.funnel],
        "durations": [(r.state, str(r.label), spread(r.spread)) for r in figures.durations],
        "programmes": [
            (p.programme_id, p.name, p.applications, p.in_progress, p.approved, p.overdue)
            for p in figures.programmes
        ],
        "provinces": [(s.key, s.label, s.count) for s in figures.provinces],
        "categories": [(s.key, s.label, s.count) for s in figures.categories],
        "curators": [
            (c.curator_id, c.name, c.organisation, c.open, c.submitted, spread(c.turnaround))
            for c in figures.curators
        ],
        "permit_cases": [(s.key, s.label, s.count) for s in figures.permit_cases],
        "expiring": (figures.expiring_count, [c.pk for c in figures.expiring]),
        "overdue": (figures.overdue_count, [o.application.pk for o in figures.overdue]),
        "requests": (
            figures.overdue_requests_count,
            [r.pk for r in figures.overdue_requests],
        ),
    }


def views() -> list[DashboardFilters]:
    """The default view, every single-filter view and a few combinations."""
    created = Application.objects.order_by("created_at").values_list("created_at", flat=True)
    middle = timezone.localdate(created[len(created) // 2])
    used = set(
        Application.objects.exclude(vendor__province=None).values_list(
            "vendor__province_id", flat=True
        )
    )
    provinces = Province.objects.filter(pk__in=used).order_by("code")
    return [
        DashboardFilters(),
        *(DashboardFilters(programme=p) for p in Programme.objects.order_by("pk")),
        *(DashboardFilters(province=p) for p in provinces),
        *(DashboardFilters(category=c) for c in Product.Category.values),
        # Nothing in it: a province without vendors.
        DashboardFilters(province=Province.objects.exclude(pk__in=used).first()),
        DashboardFilters(created_from=middle),
        DashboardFilters(created_to=middle),
        DashboardFilters(province=provinces.first(), category=Product.Category.values[0]),
        DashboardFilters(programme=Programme.objects.first(), created_from=middle),
    ]


def assert_precomputed_equals_live() -> int:
    checked = 0
    for filters in views():
        precomputed = dashboard_figures(filters)
        assert precomputed.source in (SNAPSHOT, SUMMARY)
        assert comparable(precomputed) == comparable(live_figures(filters)), filters
        checked += 1
    return checked


def generate(count: int, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "generate_scale_data",
        "--applications",
        str(count),
        "--programmes",
        "2",
        "--seed",
        "5",
        *extra,
        stdout=out,
    )
    if connection.vendor == "postgresql":
        # Without planner statistics PostgreSQL nests loops over whole tables and the live
        # reference takes minutes; a real database has them from autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return out.getvalue()


def stays() -> list[tuple]:
    return list(
        Stay.objects.order_by("log_id").values_list(
            "log_id", "application_id", "source_state", "target_state", "left_at", "seconds"
        )
    )


def more_transitions(staff) -> int:
    """Walk some generated applications on (their earlier stays are already summarised);
    returns the number of transitions logged."""
    later = timezone.now() - DAY
    logged = 0
    for item in Application.objects.filter(status=S.DRAFT).order_by("pk")[:6]:
        builders.walk(item, [(S.SUBMITTED, later), (S.RETURNED, later + DAY / 3)], by=staff)
        logged += 2
    for item in Application.objects.filter(status=S.SUBMITTED).order_by("pk")[:6]:
        builders.walk(item, [(S.SAMPLE_REQUESTED, later + DAY / 2)], by=staff)
        logged += 1
    return logged


def test_generated_data_is_summarised_at_the_end_of_generation_and_equals_the_live_figures():
    output = generate(240)

    assert "dashboard refreshed" in output
    assert (
        Stay.objects.count()
        == TransitionLog.objects.filter(content_type__model="application").count()
    )
    assert Snapshot.objects.filter(scope=Snapshot.PROVINCE).count() > 5
    assert assert_precomputed_equals_live() > 20


def test_an_incremental_refresh_after_more_transitions_equals_the_live_figures_and_a_full_one():
    generate(200)
    # Appending generated data refreshes at the end: COPY-ed log rows are read incrementally.
    generate(60, "--append")
    staff = factories.staff()
    before = dashboard_figures(DashboardFilters())
    stored_before = Stay.objects.count()

    logged = more_transitions(staff)
    # Until the next refresh the analytic figures stay those of the last one.
    assert (
        comparable(dashboard_figures(DashboardFilters()))["funnel"] == comparable(before)["funnel"]
    )

    result = refresh_summary()

    log = TransitionLog.objects.filter(content_type__model="application")
    assert result.transitions == log.count() - stored_before == logged == 18
    assert Refresh.objects.get().last_log_id == TransitionLog.objects.latest("id").pk
    assert assert_precomputed_equals_live() > 20
    incremental = stays()
    refresh_summary(from_scratch=True)
    assert stays() == incremental


def test_refreshing_again_without_new_transitions_changes_nothing():
    generate(120)
    first = list(Snapshot.objects.order_by("scope", "key").values_list("scope", "key", "figures"))
    summarised = stays()

    result = refresh_summary()

    assert result.transitions == 0
    assert stays() == summarised
    assert (
        list(Snapshot.objects.order_by("scope", "key").values_list("scope", "key", "figures"))
        == first
    )


def test_a_change_without_a_transition_shows_at_the_next_refresh():
    generate(80)
    application = Application.objects.filter(vendor__province__isnull=False).first()
    other = Province.objects.exclude(pk=application.vendor.province_id).first()
    application.vendor.__class__.objects.filter(pk=application.vendor_id).update(province=other)

    refresh_summary()

    assert assert_precomputed_equals_live() > 10


def test_the_page_says_when_its_figures_were_computed(client):
    generate(40)
    client.force_login(factories.staff(language="en"))
    Refresh.objects.filter(pk=1).update(
        refreshed_at=datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)
    )

    page = client.get(reverse("dashboard:index")).text
    combined = client.get(reverse("dashboard:index"), {"created_from": "2025-01-01"}).text

    assert "Figures as of 25 November 2026, 10:00" in page
    assert 'id="funnel"' in page
    assert "computed now for this combination of filters" in combined
    assert 'id="funnel"' in combined


def test_before_the_first_refresh_the_page_says_so_and_still_lists_overdue_work(client):
    staff = factories.staff(language="en")
    programme = factories.programme(expected_days={"submitted": 5})
    _vendor, product = factories.verified_vendor_with_product(photos=0)
    late = builders.application(
        programme=programme, product=product, created=timezone.now() - 40 * DAY
    )
    builders.walk(late, [(S.SUBMITTED, timezone.now() - 30 * DAY)], by=staff)
    client.force_login(staff)

    response = client.get(reverse("dashboard:index"))

    assert response.context["figures"].source == NOT_COMPUTED
    page = response.text
    assert "have not been computed yet" in page
    assert "manage.py refresh_dashboard" in page
    assert reverse("curation:detail", args=[late.pk]) in page
    assert 'id="funnel"' not in page


def test_refresh_command_runs_here_or_as_a_task():
    generate(30)
    Stay.objects.all().delete()
    Refresh.objects.filter(pk=1).update(last_log_id=0, refreshed_at=None)
    out = io.StringIO()

    call_command("refresh_dashboard", stdout=out)

    logged = TransitionLog.objects.filter(content_type__model="application").count()
    assert f"dashboard refreshed: {logged:,} new transitions read" in out.getvalue()
    queued = io.StringIO()
    call_command("refresh_dashboard", "--enqueue", stdout=queued)
    assert "enqueued task" in queued.getvalue()
    assert Stay.objects.count() == logged
