"""Refresh the dashboard's precomputed figures (every 10 minutes from cron)."""

from django.core.management.base import BaseCommand

from dashboard import summary


class Command(BaseCommand):
    help = (
        "Read the audit log since the last refresh into the dashboard summary and recompute "
        "the figures of the default and single-filter views; run every 10 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task backend instead of running it here",
        )
        parser.add_argument(
            "--from-scratch",
            action="store_true",
            help="forget the summary and read the whole audit log again",
        )

    def handle(self, *args, enqueue=False, from_scratch=False, **options):
        if enqueue:
            from dashboard.tasks import refresh_dashboard

            result = refresh_dashboard.enqueue(from_scratch=from_scratch)
            self.stdout.write(f"enqueued task {result.id} ({result.status})")
            return
        result = summary.refresh_summary(from_scratch=from_scratch)
        self.stdout.write(
            f"dashboard refreshed: {result.transitions:,} new transitions read, "
            f"{result.snapshots:,} views computed in {result.seconds:.1f} s"
        )
