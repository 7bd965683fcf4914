"""The daily reminders: an application that stays in a state longer than its programme allows
reminds whoever's turn it is, counted in Indonesian working days; an unanswered information
request reminds the vendor; a permit or certificate about to expire reminds the vendor once per
window. Running the job twice (or every day) never repeats a reminder.

The clock is frozen with time_machine: applications enter their state on Monday 6 July 2026
(a month without public holidays) unless the test is about the holidays.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from certification import services as certification
from curation import services as curation
from notifications.kinds import KINDS
from notifications.models import Notification
from notifications.reminders import send_reminders
from tests import factories
from tests.certification import permit_builders
from tests.certification.permit_builders import at
from tests.curation import builders

pytestmark = pytest.mark.django_db

MONDAY = at(2026, 7, 6, 10)


def remind(day: datetime.date) -> dict[str, int]:
    with time_machine.travel(at(day.year, day.month, day.day, 7), tick=False):
        return send_reminders()


def told(kind: str) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "dedupe_key")
    )


def recipients(kind: str) -> set:
    return {n.recipient for n in Notification.objects.filter(kind=kind)}


def english(notification: Notification) -> str:
    with translation.override("en"):
        return " ".join(KINDS[notification.kind].render(notification.params))


def build_at(moment, build, **kwargs):
    with time_machine.travel(moment, tick=False):
        return build(**kwargs)


# ---------------------------------------------------------------------------------------------
# Overdue applications, to whoever's turn it is


def test_a_submission_left_unscreened_reminds_staff_once_it_is_past_its_working_days():
    case = build_at(MONDAY, builders.submitted)
    other_officer = factories.staff()
    factories.staff(is_active=False)
    # Five working days: due Monday 13 July, overdue from Tuesday 14 July.
    assert remind(datetime.date(2026, 7, 13))["overdue_applications"] == 0
    assert not Notification.objects.exists()

    assert remind(datetime.date(2026, 7, 14))["overdue_applications"] == 2
    assert recipients("staff_overdue") == {case.officer, other_officer}
    notification = Notification.objects.filter(kind="staff_overdue").first()
    text = english(notification)
    assert case.application.reference in text
    assert "“Submitted” since 6 July 2026; it was due on 13 July 2026" in text
    assert not recipients("applicant_overdue")


def test_public_holidays_and_joint_leave_days_do_not_count_towards_the_deadline():
    case = build_at(at(2026, 3, 16, 10), builders.submitted)
    # Five working days from Monday 16 March 2026: Tuesday 17, then Nyepi and Idul Fitri with
    # the joint leave days (18–24 March), then 25, 26, 27 and Monday 30 March.
    for quiet_day in (datetime.date(2026, 3, 23), datetime.date(2026, 3, 30)):
        assert remind(quiet_day)["overdue_applications"] == 0
    assert remind(datetime.date(2026, 3, 31))["overdue_applications"] == 1
    assert recipients("staff_overdue") == {case.officer}
    assert "due on 30 March 2026" in english(Notification.objects.get(kind="staff_overdue"))


def test_an_application_returned_for_changes_reminds_its_owners():
    case = build_at(MONDAY, builders.returned)
    co_owner = factories.applicant()
    case.vendor.owners.add(co_owner, factories.applicant(is_active=False))
    # Ten working days: due Monday 20 July.
    assert remind(datetime.date(2026, 7, 20))["overdue_applications"] == 0
    assert remind(datetime.date(2026, 7, 21))["overdue_applications"] == 2
    assert recipients("applicant_overdue") == {case.owner, co_owner}
    assert not recipients("staff_overdue")
    text = english(Notification.objects.filter(kind="applicant_overdue").first())
    assert "“Returned for changes” since 6 July 2026; it was due on 20 July 2026" in text


def test_a_sample_not_yet_shipped_reminds_the_owner_and_a_shipped_one_reminds_staff():
    waiting = build_at(MONDAY, builders.sample_requested)
    shipped = build_at(MONDAY, builders.sample_requested)
    with time_machine.travel(MONDAY, tick=False):
        curation.record_shipment(
            sample=shipped.sample,
            by=shipped.owner,
            courier="JNE",
            tracking_number="JN0012345",
            shipped_on=timezone.localdate(),
        )
    assert remind(datetime.date(2026, 7, 20))["overdue_applications"] == 0
    remind(datetime.date(2026, 7, 21))
    assert recipients("applicant_overdue") == {waiting.owner}
    staff_told = Notification.objects.filter(kind="staff_overdue")
    assert {n.params["reference"] for n in staff_told} == {shipped.application.reference}
    assert {n.recipient for n in staff_told} == {waiting.officer, shipped.officer}


def test_an_overdue_curation_reminds_only_the_curators_who_have_not_submitted():
    case = build_at(MONDAY, builders.in_curation)
    first, last = case.assignments
    with time_machine.travel(MONDAY, tick=False):
        curation.submit_scores(
            assignment=first,
            by=first.curator.user,
            values=builders.sheet(case.rubric, builders.GOOD),
        )
    assert remind(datetime.date(2026, 7, 20))["overdue_applications"] == 0
    assert remind(datetime.date(2026, 7, 21))["overdue_applications"] == 1
    assert recipients("curator_overdue") == {last.curator.user}
    notification = Notification.objects.get(kind="curator_overdue")
    assert notification.url.endswith(f"/curator/applications/{case.application.pk}/")
    assert case.vendor.display_name not in str(notification.params)
    assert not recipients("staff_overdue")


def test_an_overdue_approval_reminds_the_approvers():
    case = build_at(MONDAY, builders.awaiting_approval)
    approver = factories.approver()
    factories.approver(is_active=False)
    assert remind(datetime.date(2026, 7, 13))["overdue_applications"] == 0
    assert remind(datetime.date(2026, 7, 14))["overdue_applications"] == 1
    assert recipients("approver_overdue") == {approver}
    assert case.application.reference in english(Notification.objects.get(kind="approver_overdue"))


def test_reminders_are_not_repeated_the_same_day_or_the_days_after():
    build_at(MONDAY, builders.submitted)
    build_at(MONDAY, builders.returned)
    first = remind(datetime.date(2026, 7, 21))
    assert first["overdue_applications"] == 3  # two officers, one owner
    before = told("staff_overdue") + told("applicant_overdue")
    assert remind(datetime.date(2026, 7, 21)) == {
        "overdue_applications": 0,
        "overdue_information_requests": 0,
        "expiring_permits": 0,
        "expiring_certificates": 0,
    }
    assert remind(datetime.date(2026, 7, 22))["overdue_applications"] == 0
    assert told("staff_overdue") + told("applicant_overdue") == before
    assert Notification.objects.count() == 3


def test_an_application_that_returns_to_a_state_and_overstays_again_is_reminded_again():
    case = build_at(MONDAY, builders.returned)
    remind(datetime.date(2026, 7, 21))
    assert len(told("applicant_overdue")) == 1
    with time_machine.travel(at(2026, 7, 22, 9), tick=False):
        resubmitted = curation.submit_application(application=case.application, by=case.owner)
        curation.return_application(
            application=resubmitted, by=case.officer, reason="Masih kurang jelas."
        )
    assert remind(datetime.date(2026, 8, 5))["overdue_applications"] == 0
    assert remind(datetime.date(2026, 8, 6))["overdue_applications"] == 1
    assert len(told("applicant_overdue")) == 2


def test_an_application_in_a_state_without_a_deadline_is_never_reminded():
    build_at(MONDAY, builders.draft)
    build_at(MONDAY, builders.approved)
    assert remind(datetime.date(2027, 1, 4))["overdue_applications"] == 0


# ---------------------------------------------------------------------------------------------
# Information requests


def test_an_unanswered_information_request_reminds_the_owners_once_after_its_due_date():
    with time_machine.travel(MONDAY, tick=False):
        permit = permit_builders.under_review()
        certification.request_permit_info(
            case=permit.case,
            by=permit.officer,
            message="Lampirkan hasil uji BFE.",
            due_on=datetime.date(2026, 7, 10),
        )
    assert remind(datetime.date(2026, 7, 10))["overdue_information_requests"] == 0
    assert remind(datetime.date(2026, 7, 11))["overdue_information_requests"] == 1
    assert remind(datetime.date(2026, 7, 12))["overdue_information_requests"] == 0
    reminder = Notification.objects.get(kind="permit_info_requested")
    assert reminder.recipient == permit.owner
    assert "Lampirkan hasil uji BFE. — please answer by 10 July 2026." in english(reminder)


def test_an_answered_information_request_is_not_reminded():
    with time_machine.travel(MONDAY, tick=False):
        permit = permit_builders.under_review()
        request = certification.request_permit_info(
            case=permit.case,
            by=permit.officer,
            message="Lampirkan hasil uji BFE.",
            due_on=datetime.date(2026, 7, 10),
        )
        certification.respond_to_info_request(
            request=request, by=permit.owner, response="Terlampir."
        )
    assert remind(datetime.date(2026, 7, 13))["overdue_information_requests"] == 0


# ---------------------------------------------------------------------------------------------
# Expiring permits and certificates


def test_an_expiring_permit_reminds_the_owners_once_in_each_window():
    with time_machine.travel(MONDAY, tick=False):
        permit = permit_builders.issued(valid_days=365)
    until = permit.case.valid_until
    assert until == datetime.date(2027, 7, 6)

    def on(days_left: int) -> int:
        return remind(until - datetime.timedelta(days=days_left))["expiring_permits"]

    assert on(275) == 0
    assert on(274) == 1
    assert on(274) == 0  # twice the same day
    assert on(200) == 0
    assert on(90) == 1
    assert on(31) == 0
    assert on(30) == 1
    assert on(1) == 0
    reminders = Notification.objects.filter(kind="permit_expiring", recipient=permit.owner)
    assert reminders.count() == 3
    assert "expires on 6 July 2027" in english(reminders.first())
    assert permit.case.permit_number in english(reminders.first())


def test_an_expiring_certificate_reminds_the_owners_once_in_each_window():
    with time_machine.travel(MONDAY, tick=False):
        certificate = permit_builders.certified()
    until = certificate.valid_until

    def on(days_left: int) -> int:
        return remind(until - datetime.timedelta(days=days_left))["expiring_certificates"]

    assert [on(days) for days in (91, 90, 90, 45, 30, 8, 7, 0)] == [0, 1, 0, 0, 1, 0, 1, 0]
    reminders = Notification.objects.filter(kind="certificate_expiring")
    assert {n.recipient for n in reminders} == set(certificate.vendor.owners.all())
    assert reminders.count() == 3
    assert certificate.number in english(reminders.first())


def test_a_suspended_certificate_is_not_reminded_of_its_expiry():
    with time_machine.travel(MONDAY, tick=False):
        certificate = permit_builders.certified()
        certification.suspend_certificate(
            certificate=certificate, by=factories.approver(), reason="Temuan inspeksi."
        )
    remind(certificate.valid_until - datetime.timedelta(days=30))
    assert not Notification.objects.filter(kind="certificate_expiring").exists()
