"""Daily reminders of overdue work and of permits and certificates about to expire."""

from django.core.management.base import BaseCommand

from notifications import reminders


class Command(BaseCommand):
    help = (
        "Remind people of overdue work and vendors of expiring permits and certificates; "
        "run daily. Running it twice a day sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task backend instead of running it here",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from notifications.tasks import send_reminders

            result = send_reminders.enqueue()
            self.stdout.write(f"enqueued task {result.id} ({result.status})")
            return
        sent = reminders.send_reminders()
        details = ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in sent.items())
        self.stdout.write(f"reminders sent: {sum(sent.values())} ({details})")
