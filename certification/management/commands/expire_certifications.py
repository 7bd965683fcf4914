"""Expire what is past its date and list what expires soon; run daily (cron or a worker)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from certification.models import Certificate, PermitCase
from certification.services import expire_due

RENEWAL_WINDOW_DAYS = 274  # about 9 months: a permit renewal takes months at Kemenkes


class Command(BaseCommand):
    help = "Expire permits and certificates past their date; list those expiring soon."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task backend instead of running it here",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from certification.tasks import expire_certifications

            result = expire_certifications.enqueue()
            self.stdout.write(f"enqueued task {result.id} ({result.status})")
            return
        changed = expire_due()
        self.stdout.write(
            f"expired {len(changed['permits'])} permits, {len(changed['certificates'])} "
            f"certificates; suspended {len(changed['suspended'])} certificates"
        )
        today = timezone.localdate()
        for certificate in Certificate.objects.filter(
            status=Certificate.Status.ACTIVE,
            valid_until__lte=today + datetime.timedelta(days=90),
        ).select_related("product"):
            self.stdout.write(
                f"certificate {certificate.number} ({certificate.product}) expires "
                f"{certificate.valid_until}"
            )
        for case in PermitCase.objects.filter(
            status=PermitCase.Status.ISSUED,
            valid_until__lte=today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS),
        ).select_related("application__product"):
            self.stdout.write(
                f"permit {case.permit_number} ({case.application.product}) expires "
                f"{case.valid_until}: start the renewal"
            )
