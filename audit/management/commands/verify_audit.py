from django.core.management.base import BaseCommand, CommandError

from audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the transition log; exit non-zero at the first broken row."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"audit chain broken at entry #{report.broken_sequence}: {report.problem} "
                f"({report.entries} entries verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.entries} entries")
