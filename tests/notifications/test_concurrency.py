"""The daily jobs started twice at the same moment (a cron overlap, an operator running one by
hand): each person still gets one reminder and one digest, and neither run crashes.

These run real threads against PostgreSQL, each thread on its own database connection. SQLite
serialises every write transaction, so there is nothing to race there.
"""

from notifications import services
from notifications.models import EmailPreference, Notification, OutgoingEmail
from notifications.reminders import send_reminders
from tests import factories
from tests.certification import permit_builders
from tests.concurrency import POSTGRES_ONLY, kinds, race, slow_down, winners

pytestmark = POSTGRES_ONLY


def test_three_reminder_runs_at_once_remind_the_vendor_once(monkeypatch):
    permit = permit_builders.issued(valid_days=60)
    # Every run has looked for an earlier reminder before any of them stores its own.
    slow_down(monkeypatch, services, "_email_choice")

    outcomes = race(send_reminders, send_reminders, send_reminders)

    assert kinds(outcomes) == ["ok", "ok", "ok"], outcomes
    assert sorted(result["expiring_permits"] for result in winners(outcomes)) == [0, 0, 1]
    reminders = Notification.objects.filter(recipient=permit.owner, kind="permit_expiring")
    assert list(reminders.values_list("params__permit_number", flat=True)) == [
        permit.case.permit_number
    ]
    emails = OutgoingEmail.objects.filter(recipient=permit.owner, kind="permit_expiring")
    assert emails.count() == 1


def test_three_digest_runs_at_once_send_one_digest(monkeypatch):
    reader = factories.staff()
    EmailPreference.objects.create(user=reader, kind="vendor_submitted", delivery="digest")
    for name in ("CV Satu", "CV Dua"):
        services.notify(
            recipients=[reader],
            kind="vendor_submitted",
            params={"vendor": name, "province": "Jawa Barat"},
        )
    # Every run has read the waiting notifications before any of them writes its digest.
    slow_down(monkeypatch, services, "_digest_fields")

    outcomes = race(services.send_digests, services.send_digests, services.send_digests)

    assert kinds(outcomes) == ["ok", "ok", "ok"], outcomes
    assert sorted(winners(outcomes)) == [0, 0, 1]
    [digest] = OutgoingEmail.objects.filter(recipient=reader, kind="digest")
    assert "CV Satu" in digest.body_text and "CV Dua" in digest.body_text
    assert set(Notification.objects.filter(recipient=reader).values_list("email", flat=True)) == {
        Notification.Email.DIGESTED
    }
