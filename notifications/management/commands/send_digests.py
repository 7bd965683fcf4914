"""The daily digest e-mail for everyone who chose to get their notifications that way."""

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Send one digest e-mail per person with notifications waiting for it; run daily."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task backend instead of running it here",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from notifications.tasks import send_digests

            result = send_digests.enqueue()
            self.stdout.write(f"enqueued task {result.id} ({result.status})")
            return
        sent = services.send_digests()
        self.stdout.write(f"digest e-mails queued for delivery: {sent}")
