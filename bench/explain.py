"""EXPLAIN ANALYZE every query of the busiest pages, on the database ``DATABASE_URL`` names.

    DATABASE_URL=postgres://… .venv/bin/python bench/explain.py [--plans] [--slower-than MS]

Meant for a PostgreSQL database filled by ``manage.py generate_scale_data``: it opens each page
as the role that uses it (through the test client, so the queries are exactly the page's), then
runs ``EXPLAIN (ANALYZE, BUFFERS)`` on every SELECT it made and prints, per page, the slowest
queries with their time and the scans they used. ``--plans`` prints the whole plans. This is how
the indexes in docs/performance.md were chosen.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from accounts.models import User  # noqa: E402
from curation.models import Assignment  # noqa: E402


def busiest_curator() -> User | None:
    from django.db.models import Count

    row = (
        Assignment.objects.filter(ended_at__isnull=True)
        .values("curator__user")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return User.objects.get(pk=row["curator__user"]) if row else None


def pages() -> list[tuple[str, User | None]]:
    staff = User.objects.filter(groups__name="staff", is_active=True).first()
    approver = User.objects.filter(groups__name="approver", is_active=True).first()
    last = "/catalogue/feed.json?updated_since=2000-01-01T00:00:00Z&limit=500"
    return [
        ("/catalogue/", None),
        ("/catalogue/?sort=price&category=medical_mask", None),
        ("/catalogue/?q=masker&province=32", None),
        ("/catalogue/feed.json?limit=500", None),
        (last, None),
        ("/staff/vendors/", staff),
        ("/staff/applications/", staff),
        ("/staff/applications/?status=in_curation&overdue=on", staff),
        ("/staff/certification/passed/", staff),
        ("/staff/permits/", staff),
        ("/approvals/", approver),
        ("/certificates/", approver),
        ("/curator/", busiest_curator()),
        ("/dashboard/", staff),
    ]


def scans(plan: str) -> str:
    found = re.findall(r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan) on (\w+)", plan)
    return ", ".join(sorted({f"{kind} {table}" for kind, table in found}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--slower-than", type=float, default=1.0)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN ANALYZE figures mean something on PostgreSQL only: set DATABASE_URL.")
    for url, user in pages():
        try:
            resolve(url.split("?")[0])
        except Resolver404:
            print(f"\n{url}: not available")
            continue
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(url)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        selects = [
            q["sql"].strip()
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
        ]
        print(f"\n{url} (HTTP {response.status_code}, {len(captured)} queries)")
        for sql in selects:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            took = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
            if took < options.slower_than:
                continue
            print(f"  {took:8.1f} ms  {scans(plan)}\n            {sql[:160]}")
            if options.plans:
                print("            " + plan.replace("\n", "\n            "))


if __name__ == "__main__":
    main()
