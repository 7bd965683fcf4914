"""Working-day deadlines on the certification pages: the approval queue, the permit board (the
application's permit support deadline beside the information requests), the passed list and
the information request form, whose due date is offered ten working days ahead.

Default programme durations: passed 5, permit support 60, awaiting approval 5 working days.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from certification import services
from certification.models import PermitCase
from curation.deadlines import deadline_for
from curation.models import Application
from tests import factories
from tests.certification import permit_builders
from tests.certification.permit_builders import at
from tests.curation import builders
from tests.curation.queue_rows import (
    OVERDUE_TEXT,
    add_applications,
    block_with,
    client_for,
    count_queries,
    make_overdue,
)

pytestmark = pytest.mark.django_db


def open_case(**kwargs):
    """A passed medical mask with its AKD permit case opened (application in permit support)."""
    case = builders.passed(category="medical_mask", **kwargs)
    permit = services.open_permit_case(application=case.application, by=case.officer)
    case.refresh()
    return case, permit


# ---------------------------------------------------------------------------------------------
# Approval queue


def test_approval_queue_shows_the_badge_only_on_overdue_applications_and_lists_them_first():
    # Waiting longer, but under a programme that allows 30 working days: not overdue.
    patient = builders.awaiting_approval(expected_days={"awaiting_approval": 30})
    strict = builders.awaiting_approval(expected_days={"awaiting_approval": 1})
    Application.objects.filter(pk=patient.application.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=20)
    )
    Application.objects.filter(pk=strict.application.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=10)
    )

    response = client_for(factories.approver()).get("/approvals/")

    html = response.content.decode()
    assert [row["application"].pk for row in response.context["rows"]] == [
        strict.application.pk,
        patient.application.pk,
    ]
    assert OVERDUE_TEXT in block_with(html, strict.application.reference)
    in_time = block_with(html, patient.application.reference)
    assert OVERDUE_TEXT not in in_time
    assert "working days left" in in_time


def test_approval_queue_query_count_is_the_same_at_10_and_50_rows(capsys):
    programme = factories.programme()
    client = client_for(factories.approver())
    add_applications(10, programme=programme, status="awaiting_approval")
    client.get("/approvals/")

    at_10, response = count_queries(client, "/approvals/")
    assert response.content.decode().count(OVERDUE_TEXT) == 5
    add_applications(40, programme=programme, status="awaiting_approval")
    at_50, response = count_queries(client, "/approvals/")

    assert response.context["page"].paginator.count == 50
    assert response.content.decode().count(OVERDUE_TEXT) == 25
    assert at_10 == at_50, f"/approvals/: {at_10} queries at 10, {at_50} at 50"
    with capsys.disabled():
        print(f"\n/approvals/ with deadlines: {at_10} queries at 10, {at_50} at 50")


# ---------------------------------------------------------------------------------------------
# Permit board


def test_permit_board_shows_the_permit_support_deadline_and_puts_overdue_cases_first():
    in_time, in_time_permit = open_case()
    late, late_permit = open_case(programme=in_time.programme)
    make_overdue(late.application)
    staff = client_for(in_time.officer)

    response = staff.get("/staff/permits/")
    only_overdue = staff.get("/staff/permits/", {"overdue": "on"}).context["rows"]

    html = response.content.decode()
    rows = response.context["rows"]
    assert [row["case"].pk for row in rows] == [late_permit.pk, in_time_permit.pk]
    assert rows[0]["case"].permit_overdue and not rows[1]["case"].permit_overdue
    late_row = block_with(html, f'href="/permits/{late_permit.pk}/"')
    assert OVERDUE_TEXT in late_row
    assert 'class="overdue"' in late_row.split(">")[0]
    in_time_row = block_with(html, f'href="/permits/{in_time_permit.pk}/"')
    assert OVERDUE_TEXT not in in_time_row
    due = deadline_for(in_time.application).due_on
    assert f'<time datetime="{due:%Y-%m-%d}">' in in_time_row
    assert [row["case"].pk for row in only_overdue] == [late_permit.pk]


def test_permit_board_shows_no_permit_support_deadline_once_the_permit_is_issued():
    permit = permit_builders.issued()
    make_overdue(permit.application)  # awaiting approval: the approval queue's deadline now

    response = client_for(permit.officer).get("/staff/permits/")

    assert [row["deadline"] for row in response.context["rows"]] == [None]
    assert not response.context["rows"][0]["case"].permit_overdue
    assert OVERDUE_TEXT not in response.content.decode()


def add_cases(count: int, *, programme) -> list[PermitCase]:
    applications = add_applications(
        count, programme=programme, status="permit_support", category="medical_mask"
    )
    return PermitCase.objects.bulk_create(
        PermitCase(application=application, kind="AKD") for application in applications
    )


def test_permit_board_query_count_is_the_same_at_10_and_50_rows(capsys):
    programme = factories.programme()
    client = client_for(factories.staff())
    add_cases(10, programme=programme)
    client.get("/staff/permits/")

    at_10, response = count_queries(client, "/staff/permits/")
    assert response.content.decode().count(OVERDUE_TEXT) == 5
    add_cases(40, programme=programme)
    at_50, response = count_queries(client, "/staff/permits/")
    filtered, only = count_queries(client, "/staff/permits/?overdue=on")

    assert response.context["page"].paginator.count == 50
    assert response.content.decode().count(OVERDUE_TEXT) == 25
    assert only.context["page"].paginator.count == 25
    assert at_10 == at_50 == filtered, f"/staff/permits/: {at_10} at 10, {at_50} at 50"
    with capsys.disabled():
        print(f"\n/staff/permits/ with deadlines: {at_10} queries at 10 cases, {at_50} at 50")


# ---------------------------------------------------------------------------------------------
# Passed list


def test_passed_list_shows_the_permit_decision_deadline_with_the_badge_when_late():
    in_time = builders.passed()
    late = builders.passed(programme=in_time.programme)
    make_overdue(late.application)

    response = client_for(in_time.officer).get("/staff/certification/passed/")

    html = response.content.decode()
    assert [row["application"].pk for row in response.context["rows"]] == [
        late.application.pk,
        in_time.application.pk,
    ]
    assert OVERDUE_TEXT in block_with(html, late.application.reference, tag="article")
    assert OVERDUE_TEXT not in block_with(html, in_time.application.reference, tag="article")


def test_passed_list_query_count_is_the_same_at_10_and_50_rows():
    programme = factories.programme()
    client = client_for(factories.staff())
    add_applications(10, programme=programme, status="passed")
    client.get("/staff/certification/passed/")

    at_10, response = count_queries(client, "/staff/certification/passed/")
    assert response.content.decode().count(OVERDUE_TEXT) == 5
    add_applications(40, programme=programme, status="passed")
    at_50, response = count_queries(client, "/staff/certification/passed/")

    assert response.content.decode().count(OVERDUE_TEXT) == 25
    assert at_10 == at_50, f"/staff/certification/passed/: {at_10} at 10, {at_50} at 50"


# ---------------------------------------------------------------------------------------------
# Information requests


def test_information_request_is_offered_ten_working_days_ahead():
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        permit = permit_builders.under_review()
        html = client_for(permit.officer).get(f"/permits/{permit.case.pk}/").content.decode()

    # Monday 16 March + 10 working days: Nyepi, Idul Fitri and Good Friday are not counted.
    assert 'name="due_on" value="2026-04-07"' in html
    assert "Offered: 10 working days from today" in html
