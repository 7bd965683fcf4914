"""The funnel and the time spent in each state, checked against an audit history whose times are
known: every application and log row is written with the clock frozen."""

import datetime

import pytest
from django.urls import reverse

from audit.services import record_transition
from dashboard.selectors import DashboardFilters
from dashboard.summary import refresh_summary
from tests import factories
from tests.dashboard import builders
from vendors.models import Vendor

DAY = datetime.timedelta(days=1)
T0 = builders.at(2026, 3, 2)

pytestmark = pytest.mark.django_db


def history():
    """Five applications that stayed 1, 2, 3, 4 and 10 days in ``submitted``, one still a draft.

    Every one was a draft for exactly one day. Afterwards the first two stay 2 days in
    sample_requested and are now in curation, the next two are still waiting for their sample,
    and the last one was withdrawn after 5 days in sample_requested.
    """
    staff = factories.staff(language="en")
    programme = factories.programme()
    _vendor, product = factories.verified_vendor_with_product(photos=0)
    applications = []
    for index, days_submitted in enumerate((1, 2, 3, 4, 10)):
        application = builders.application(programme=programme, product=product, created=T0)
        submitted = T0 + DAY
        left = submitted + days_submitted * DAY
        steps = [("submitted", submitted), ("sample_requested", left)]
        if index < 2:
            steps.append(("in_curation", left + 2 * DAY))
        elif index == 4:
            steps.append(("withdrawn", left + 5 * DAY))
        applications.append(builders.walk(application, steps, by=staff))
        if index == 0:
            # Another kind of object with the same id in the same log: neither a stay nor a
            # state reached of the application.
            with builders.time_machine.travel(submitted + DAY / 2, tick=False):
                record_transition(
                    obj=Vendor(pk=application.pk, legal_name="CV Lain"),
                    transition="approve",
                    source="submitted",
                    target="approved",
                    actor=staff,
                )
    builders.application(programme=programme, product=product, created=T0)
    return staff, applications


def by_state(rows):
    return {row.state: row for row in rows}


def test_funnel_counts_applications_now_in_each_state_and_those_that_ever_reached_it():
    history()

    funnel = by_state(builders.refreshed_figures(DashboardFilters()).funnel)

    now = {state: row.current for state, row in funnel.items() if row.current}
    reached = {state: row.reached for state, row in funnel.items() if row.reached}
    assert now == {"draft": 1, "sample_requested": 2, "in_curation": 2, "withdrawn": 1}
    assert reached == {
        "draft": 6,
        "submitted": 5,
        "sample_requested": 5,
        "in_curation": 2,
        "withdrawn": 1,
    }


def test_median_and_90th_percentile_days_per_state_come_from_the_audit_log():
    history()

    durations = by_state(builders.refreshed_figures(DashboardFilters()).durations)

    def spread(state):
        s = durations[state].spread
        return s.count, s.median_days, s.p90_days

    assert spread("draft") == (5, pytest.approx(1), pytest.approx(1))
    # Nearest rank: ceil(0.5 × 5) = 3rd and ceil(0.9 × 5) = 5th of 1, 2, 3, 4, 10.
    assert spread("submitted") == (5, pytest.approx(3), pytest.approx(10))
    assert spread("sample_requested") == (3, pytest.approx(2), pytest.approx(5))
    # Stays still going on are not counted.
    assert spread("in_curation") == (0, None, None)


def test_percentiles_are_nearest_rank_not_interpolated():
    staff = factories.staff()
    programme = factories.programme()
    _vendor, product = factories.verified_vendor_with_product(photos=0)
    for days_submitted in range(1, 11):
        application = builders.application(programme=programme, product=product, created=T0)
        builders.walk(
            application,
            [("submitted", T0), ("returned", T0 + days_submitted * DAY)],
            by=staff,
        )

    submitted = by_state(builders.refreshed_figures(DashboardFilters()).durations)[
        "submitted"
    ].spread

    # Interpolation would give 5.5 and 9.1.
    assert (submitted.median_days, submitted.p90_days) == (pytest.approx(5), pytest.approx(9))


def test_page_draws_the_funnel_and_durations_with_their_tables(client):
    staff, _applications = history()
    client.force_login(staff)
    refresh_summary()

    response = client.get(reverse("dashboard:index"))

    page = response.text
    assert response.status_code == 200
    assert "Submitted: median 3.0 d, 90% 10.0 d" in page
    assert "Draft: 1 now, 6 reached" in page
    # The widest bar of the funnel is the six drafts ever reached; two in curation are a third.
    assert 'class="bar-outer" x="0" y="21" width="100.00%"' in page
    assert 'class="bar-inner" x="0" y="144" width="33.33%"' in page
    assert '<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert "<caption>Days spent in each state</caption>" in page
    assert '<th scope="row">Submitted</th><td class="num">5</td><td class="num">3.0</td>' in (
        " ".join(page.split()).replace("> <", "><")
    )
    assert "nearest-rank" in page
    main = page[page.index("<main") : page.index("</main>")]
    assert "<script" not in main


def test_bar_geometry_keeps_a_decimal_point_while_the_tables_speak_indonesian(client):
    history()
    client.force_login(factories.staff(language="id"))
    refresh_summary()

    page = client.get(reverse("dashboard:index")).text

    # Django would localise a float in a template to "33,33", which SVG cannot read.
    assert 'class="bar-inner" x="0" y="144" width="33.33%"' in page
    assert 'width="33,33%"' not in page
    assert '<td class="num">3,0</td>' in page
