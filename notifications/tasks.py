"""Background work of notifications, through the Django Tasks API.

Tests and installations without a worker run these at once after the commit
(``config.tasks.ImmediateAfterCommitBackend``); production runs
them in ``manage.py db_worker`` (django-tasks-db) so no request waits for a mail server.
"""

from django_tasks import task

from notifications import reminders, services, subscribers


@task()
def notify_of_transition(log_entry_id: int) -> None:
    subscribers.notify_of_transition(log_entry_id)


@task()
def notify_of_event(event: str, model_label: str, pk: str, actor_id: int | None) -> None:
    subscribers.notify_of_event(event, model_label, pk, actor_id)


@task()
def deliver_email(email_id: int) -> str:
    return services.deliver_outgoing_email(email_id=email_id)


@task()
def retry_emails() -> int:
    return services.retry_due_emails()


@task()
def send_digests() -> int:
    return services.send_digests()


@task()
def send_reminders() -> dict[str, int]:
    return reminders.send_reminders()
