"""Overdue work comes first on the dashboard: applications longer in their state than the
programme expects (in working days), and open information requests past their due date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import InfoRequest, PermitCase
from curation.deadlines import deadline_for
from dashboard.summary import refresh_summary
from tests import factories
from tests.dashboard import builders

DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def submitted(programme, product, *, days_ago: float, staff):
    moment = timezone.now() - days_ago * DAY
    application = builders.application(programme=programme, product=product, created=moment - DAY)
    return builders.walk(application, [("submitted", moment)], by=staff)


def overdue_section(page: str) -> str:
    start = page.index('id="overdue-title"')
    return page[start : page.index("</section>", start)]


def test_overdue_list_shows_an_application_past_its_expected_working_days_not_one_within(
    client,
):
    staff = factories.staff(language="en")
    programme = factories.programme(expected_days={"submitted": 5})
    _vendor, product = factories.verified_vendor_with_product(photos=0)
    late = submitted(programme, product, days_ago=30, staff=staff)
    fresh = submitted(programme, product, days_ago=0.1, staff=staff)
    client.force_login(staff)

    response = client.get(reverse("dashboard:index"))

    section = overdue_section(response.text)
    assert "1 application past its expected time" in section
    assert reverse("curation:detail", args=[late.pk]) in section
    assert reverse("curation:detail", args=[fresh.pk]) not in response.text
    late_days = deadline_for(late).working_days_late
    assert late_days > 0
    assert f'<td class="num">{late_days}</td>' in section
    assert response.context["figures"].overdue_count == 1


def test_a_state_without_an_expected_duration_is_never_overdue(client):
    staff = factories.staff(language="en")
    programme = factories.programme(expected_days={"in_curation": 10})
    _vendor, product = factories.verified_vendor_with_product(photos=0)
    waiting = submitted(programme, product, days_ago=60, staff=staff)
    client.force_login(staff)

    response = client.get(reverse("dashboard:index"))

    assert "0 applications past their expected time" in response.text
    assert reverse("curation:detail", args=[waiting.pk]) not in response.text


def test_overdue_information_requests_are_the_open_ones_past_their_due_date(client):
    staff = factories.staff(language="en")
    programme = factories.programme()
    _vendor, product = factories.verified_vendor_with_product(photos=0)
    today = timezone.localdate()
    requests = {}
    for name, due_on, closed_at in (
        ("late", today - DAY, None),
        ("answered", today - 3 * DAY, timezone.now()),
        ("due_today", today, None),
    ):
        application = builders.application(
            programme=programme, product=product, created=timezone.now() - 20 * DAY
        )
        case = PermitCase.objects.create(
            application=application, kind="AKD", status=PermitCase.Status.INFO_REQUESTED
        )
        requests[name] = InfoRequest.objects.create(
            case=case,
            message=f"Permintaan {name}",
            due_on=due_on,
            closed_at=closed_at,
            created_by=staff,
        )
    client.force_login(staff)

    response = client.get(reverse("dashboard:index"))

    section = overdue_section(response.text)
    assert "1 information request past its due date" in section
    assert reverse("certification:case", args=[requests["late"].case_id]) in section
    assert "Permintaan late" in section
    assert "Permintaan answered" not in section
    assert "Permintaan due_today" not in section


def test_overdue_work_comes_before_the_charts(client):
    client.force_login(factories.staff(language="en"))
    refresh_summary()

    page = client.get(reverse("dashboard:index")).text

    assert page.index('id="overdue-title"') < page.index('id="funnel"')
