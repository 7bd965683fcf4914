"""E-mail delivery: in the reader's language, through the outbox, never at the cost of the change
it reports. A mail server that is down leaves the transition done and the e-mail waiting to be
retried with growing pauses until it is marked failed; an operator can retry it from the admin;
a recipient who is gone by then gets nothing; a row delivered twice sends one mail.

The tests that prove a request is not held up by mail or by a broken subscriber run with real
commits (transactional), so the commit callbacks run inside the request, as in production.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import translation

from audit.models import TransitionLog
from certification import services as certification
from curation import services as curation
from curation.models import Application
from notifications import services
from notifications.models import Notification, OutgoingEmail
from notifications.services import MAX_ATTEMPTS, RETRY_DELAYS, deliver_outgoing_email, notify
from notifications.tasks import deliver_email
from tests import factories
from tests.certification.permit_builders import at
from tests.curation import builders

REASON = "Foto label kurang jelas."
MOMENT = at(2026, 3, 2, 10)

ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
INDONESIAN_MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


class DownMailServer(BaseEmailBackend):
    """A mail server that answers but refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("421 Service not available")


class RefusingMailServer(BaseEmailBackend):
    """A mail server that is not listening at all."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


DOWN = "tests.notifications.test_delivery.DownMailServer"
REFUSING = "tests.notifications.test_delivery.RefusingMailServer"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


def outbox_row(user, kind: str) -> OutgoingEmail:
    return OutgoingEmail.objects.get(recipient=user, kind=kind)


def queued_for(user, kind: str = "application_returned") -> OutgoingEmail:
    """An outbox row waiting for delivery: notify without letting the commit callbacks run."""
    notify(recipients=[user], kind=kind, params={"reference": "KUR-000009", "reason": REASON})
    email = outbox_row(user, kind)
    assert email.status == OutgoingEmail.Status.QUEUED
    return email


# ---------------------------------------------------------------------------------------------
# Language


@pytest.mark.django_db
def test_each_recipient_reads_the_email_in_their_own_language(django_capture_on_commit_callbacks):
    with time_machine.travel(MOMENT, tick=False):
        case = builders.awaiting_approval()
        english = factories.applicant(language="en")
        case.vendor.owners.add(english)
        approver = factories.approver()
        # The approver works in English; the Indonesian owner still reads Indonesian.
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            certificate = certification.approve_application(
                application=case.application, by=approver
            )
    until = certificate.valid_until
    english_date = f"{until.day} {ENGLISH_MONTHS[until.month - 1]} {until.year}"
    indonesian_date = f"{until.day} {INDONESIAN_MONTHS[until.month - 1]} {until.year}"
    assert english_date != indonesian_date

    in_english = outbox_row(english, "application_approved")
    assert in_english.subject == "[Kurasi] Masker kain 3 lapis is approved"
    assert in_english.body_text.startswith("Hello Test,")
    assert english_date in in_english.body_text and english_date in in_english.body_html
    assert certificate.number in in_english.body_text

    in_indonesian = outbox_row(case.owner, "application_approved")
    assert case.owner.language == "id"
    assert in_indonesian.body_text.startswith("Halo Test,")
    assert indonesian_date in in_indonesian.body_text and indonesian_date in in_indonesian.body_html
    assert "Hello" not in in_indonesian.body_text
    assert english_date not in in_indonesian.body_text

    sent = {message.to[0]: message for message in mail.outbox}
    assert sent[english.email].subject == in_english.subject
    assert sent[case.owner.email].body == in_indonesian.body_text


@pytest.mark.django_db
def test_a_state_in_an_email_is_named_in_the_readers_language(django_capture_on_commit_callbacks):
    case = builders.in_curation()
    english = factories.staff(language="en")
    indonesian = factories.staff(language="id")
    first, last = case.assignments
    curation.submit_scores(
        assignment=first, by=first.curator.user, values=builders.sheet(case.rubric, builders.GOOD)
    )
    with django_capture_on_commit_callbacks(execute=True):
        curation.submit_scores(
            assignment=last, by=last.curator.user, values=builders.sheet(case.rubric, builders.GOOD)
        )
    assert "“Passed curation”" in outbox_row(english, "curation_decided").body_text
    assert "“Lulus kurasi”" in outbox_row(indonesian, "curation_decided").body_text


# ---------------------------------------------------------------------------------------------
# A mail server that is down


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_server_that_is_down_neither_blocks_nor_undoes_the_transition(client, settings):
    with time_machine.travel(MOMENT, tick=False):
        case = builders.submitted()
        settings.EMAIL_BACKEND = DOWN
        client.force_login(case.officer)
        response = client.post(
            reverse("curation:screen", args=[case.application.pk, "return_for_changes"]),
            {"reason": REASON},
        )
    assert response.status_code == 302
    assert response.url == reverse("curation:detail", args=[case.application.pk])
    assert Application.objects.get(pk=case.application.pk).status == Application.Status.RETURNED
    log = TransitionLog.objects.filter(transition="return_for_changes").get()
    assert log.actor == case.officer and log.note == REASON
    assert Notification.objects.filter(recipient=case.owner, kind="application_returned").exists()
    email = outbox_row(case.owner, "application_returned")
    assert email.status == OutgoingEmail.Status.RETRYING
    assert email.attempts == 1
    assert email.last_error == "SMTPException: 421 Service not available"
    assert email.next_attempt_at == MOMENT + RETRY_DELAYS[0]
    assert email.sent_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("backend", "error"),
    [(DOWN, "SMTPException: 421"), (REFUSING, "ConnectionRefusedError: [Errno 111]")],
)
def test_a_failed_email_is_retried_with_growing_pauses_until_it_is_marked_failed(
    backend, error, settings, caplog
):
    settings.EMAIL_BACKEND = backend
    user = factories.applicant()
    with time_machine.travel(MOMENT, tick=False):
        email = queued_for(user)
        assert deliver_outgoing_email(email_id=email.pk) == OutgoingEmail.Status.RETRYING
    moment = MOMENT
    for attempt in range(1, MAX_ATTEMPTS + 1):
        email.refresh_from_db()
        assert email.attempts == attempt
        assert email.last_error.startswith(error)
        if attempt == MAX_ATTEMPTS:
            break
        assert email.status == OutgoingEmail.Status.RETRYING
        assert email.next_attempt_at == moment + RETRY_DELAYS[attempt - 1]
        # Not due a second before its time: nothing is attempted.
        with time_machine.travel(email.next_attempt_at - datetime.timedelta(seconds=1)):
            assert services.retry_due_emails() == 0
        assert OutgoingEmail.objects.get(pk=email.pk).attempts == attempt
        moment = email.next_attempt_at
        with time_machine.travel(moment, tick=False):
            assert services.retry_due_emails() == 1
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.next_attempt_at is None
    assert f"e-mail {email.pk} failed for good" in caplog.text
    # A failed e-mail is left for the operator; the automatic retries leave it alone.
    with time_machine.travel(moment + datetime.timedelta(days=2)):
        assert services.retry_due_emails() == 0
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == MAX_ATTEMPTS
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_retry_that_is_not_due_is_not_attempted(settings):
    settings.EMAIL_BACKEND = DOWN
    user = factories.applicant()
    with time_machine.travel(MOMENT, tick=False):
        email = queued_for(user)
        deliver_outgoing_email(email_id=email.pk)
    settings.EMAIL_BACKEND = WORKING
    with time_machine.travel(MOMENT + datetime.timedelta(seconds=30), tick=False):
        assert deliver_outgoing_email(email_id=email.pk) == OutgoingEmail.Status.RETRYING
        assert services.retry_due_emails() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.RETRYING, 1)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_retry_that_succeeds_marks_the_email_sent(settings):
    settings.EMAIL_BACKEND = DOWN
    user = factories.applicant()
    with time_machine.travel(MOMENT, tick=False):
        email = queued_for(user)
        deliver_outgoing_email(email_id=email.pk)
    settings.EMAIL_BACKEND = WORKING
    later = MOMENT + RETRY_DELAYS[0]
    with time_machine.travel(later, tick=False):
        assert services.retry_due_emails() == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert (email.attempts, email.sent_at, email.last_error) == (2, later, "")
    assert email.next_attempt_at is None
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == email.subject


@pytest.mark.django_db
def test_an_email_never_handed_to_the_worker_is_sent_by_the_retry_job(settings):
    user = factories.applicant()
    with time_machine.travel(MOMENT, tick=False):
        email = queued_for(user)
    with time_machine.travel(MOMENT + datetime.timedelta(minutes=5)):
        assert services.retry_due_emails() == 0  # may still be on its way to the worker
    with time_machine.travel(MOMENT + datetime.timedelta(minutes=11)):
        assert services.retry_due_emails() == 1
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("backend", "status", "mails"),
    [(WORKING, OutgoingEmail.Status.SENT, 1), (DOWN, OutgoingEmail.Status.FAILED, 0)],
)
def test_the_operator_retries_a_failed_email_from_the_admin(
    backend, status, mails, client, settings
):
    settings.EMAIL_BACKEND = DOWN
    user = factories.applicant()
    email = queued_for(user)
    moment = MOMENT
    for _attempt in range(MAX_ATTEMPTS):
        with time_machine.travel(moment, tick=False):
            deliver_outgoing_email(email_id=email.pk)
        email.refresh_from_db()
        moment = email.next_attempt_at or moment
    assert email.status == OutgoingEmail.Status.FAILED
    settings.EMAIL_BACKEND = backend
    operator = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    response = client.post(
        reverse("admin:notifications_outgoingemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
    )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == status
    assert email.attempts == MAX_ATTEMPTS + 1
    assert len(mail.outbox) == mails


@pytest.mark.django_db
def test_the_admin_retry_does_not_send_an_email_that_was_already_sent(client):
    user = factories.applicant()
    email = queued_for(user)
    deliver_outgoing_email(email_id=email.pk)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    client.post(
        reverse("admin:notifications_outgoingemail_changelist"),
        {"action": "retry_now", "_selected_action": [email.pk]},
    )
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


# ---------------------------------------------------------------------------------------------
# Idempotence and recipients who are gone


@pytest.mark.django_db
def test_delivering_the_same_email_twice_sends_one_mail():
    user = factories.applicant()
    email = queued_for(user)
    assert deliver_outgoing_email(email_id=email.pk) == OutgoingEmail.Status.SENT
    assert deliver_outgoing_email(email_id=email.pk) == OutgoingEmail.Status.SENT
    deliver_email.enqueue(email.pk)
    assert services.retry_due_emails() == 0
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


@pytest.mark.django_db
def test_a_user_without_an_email_address_is_told_in_the_app_only(
    django_capture_on_commit_callbacks,
):
    case = builders.submitted()
    no_address = factories.applicant(email=None)
    case.vendor.owners.add(no_address)
    with django_capture_on_commit_callbacks(execute=True):
        curation.return_application(application=case.application, by=case.officer, reason=REASON)
    notification = Notification.objects.get(recipient=no_address)
    assert notification.kind == "application_returned"
    assert notification.email == Notification.Email.NONE
    assert not OutgoingEmail.objects.filter(recipient=no_address).exists()
    assert [m.to for m in mail.outbox] == [[case.owner.email]]


@pytest.mark.django_db
@pytest.mark.parametrize("gone", ["deleted", "deactivated", "address removed"])
def test_an_email_to_someone_gone_before_delivery_is_cancelled(gone, caplog):
    user = factories.applicant()
    email = queued_for(user)
    if gone == "deleted":
        user.delete()
    elif gone == "deactivated":
        user.is_active = False
        user.save()
    else:
        user.email = None
        user.save()
    assert deliver_outgoing_email(email_id=email.pk) == OutgoingEmail.Status.CANCELLED
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.CANCELLED
    assert email.attempts == 0
    assert email.last_error
    assert mail.outbox == []
    assert services.retry_due_emails(now=MOMENT + datetime.timedelta(days=30)) == 0
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_an_email_row_that_no_longer_exists_is_reported_missing():
    assert deliver_outgoing_email(email_id=987654) == "missing"


@pytest.mark.django_db
def test_a_task_queue_that_refuses_the_email_leaves_it_for_the_retry_job(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    case = builders.submitted()

    class UnreachableQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("task queue unreachable")

    monkeypatch.setattr("notifications.tasks.deliver_email", UnreachableQueue())
    with (
        time_machine.travel(MOMENT, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        curation.return_application(application=case.application, by=case.officer, reason=REASON)
    assert "could not enqueue e-mail" in caplog.text
    email = outbox_row(case.owner, "application_returned")
    assert email.status == OutgoingEmail.Status.QUEUED
    assert mail.outbox == []
    monkeypatch.undo()
    with time_machine.travel(MOMENT + datetime.timedelta(minutes=11)):
        assert services.retry_due_emails() == 1
    assert outbox_row(case.owner, "application_returned").status == OutgoingEmail.Status.SENT


# ---------------------------------------------------------------------------------------------
# A subscriber that breaks


def _broken_notify(**kwargs):
    raise RuntimeError("notifications are broken")


def _task_failures(caplog):
    return [r for r in caplog.records if r.name == "django_tasks" and r.levelno == logging.ERROR]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broken_notification_task_is_logged_and_the_transition_stands(
    client, monkeypatch, caplog
):
    case = builders.submitted()
    before = Notification.objects.count()
    monkeypatch.setattr("notifications.subscribers.notify", _broken_notify)
    client.force_login(case.officer)
    with caplog.at_level(logging.ERROR):
        response = client.post(
            reverse("curation:screen", args=[case.application.pk, "return_for_changes"]),
            {"reason": REASON},
        )
    assert response.status_code == 302
    assert Application.objects.get(pk=case.application.pk).status == Application.Status.RETURNED
    assert TransitionLog.objects.filter(transition="return_for_changes").count() == 1
    assert Notification.objects.count() == before
    failures = _task_failures(caplog)
    assert len(failures) == 1
    assert "notify_of_transition" in failures[0].getMessage()
    assert "notifications are broken" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broken_notification_task_for_an_event_is_logged_and_the_change_stands(
    client, monkeypatch, caplog
):
    case = builders.passed()
    before = Notification.objects.count()
    monkeypatch.setattr("notifications.subscribers.notify", _broken_notify)
    client.force_login(case.officer)
    with caplog.at_level(logging.ERROR):
        response = client.post(
            reverse("curation:screen", args=[case.application.pk, "release_result"])
        )
    assert response.status_code == 302
    assert Application.objects.get(pk=case.application.pk).result_released_at is not None
    assert Notification.objects.count() == before
    failures = _task_failures(caplog)
    assert len(failures) == 1
    assert "notify_of_event" in failures[0].getMessage()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queue_refusing_the_notification_task_is_logged_and_the_transition_stands(
    client, monkeypatch, caplog
):
    class UnreachableQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("task queue unreachable")

    case = builders.submitted()
    monkeypatch.setattr("notifications.tasks.notify_of_transition", UnreachableQueue())
    client.force_login(case.officer)
    with caplog.at_level(logging.ERROR, logger="django.dispatch"):
        response = client.post(
            reverse("curation:screen", args=[case.application.pk, "return_for_changes"]),
            {"reason": REASON},
        )
    assert response.status_code == 302
    assert Application.objects.get(pk=case.application.pk).status == Application.Status.RETURNED
    failures = [r for r in caplog.records if r.name == "django.dispatch"]
    assert len(failures) == 1
    assert failures[0].exc_info[0] is ConnectionError
