"""Deliver outbox e-mails whose retry is due, and any the task backend never picked up."""

from django.core.management.base import BaseCommand

from notifications import selectors, services
from notifications.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "Retry outbox e-mails that are due (and queued ones never handed to a worker); "
        "run every 10 minutes. Prints what is left in the outbox."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task backend instead of running it here",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from notifications.tasks import retry_emails

            result = retry_emails.enqueue()
            self.stdout.write(f"enqueued task {result.id} ({result.status})")
            return
        tried = services.retry_due_emails()
        counts = selectors.outbox_counts()
        self.stdout.write(
            f"e-mails tried: {tried}; outbox now: {counts[OutgoingEmail.Status.QUEUED]} queued, "
            f"{counts[OutgoingEmail.Status.RETRYING]} waiting to retry, "
            f"{counts[OutgoingEmail.Status.FAILED]} failed"
        )
