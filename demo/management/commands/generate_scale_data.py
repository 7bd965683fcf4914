"""``manage.py generate_scale_data --applications 200000``: a national dataset for performance work.

Unlike ``seed_demo`` it may run with DEBUG off (it plants no known password: every generated
account has an unusable one), but it refuses a database that already holds applications unless
``--append`` is given, so it is never run by accident against real data. Everything is written
in one transaction: it either finishes or leaves the database as it was. See ``demo.scale``.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.verification import verify_chain
from curation.models import Application
from dashboard.summary import refresh_summary
from demo.scale import ScaleBuilder


class Command(BaseCommand):
    help = "Generate a national-scale dataset (vendors, applications in every state, log)."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=10_000)
        parser.add_argument("--programmes", type=int, default=4)
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that already has applications.",
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Walk the whole audit chain afterwards (as manage.py verify_audit does).",
        )

    def handle(self, *args, **options):
        count = options["applications"]
        if count < 1:
            raise CommandError("--applications must be at least 1.")
        if options["programmes"] < 1:
            raise CommandError("--programmes must be at least 1.")
        existing = Application.objects.count()
        if existing and not options["append"]:
            raise CommandError(
                f"The database already has {existing:,} applications; "
                "pass --append to add generated data to it anyway."
            )
        started = time.perf_counter()
        builder = ScaleBuilder(
            size=count,
            seed=options["seed"],
            programmes=options["programmes"],
            report=self.stdout.write,
        )
        with transaction.atomic():
            builder.setup()
            with builder.timed(f"{count:,} applications with vendors, curation and permits"):
                builder.add_applications(count)
            builder.finish()
        total = time.perf_counter() - started
        for label, n in builder.counts.items():
            self.stdout.write(f"  {label}: {n:,}")
        self.stdout.write(self.style.SUCCESS(f"Generated in {total:.1f} s."))
        # The dashboard reads precomputed figures: leave them filled for the new data.
        refreshed = refresh_summary()
        self.stdout.write(
            f"dashboard refreshed: {refreshed.transitions:,} new transitions read in "
            f"{refreshed.seconds:.1f} s"
        )
        if options["verify"]:
            started = time.perf_counter()
            report = verify_chain()
            if not report.intact:
                raise CommandError(
                    f"audit chain broken at #{report.broken_sequence}: {report.problem}"
                )
            self.stdout.write(
                f"audit chain intact: {report.entries:,} entries "
                f"({time.perf_counter() - started:.1f} s)"
            )
