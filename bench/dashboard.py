"""Time the ministry dashboard over many applications, through the Django test client.

    .venv/bin/python bench/dashboard.py [count] [--repeats N]
    DATABASE_URL=postgres://user:pass@host:port/db .venv/bin/python bench/dashboard.py
    DATABASE_URL=postgres://…/kurasi_scale .venv/bin/python bench/dashboard.py --existing

With ``--existing`` the database ``DATABASE_URL`` names is used as it is (say one filled by
``generate_scale_data``): nothing is built, and the only writes are the dashboard's own summary
tables — a full refresh from scratch, then an incremental one after the last ``--incremental``
(default 100) transitions are forgotten by the summary, which is what a refresh does after that
many new transitions.

SQLite by default: a throw-away database file in a temporary folder, migrated from scratch.
With ``DATABASE_URL`` set, Django's test database beside it (``test_<name>``) is created,
migrated and destroyed afterwards, so no real data is touched. ``count`` applications (default
10,000) are bulk-created over states, provinces, categories and programmes with hash-chained
audit rows, assignments, permit cases, information requests and certificates
(``tests/dashboard/builders.py``), and the database is analysed. Then a staff officer requests
/dashboard/ (unfiltered and filtered) several times; the script prints the median server-side
time of each and the number of queries. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="kurasi-bench-"))
SERVER_DATABASE = bool(os.environ.get("DATABASE_URL"))
EXISTING = "--existing" in sys.argv
if not SERVER_DATABASE:
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
# Production settings: no query log, compiled templates, hashed static files.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_ROOT", str(WORK / "static"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from audit.models import TransitionLog  # noqa: E402
from curation.models import Curator, Programme  # noqa: E402
from dashboard.models import Refresh, Stay  # noqa: E402
from dashboard.summary import refresh_summary  # noqa: E402
from tests import factories  # noqa: E402
from tests.dashboard import builders  # noqa: E402


def build(count: int):
    staff = factories.staff()
    programmes = [factories.programme(name=f"Gelombang {n}") for n in ("I", "II", "III")]
    products = builders.vendor_products(factories.applicant())
    builders.populate(
        count,
        actor=staff,
        programmes=programmes,
        products=products,
        curators=list(Curator.objects.order_by("pk")),
    )
    return staff


def measure(client: Client, url: str, repeats: int) -> tuple[list[float], int, float]:
    """Seconds per request, the number of queries and the median seconds spent in SQL."""
    client.get(url)  # warm-up: templates compiled, connection open
    times, sql_times, queries = [], [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(captured)
        sql_times.append(sum(float(q["time"]) for q in captured.captured_queries))
    return times, queries, statistics.median(sql_times)


def report(label: str, times: list[float], queries: int, sql: float) -> None:
    print(
        f"{label:<44} median {statistics.median(times) * 1000:7.1f} ms "
        f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {len(times)} requests)   "
        f"{queries} queries, {sql * 1000:.1f} ms in SQL"
    )


def time_refreshes(incremental: int) -> None:
    """A full refresh from scratch, then one reading the last ``incremental`` transitions."""
    result = refresh_summary(from_scratch=True)
    print(
        f"refresh from scratch: {result.seconds:.1f} s ({result.transitions:,} transitions, "
        f"{result.snapshots} views)"
    )
    last = list(Stay.objects.order_by("-log_id").values_list("log_id", flat=True)[:incremental])
    Stay.objects.filter(log_id__gte=last[-1]).delete()
    Refresh.objects.filter(pk=1).update(last_log_id=last[-1] - 1)
    result = refresh_summary()
    print(
        f"incremental refresh: {result.seconds:.1f} s ({result.transitions:,} new transitions, "
        f"{result.snapshots} views)"
    )


def urls(since: str) -> list[tuple[str, str]]:
    url = reverse("dashboard:index")
    programme = Programme.objects.order_by("pk").first()
    return [
        ("GET /dashboard/", url),
        ("GET /dashboard/?programme=…", f"{url}?programme={programme.pk}"),
        ("GET /dashboard/?province=32", f"{url}?province=32"),
        ("GET /dashboard/?category=medical_mask", f"{url}?category=medical_mask"),
        (
            "GET /dashboard/?province=32&created_from=…",
            f"{url}?province=32&created_from={since}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--existing", action="store_true")
    parser.add_argument("--incremental", type=int, default=100)
    parser.add_argument("--no-refresh", action="store_true", help="time the pages only")
    args = parser.parse_args()
    if not settings.DEBUG:
        call_command("collectstatic", "--noinput", verbosity=0)

    if args.existing:
        if not SERVER_DATABASE:
            raise SystemExit("--existing needs DATABASE_URL")
        staff = User.objects.filter(groups__name=Role.STAFF.value, is_active=True).first()
        print(
            f"{connection.vendor} {connection.settings_dict['NAME']}: "
            f"{TransitionLog.objects.count():,} audit rows"
        )
        if not args.no_refresh:
            time_refreshes(args.incremental)
        client = Client()
        client.force_login(staff)
        since = (timezone.localdate() - datetime.timedelta(days=120)).isoformat()
        for label, target in urls(since):
            report(label, *measure(client, target, args.repeats))
        return

    old_name = None
    if SERVER_DATABASE:
        old_name = connection.creation.create_test_db(verbosity=0)
    else:
        call_command("migrate", verbosity=0)
    try:
        start = time.perf_counter()
        staff = build(args.count)
        # A live database has planner statistics (autovacuum on PostgreSQL); a bulk load has
        # none until analysed, and PostgreSQL then picks plans several times slower.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: built {args.count:,} applications and "
            f"{TransitionLog.objects.count():,} audit rows in {time.perf_counter() - start:.1f} s"
        )
        time_refreshes(args.incremental)
        client = Client()
        client.force_login(staff)
        since = (timezone.localdate() - datetime.timedelta(days=340)).isoformat()
        for label, target in urls(since):
            report(label, *measure(client, target, args.repeats))
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
