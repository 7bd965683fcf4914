"""The scheduled jobs as an operator runs them from cron: each does its work here and says how
much, or with ``--enqueue`` hands it to the task backend and says which task it queued.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends

from notifications.models import EmailPreference, Notification, OutgoingEmail
from notifications.services import notify
from tests import factories
from tests.certification import permit_builders

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def dummy_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


def test_send_reminders_reminds_the_vendor_of_an_expiring_permit_once():
    permit = permit_builders.issued(valid_days=60)
    owner = permit.owner

    first = run("send_reminders")
    second = run("send_reminders")

    assert first == (
        "reminders sent: 1 (overdue applications 0, overdue information requests 0, "
        "expiring permits 1, expiring certificates 0)"
    )
    assert second.startswith("reminders sent: 0 ")
    assert list(
        Notification.objects.filter(recipient=owner, kind="permit_expiring").values_list(
            "params__permit_number", flat=True
        )
    ) == [permit.case.permit_number]


def test_send_digests_gathers_waiting_notifications_into_one_email(
    django_capture_on_commit_callbacks,
):
    reader = factories.staff()
    EmailPreference.objects.create(user=reader, kind="vendor_submitted", delivery="digest")
    for name in ("CV Satu", "CV Dua"):
        notify(
            recipients=[reader],
            kind="vendor_submitted",
            params={"vendor": name, "province": "Jawa Barat"},
        )
    assert not OutgoingEmail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        output = run("send_digests")

    assert output == "digest e-mails queued for delivery: 1"
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert "CV Satu" in mail.outbox[0].body and "CV Dua" in mail.outbox[0].body
    assert run("send_digests") == "digest e-mails queued for delivery: 0"


def test_retry_emails_sends_what_is_due_and_reports_the_outbox():
    reader = factories.staff()
    due = OutgoingEmail.objects.create(
        recipient=reader,
        to_address=reader.email,
        kind="vendor_submitted",
        subject="[Kurasi] Coba lagi",
        body_text="Isi",
        status=OutgoingEmail.Status.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    later = OutgoingEmail.objects.create(
        recipient=reader,
        to_address=reader.email,
        kind="vendor_submitted",
        subject="[Kurasi] Nanti",
        body_text="Isi",
        status=OutgoingEmail.Status.RETRYING,
        attempts=2,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    OutgoingEmail.objects.create(
        to_address="hilang@example.test",
        kind="vendor_submitted",
        subject="[Kurasi] Gagal",
        body_text="Isi",
        status=OutgoingEmail.Status.FAILED,
        attempts=6,
    )

    output = run("retry_emails")

    assert output == "e-mails tried: 1; outbox now: 0 queued, 1 waiting to retry, 1 failed"
    assert [message.subject for message in mail.outbox] == ["[Kurasi] Coba lagi"]
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("sent", "retrying")


@pytest.mark.parametrize(
    ("command", "task_name"),
    [
        ("send_reminders", "send_reminders"),
        ("send_digests", "send_digests"),
        ("retry_emails", "retry_emails"),
    ],
)
def test_enqueue_hands_the_job_to_the_task_backend_and_does_nothing_here(
    dummy_backend, command, task_name
):
    permit_builders.issued(valid_days=60)  # something a reminder run would notify about
    dummy_backend.clear()  # the notification tasks queued while building it
    before = Notification.objects.count()

    output = run(command, "--enqueue")

    (result,) = dummy_backend.results
    assert result.task.name == task_name
    assert result.task.module_path == f"notifications.tasks.{task_name}"
    assert output == f"enqueued task {result.id} (READY)"
    assert Notification.objects.count() == before
