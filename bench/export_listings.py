"""Measure the staff export of 10,000 listings (CSV and XLSX), through the same code as the views.

    .venv/bin/python bench/export_listings.py [count]

Builds a throw-away SQLite database in a temporary folder (migrated from scratch), bulk-creates
``count`` listings, each on its own certificate and application, then runs each export in a
fresh Python process, so that each peak resident set size (getrusage ru_maxrss) is its own.
A measurement, not a test: it prints elapsed seconds, peak RSS and the file size.

``make bench`` (bench/run.py) reuses the per-export child on its own databases: with
``KURASI_BENCH_DATABASE_URL`` set the child exports from that database, and ``--json`` makes it
print its figures as one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(os.environ.get("KURASI_BENCH_DIR") or tempfile.mkdtemp(prefix="kurasi-bench-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "KURASI_BENCH_DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}"
)
os.environ.setdefault("MEDIA_ROOT", str(WORK / "media"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.listings import build_listings  # noqa: E402
from catalogue import exports  # noqa: E402
from catalogue.models import Listing  # noqa: E402


def build(count: int) -> None:
    build_listings(count)


def export_csv(path: Path) -> None:
    with path.open("wb") as handle:
        for chunk in exports.csv_lines(exports.LISTING_HEADER, exports.listing_rows()):
            handle.write(chunk)


def export_xlsx(path: Path) -> None:
    exports.write_xlsx(exports.LISTING_HEADER, exports.listing_rows(), path, title="listings")


def peak_rss_kib() -> int:
    """Peak resident set size of this process, in KiB.

    ``getrusage(RUSAGE_SELF).ru_maxrss`` on Linux survives ``exec``: a fresh child reports at
    least the RSS its parent had when it forked. ``VmHWM`` in /proc/self/status is the peak of
    this process image only, so it is used where it exists.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(fmt: str, path: Path, as_json: bool = False) -> None:
    """In a fresh process: run one export and print time, peak RSS and query count."""
    from django.db import reset_queries

    list(Listing.objects.all()[:1])  # connect first: the baseline includes the driver
    baseline = peak_rss_kib()
    connection.force_debug_cursor = True
    reset_queries()
    start = time.perf_counter()
    (export_xlsx if fmt == "xlsx" else export_csv)(path)
    elapsed = time.perf_counter() - start
    peak = peak_rss_kib()
    size = path.stat().st_size / 1024 / 1024
    if as_json:
        figures = {
            "format": fmt,
            "rows": Listing.objects.count(),
            "seconds": elapsed,
            "peak_rss_mib": peak / 1024,
            "baseline_rss_mib": baseline / 1024,
            "queries": len(connection.queries),
            "file_mib": size,
        }
        print(json.dumps(figures))
        return
    print(
        f"{fmt.upper():<5} {elapsed:6.2f} s   peak RSS {peak / 1024:6.1f} MiB "
        f"(+{(peak - baseline) / 1024:5.1f} MiB over the loaded process)   "
        f"{len(connection.queries)} queries   {size:5.2f} MiB file"
    )


def measure(fmt: str) -> None:
    env = {**os.environ, "KURASI_BENCH_DIR": str(WORK)}
    subprocess.run(  # noqa: S603 (this script, this interpreter)
        [sys.executable, __file__, "--export", fmt, str(WORK / f"listings.{fmt}")],
        env=env,
        check=True,
    )


def main() -> None:
    if sys.argv[1:2] == ["--export"]:
        child(sys.argv[2], Path(sys.argv[3]), as_json="--json" in sys.argv[4:])
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    build(count)
    print(f"built {Listing.objects.count():,} listings in {time.perf_counter() - start:.1f} s")
    connection.close()
    try:
        measure("csv")
        measure("xlsx")
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
