"""The filters narrow every figure of the dashboard, and bad filter input is shown, not crashed on.

Two "worlds" differ in programme, province, category and creation date; each has an overdue
application in permit support (with curators, a permit case and an overdue information request)
and an approved one whose certificate expires within 90 days. Any filter that picks one world
must leave exactly that world's figures.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import Certificate, InfoRequest, PermitCase
from curation.models import Assignment
from dashboard.selectors import DashboardFilters
from dashboard.summary import refresh_summary
from regions.models import Province
from tests import factories
from tests.dashboard import builders

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def world(*, programme, province, category, created, staff):
    owner = factories.applicant()
    vendor = factories.vendor(owner=owner, province=province, regency=None)
    product = factories.product(vendor=vendor, category=category)
    stuck = builders.application(programme=programme, product=product, created=created)
    builders.walk(
        stuck,
        [
            ("submitted", created + DAY),
            ("sample_requested", created + 2 * DAY),
            ("in_curation", created + 4 * DAY),
            ("passed", created + 8 * DAY),
            ("permit_support", created + 9 * DAY),
        ],
        by=staff,
    )
    busy, done = programme.assessor.curators.order_by("pk")[:2]
    Assignment.objects.create(application=stuck, curator=busy, assigned_by=staff)
    Assignment.objects.create(
        application=stuck, curator=done, assigned_by=staff, submitted_at=timezone.now()
    )
    case = PermitCase.objects.create(
        application=stuck, kind="AKD", status=PermitCase.Status.INFO_REQUESTED
    )
    request = InfoRequest.objects.create(
        case=case,
        message="Kirim hasil uji.",
        due_on=timezone.localdate() - DAY,
        created_by=staff,
    )
    approved = builders.application(programme=programme, product=product, created=created)
    builders.walk(
        approved,
        [("submitted", created + DAY), ("awaiting_approval", created + 3 * DAY)]
        + [("approved", created + 4 * DAY)],
        by=staff,
    )
    certificate = Certificate.objects.create(
        number=f"KRS-F-{approved.pk:05d}",
        application=approved,
        vendor=vendor,
        product=product,
        programme=programme,
        issued_on=timezone.localdate() - 30 * DAY,
        valid_until=timezone.localdate() + 30 * DAY,
        approved_by=staff,
    )
    return {
        "applications": 2,
        "reached_submitted": 2,
        "stays_in_submitted": 2,
        "programmes": [programme.name],
        "provinces": [province.name],
        "categories": [category],
        "curators": sorted([str(busy.user), str(done.user)]),
        "open_assignments": 1,
        "permit_cases": 1,
        "expiring": [certificate.number],
        "overdue": [stuck.pk],
        "overdue_requests": [request.pk],
    }


def summary(figures):
    funnel = {row.state: row for row in figures.funnel}
    durations = {row.state: row.spread for row in figures.durations}
    return {
        "applications": figures.applications,
        "reached_submitted": funnel["submitted"].reached,
        "stays_in_submitted": durations["submitted"].count,
        "programmes": [row.name for row in figures.programmes],
        "provinces": [share.label for share in figures.provinces],
        "categories": [share.key for share in figures.categories],
        "curators": sorted(load.name for load in figures.curators),
        "open_assignments": sum(load.open for load in figures.curators),
        "permit_cases": sum(share.count for share in figures.permit_cases),
        "expiring": [certificate.number for certificate in figures.expiring],
        "overdue": [item.application.pk for item in figures.overdue],
        "overdue_requests": [request.pk for request in figures.overdue_requests],
    }


@pytest.fixture
def worlds():
    staff = factories.staff(language="en")
    now = timezone.now()
    first = {
        "programme": factories.programme(name="Gelombang I"),
        "province": Province.objects.get(code="32"),
        "category": "cloth_mask",
        "created": now - 200 * DAY,
    }
    second = {
        "programme": factories.programme(name="Gelombang II"),
        "province": Province.objects.get(code="35"),
        "category": "hand_sanitizer",
        "created": now - 150 * DAY,
    }
    return (
        staff,
        (first, world(staff=staff, **first)),
        (second, world(staff=staff, **second)),
    )


def test_without_filters_every_figure_counts_both_worlds(worlds):
    _staff, (_a, first), (_b, second) = worlds

    overall = summary(builders.refreshed_figures(DashboardFilters()))

    assert overall["applications"] == 4
    assert overall["open_assignments"] == 2
    assert overall["permit_cases"] == 2
    assert sorted(overall["overdue"]) == sorted(first["overdue"] + second["overdue"])
    assert sorted(overall["expiring"]) == sorted(first["expiring"] + second["expiring"])
    assert sorted(overall["overdue_requests"]) == sorted(
        first["overdue_requests"] + second["overdue_requests"]
    )
    assert len(overall["provinces"]) == len(overall["categories"]) == 2


@pytest.mark.parametrize(
    "choose",
    [
        lambda a: DashboardFilters(programme=a["programme"]),
        lambda a: DashboardFilters(province=a["province"]),
        lambda a: DashboardFilters(category=a["category"]),
        lambda a: DashboardFilters(created_to=(a["created"] + 25 * DAY).date()),
    ],
    ids=["programme", "province", "category", "created_until"],
)
def test_each_filter_narrows_every_figure_to_the_first_world(worlds, choose):
    _staff, (first_spec, first), _second = worlds

    assert summary(builders.refreshed_figures(choose(first_spec))) == first


def test_created_from_narrows_every_figure_to_the_later_world(worlds):
    _staff, (first_spec, _first), (_second_spec, second) = worlds

    later = DashboardFilters(created_from=(first_spec["created"] + 25 * DAY).date())

    assert summary(builders.refreshed_figures(later)) == second


def test_filters_that_match_nothing_leave_every_figure_empty(worlds):
    _staff, (first_spec, _first), (second_spec, _second) = worlds

    crossed = DashboardFilters(programme=first_spec["programme"], province=second_spec["province"])

    assert summary(builders.refreshed_figures(crossed)) == {
        "applications": 0,
        "reached_submitted": 0,
        "stays_in_submitted": 0,
        "programmes": [],
        "provinces": [],
        "categories": [],
        "curators": [],
        "open_assignments": 0,
        "permit_cases": 0,
        "expiring": [],
        "overdue": [],
        "overdue_requests": [],
    }


def test_filter_form_on_the_page_narrows_the_lists(client, worlds):
    staff, (first_spec, first), (_second_spec, second) = worlds
    client.force_login(staff)
    day = (first_spec["created"] + 25 * DAY).date().isoformat()
    refresh_summary()

    response = client.get(
        reverse("dashboard:index"),
        {"province": "32", "category": "cloth_mask", "created_to": day},
    )

    page = response.text
    assert response.status_code == 200
    assert reverse("curation:detail", args=first["overdue"]) in page
    assert reverse("curation:detail", args=second["overdue"]) not in page
    assert first["expiring"][0] in page and second["expiring"][0] not in page
    assert "Jawa Barat" in page


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"created_from": "kemarin"}, "Enter a valid date."),
        ({"programme": "999999"}, "Select a valid choice."),
        ({"category": "sepatu"}, "Select a valid choice."),
        (
            {"created_from": "2026-03-10", "created_to": "2026-03-01"},
            "The first creation date must not be after the last one.",
        ),
    ],
)
def test_bad_filter_input_shows_the_error_instead_of_figures(client, worlds, query, error):
    client.force_login(worlds[0])

    response = client.get(reverse("dashboard:index"), query)

    assert response.status_code == 200
    assert error in response.text
    assert "The filters could not be applied" in response.text
    assert 'id="funnel"' not in response.text
