"""Working-day deadlines on the curation pages: the staff screening queue (due date, overdue
badge, "only overdue", overdue first), the curator workspace, the assessor queue, the
applicant's "My applications" and application page, and the programme admin.

Pages are requested in English so the assertions read the source strings. The default
programme durations apply (submitted 5, returned 10, sample requested 10, in curation 10 working
days).
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from curation import services
from curation.deadlines import deadline_for
from curation.models import Application
from tests import factories
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

QUEUE = "/staff/applications/"


# ---------------------------------------------------------------------------------------------
# A deadline across Idul Fitri 2026


@pytest.mark.parametrize(
    ("moment", "shown", "late"),
    [
        (at(2026, 3, 20), "4 working days left", 0),  # inside the Nyepi and Idul Fitri break
        (at(2026, 3, 27), "1 working day left", 0),
        (at(2026, 3, 30, 23, 59), "due today", 0),
        (at(2026, 3, 31, 0, 1), "overdue · 1 working day late", 1),
        (at(2026, 4, 3), "overdue · 3 working days late", 3),  # Good Friday
    ],
    ids=["during-the-break", "friday-before", "due-day", "day-after", "good-friday"],
)
def test_application_submitted_before_idul_fitri_is_due_after_the_break(moment, shown, late):
    # Monday 16 March + 5 working days: the 17th, then 25, 26, 27 and Monday 30 March.
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        case = builders.submitted()

    with time_machine.travel(moment, tick=False):
        deadline = deadline_for(case.application)
        response = client_for(case.officer).get(QUEUE)
        only_overdue = client_for(case.officer).get(QUEUE, {"overdue": "on"})

    assert deadline.due_on == datetime.date(2026, 3, 30)
    assert deadline.working_days_late == late
    row = block_with(response.content.decode(), case.application.reference)
    assert '<time datetime="2026-03-30">30 Mar 2026</time>' in row
    assert shown in row
    assert (OVERDUE_TEXT in row) == bool(late)
    listed = [r["application"].pk for r in only_overdue.context["rows"]]
    assert listed == ([case.application.pk] if late else [])


# ---------------------------------------------------------------------------------------------
# Staff screening queue


def test_screening_queue_shows_the_badge_only_on_overdue_applications_and_lists_them_first():
    programme = factories.programme()
    in_time = builders.submitted(programme=programme)
    late = builders.submitted(programme=programme)
    make_overdue(late.application)

    response = client_for(in_time.officer).get(QUEUE)

    html = response.content.decode()
    assert [row["application"].pk for row in response.context["rows"]] == [
        late.application.pk,
        in_time.application.pk,
    ]
    late_row = block_with(html, late.application.reference)
    assert OVERDUE_TEXT in late_row
    assert 'class="overdue"' in late_row.split(">")[0]
    in_time_row = block_with(html, in_time.application.reference)
    assert OVERDUE_TEXT not in in_time_row
    assert "working days left" in in_time_row


def test_screening_queue_puts_overdue_first_across_programmes_with_different_durations():
    # Entered longer ago, but its programme allows 30 working days: not overdue yet.
    patient = builders.submitted(expected_days={"submitted": 30})
    strict = builders.submitted(expected_days={"submitted": 1})
    Application.objects.filter(pk=patient.application.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=20)
    )
    Application.objects.filter(pk=strict.application.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=10)
    )
    staff = client_for(patient.officer)

    default = staff.get(QUEUE).context["rows"]
    waiting = staff.get(QUEUE, {"sort": "waiting"}).context["rows"]
    recent = staff.get(QUEUE, {"sort": "recent"}).context["rows"]

    assert [r["application"].pk for r in default] == [
        strict.application.pk,
        patient.application.pk,
    ]
    assert [r["deadline"].overdue for r in default] == [True, False]
    assert [r["application"].pk for r in waiting] == [
        patient.application.pk,
        strict.application.pk,
    ]
    assert [r["application"].pk for r in recent] == [
        strict.application.pk,
        patient.application.pk,
    ]


def test_only_overdue_filter_combines_with_the_status_filter():
    programme = factories.programme()
    late_submitted = builders.submitted(programme=programme)
    make_overdue(late_submitted.application)
    builders.submitted(programme=programme)
    late_returned = builders.returned(programme=programme)
    make_overdue(late_returned.application)
    staff = client_for(late_submitted.officer)

    submitted = staff.get(QUEUE, {"overdue": "on"}).context["rows"]
    every_state = staff.get(QUEUE, {"overdue": "on", "status": ""}).context["rows"]

    assert [r["application"].pk for r in submitted] == [late_submitted.application.pk]
    assert {r["application"].pk for r in every_state} == {
        late_submitted.application.pk,
        late_returned.application.pk,
    }
    assert all(r["deadline"].overdue for r in every_state)


def test_ended_applications_have_no_due_date_in_the_queue():
    rejected = builders.rejected()
    make_overdue(rejected.application)

    response = client_for(rejected.officer).get(QUEUE, {"status": "rejected"})

    assert [r["deadline"] for r in response.context["rows"]] == [None]
    assert OVERDUE_TEXT not in block_with(response.content.decode(), rejected.application.reference)
    assert (
        client_for(rejected.officer).get(QUEUE, {"status": "", "overdue": "on"}).context["rows"]
        == []
    )


def test_screening_queue_query_count_is_the_same_at_10_and_50_rows(capsys):
    programme = factories.programme()
    client = client_for(factories.staff())
    add_applications(10, programme=programme, status="submitted")
    client.get(QUEUE)

    at_10, response = count_queries(client, f"{QUEUE}?page=1")
    assert response.content.decode().count(OVERDUE_TEXT) == 5
    add_applications(40, programme=programme, status="submitted")
    at_50, response = count_queries(client, f"{QUEUE}?page=1")
    filtered, only = count_queries(client, f"{QUEUE}?overdue=on")

    assert response.context["page"].paginator.count == 50
    # 25 of 50 are overdue: the first page holds exactly those, each with its badge.
    assert response.content.decode().count(OVERDUE_TEXT) == 25
    assert only.context["page"].paginator.count == 25
    assert at_10 == at_50 == filtered, f"{QUEUE}: {at_10} at 10, {at_50} at 50, {filtered} only"
    with capsys.disabled():
        print(f"\n{QUEUE} with deadlines: {at_10} queries at 10 applications, {at_50} at 50")


# ---------------------------------------------------------------------------------------------
# Curator workspace and assessor queue


def test_curator_workspace_shows_the_due_date_and_the_badge_of_overdue_work():
    programme = factories.programme()
    late = builders.in_curation(programme=programme)
    on_time = builders.in_curation(programme=programme)
    make_overdue(late.application)
    curator = late.assignments[0].curator.user

    html = client_for(curator).get("/curator/").content.decode()

    late_card = block_with(html, late.application.reference, tag="article")
    assert "Due (In curation)" in late_card
    assert OVERDUE_TEXT in late_card
    on_time_card = block_with(html, on_time.application.reference, tag="article")
    assert OVERDUE_TEXT not in on_time_card
    due = deadline_for(on_time.application).due_on
    assert f'<time datetime="{due:%Y-%m-%d}">' in on_time_card


def test_curator_workspace_query_count_is_the_same_at_10_and_50_rows():
    programme = factories.programme()
    curator = programme.assessor.curators.select_related("user").first()
    client = client_for(curator.user)
    add_applications(10, programme=programme, status="in_curation", curator=curator)
    client.get("/curator/")

    at_10, response = count_queries(client, "/curator/")
    assert response.content.decode().count(OVERDUE_TEXT) == 5
    add_applications(40, programme=programme, status="in_curation", curator=curator)
    at_50, response = count_queries(client, "/curator/")

    # A page of 25: the first 10, then 15 of the 40 (every other one overdue in each batch).
    assert response.content.decode().count(OVERDUE_TEXT) == 5 + 8
    assert response.context["page"].paginator.count == 50
    assert at_10 == at_50, f"/curator/: {at_10} queries at 10, {at_50} at 50"


def test_assessor_queue_shows_the_badge_of_overdue_applications():
    programme = factories.programme()
    late = builders.sample_requested(programme=programme, assign=False)
    on_time = builders.sample_requested(programme=programme, assign=False)
    make_overdue(late.application)

    html = client_for(programme.assessor.lead).get("/assessor/").content.decode()

    assert OVERDUE_TEXT in block_with(html, late.application.reference, tag="article")
    assert OVERDUE_TEXT not in block_with(html, on_time.application.reference, tag="article")


def test_assessor_queue_query_count_is_the_same_at_10_and_50_rows():
    programme = factories.programme()
    client = client_for(programme.assessor.lead)
    add_applications(10, programme=programme, status="sample_requested")
    client.get("/assessor/")

    at_10, response = count_queries(client, "/assessor/")
    assert response.content.decode().count(OVERDUE_TEXT) == 5
    add_applications(40, programme=programme, status="sample_requested")
    at_50, response = count_queries(client, "/assessor/")

    assert response.content.decode().count(OVERDUE_TEXT) > 5
    assert at_10 == at_50, f"/assessor/: {at_10} queries at 10, {at_50} at 50"


# ---------------------------------------------------------------------------------------------
# The applicant


def test_applicant_is_asked_to_act_by_the_due_date_when_the_application_was_returned():
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        case = builders.returned()

    with time_machine.travel(at(2026, 3, 17), tick=False):
        listing = client_for(case.owner).get("/applications/").content.decode()
        page = client_for(case.owner).get(f"/applications/{case.application.pk}/")

    # Returned: 10 working days from Monday 16 March; the Idul Fitri break and Good Friday
    # (3 April) do not count.
    expected = 'Please act by <time datetime="2026-04-07">7 Apr 2026</time>.'
    assert expected in block_with(listing, f"/applications/{case.application.pk}/", "article")
    assert expected in page.content.decode()
    assert "Expected by" not in page.content.decode()


def test_applicant_reads_expected_by_while_the_ministry_screens():
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        case = builders.submitted()

    with time_machine.travel(at(2026, 3, 31, 9), tick=False):
        html = client_for(case.owner).get("/applications/").content.decode()

    card = block_with(html, f"/applications/{case.application.pk}/", "article")
    assert 'Expected by <time datetime="2026-03-30">30 Mar 2026</time>.' in card
    # The ministry is late, not the applicant: said as such, not as "overdue".
    assert "1 working day later than expected" in card
    assert OVERDUE_TEXT not in card
    assert "Please act by" not in card


def test_applicant_is_asked_to_send_the_sample_until_the_shipment_is_recorded():
    case = builders.sample_requested()
    owner = client_for(case.owner)
    detail = f"/applications/{case.application.pk}/"

    before_list = owner.get("/applications/").content.decode()
    before_page = owner.get(detail).content.decode()
    services.record_shipment(
        sample=case.sample,
        by=case.owner,
        courier="JNE",
        tracking_number="JNE123",
        shipped_on=timezone.localdate(),
    )
    after_list = owner.get("/applications/").content.decode()
    after_page = owner.get(detail).content.decode()

    assert "Please act by" in before_list and "Please act by" in before_page
    assert "Please act by" not in after_list and "Please act by" not in after_page
    assert "Expected by" in after_list and "Expected by" in after_page


def test_applicant_sees_no_due_date_on_a_draft_or_an_approved_application():
    draft = builders.draft()
    approved = builders.approved()

    drafts = client_for(draft.owner).get("/applications/").content.decode()
    approvals = client_for(approved.owner).get("/applications/").content.decode()

    for html in (drafts, approvals):
        assert "Please act by" not in html and "Expected by" not in html


def test_portal_lists_the_applications_with_their_due_dates():
    case = builders.returned()

    html = client_for(case.owner).get("/portal/").content.decode()

    assert "Please act by" in block_with(html, f"/applications/{case.application.pk}/", "li")


def test_my_applications_query_count_is_the_same_at_10_and_50_rows():
    programme = factories.programme()
    owner = factories.applicant()
    client = client_for(owner)
    add_applications(10, programme=programme, status="sample_requested", owner=owner)
    client.get("/applications/")

    at_10, response = count_queries(client, "/applications/")
    assert response.content.decode().count("Please act by") == 10
    add_applications(40, programme=programme, status="sample_requested", owner=owner)
    at_50, response = count_queries(client, "/applications/")

    assert response.content.decode().count("Please act by") == 50
    assert at_10 == at_50, f"/applications/: {at_10} queries at 10, {at_50} at 50"


def test_officer_sees_the_due_date_and_the_badge_on_the_application_page():
    case = builders.submitted()
    make_overdue(case.application)

    html = client_for(case.officer).get(f"/applications/{case.application.pk}/").content.decode()

    head = block_with(html, "page-head", tag="header")
    assert "Due (Submitted)" in head
    assert OVERDUE_TEXT in head
    assert "Please act by" not in html and "Expected by" not in html


# ---------------------------------------------------------------------------------------------
# Programme admin


def test_programme_admin_shows_the_expected_working_days_per_state():
    programme = factories.programme(
        expected_days={"submitted": 5, "sample_requested": 1, "nonsense": 3, "passed": "soon"}
    )
    client = client_for(factories.UserFactory(is_staff=True, is_superuser=True))

    html = client.get(f"/admin/curation/programme/{programme.pk}/change/").content.decode()

    assert "Expected working days, as the queues read them" in html
    assert "<li>Submitted: 5 working days</li>" in html
    assert "<li>Sample requested: 1 working day</li>" in html
    assert "<li>nonsense: unknown state: ignored</li>" in html
    assert "<li>Passed curation: not a number of working days: ignored</li>" in html


def test_programme_admin_add_page_shows_the_default_working_days():
    client = client_for(factories.UserFactory(is_staff=True, is_superuser=True))

    html = client.get("/admin/curation/programme/add/").content.decode()

    assert "<li>Submitted: 5 working days</li>" in html
    assert "<li>Permit support: 60 working days</li>" in html
