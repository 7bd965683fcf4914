"""``make bench``: one table of ratios, measured in this run, on SQLite and on PostgreSQL.

    .venv/bin/python bench/run.py [--quick] [--only transition,pages,feed,export,photo,http]

Absolute times differ from machine to machine; each figure is a ratio of two things measured
side by side in the same run, written as ``<number>x`` on a line that names it. PostgreSQL is
the server named by ``DATABASE_URL`` when there is one (the benches create and drop their own
databases on it), else a throw-away cluster started from /usr/lib/postgresql/*/bin (as
``.ci/run`` does), else it is skipped and the table says so.

Every measurement runs in its own process on a fresh database cloned from a migrated template
(``bench/tasks.py``), with production settings (``DEBUG=false``, collected static files), so no
figure inherits another's rows, caches or memory. ``--quick`` uses small sizes for development;
the full run is what docs/performance.md reports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import databases  # noqa: E402
from bench.report import render  # noqa: E402

FULL = {
    "rounds": 100,
    "small": 10,
    "large": 1000,
    "listings": 100_000,
    "limit": 500,
    "photos": 5,
    "seconds": 5.0,
    "threads": 4,
}
QUICK = {**FULL, "rounds": 15, "large": 100, "listings": 3000, "photos": 2, "seconds": 1.5}
GROUPS = ("transition", "pages", "feed", "export", "photo", "http")
PAGES = ("catalogue", "curator-workspace", "staff-queue", "approver-queue", "dashboard")


def say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, sizes: dict, groups: set[str], work: Path):
        self.sizes, self.groups, self.work = sizes, groups, work
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Production settings: no query log, compiled templates, hashed static files.
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "k" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("DATABASE_URL", None)
        self.results: dict[str, dict] = {}

    def python(self, *arguments: str, database: str | None = None, extra=None) -> str:
        env = {**self.env, **(extra or {})}
        if database:
            env["DATABASE_URL"] = database
        done = subprocess.run(  # noqa: S603 (this interpreter, our scripts)
            [sys.executable, *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def task(self, database: str, *arguments: str, extra=None) -> dict:
        output = self.python(str(HERE / "tasks.py"), *arguments, database=database, extra=extra)
        return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])

    # -- one database server --------------------------------------------------------

    def run_on(self, server) -> dict:
        figures: dict = {}
        say(f"{server.label}: migrating a template database")
        template = server.create("template")
        self.python("manage.py", "migrate", "--noinput", database=template)
        try:
            if "transition" in self.groups:
                figures["transition"] = self.fresh(server, "transition", str(self.sizes["rounds"]))
            if "pages" in self.groups:
                figures["pages"] = {
                    name: self.fresh(
                        server,
                        "page",
                        name,
                        str(self.sizes["small"]),
                        str(self.sizes["large"]),
                    )
                    for name in PAGES
                }
            if self.groups & {"feed", "export", "http"}:
                figures.update(self.catalogue(server))
        finally:
            server.drop("template")
        return figures

    def fresh(self, server, *arguments: str) -> dict:
        name = "_".join(arguments[:2]).replace("-", "_")
        say(f"{server.label}: {' '.join(arguments)}")
        database = server.create(name, "template")
        try:
            return self.attempt(lambda: self.task(database, *arguments))
        finally:
            server.drop(name)

    @staticmethod
    def attempt(measure) -> dict:
        """One failed measurement shows as an error in its line; the others still run."""
        try:
            return measure()
        except (RuntimeError, OSError, ValueError) as error:
            last = str(error).strip().splitlines()[-1]
            say(f"failed: {last}")
            return {"error": last[:200]}

    def catalogue(self, server) -> dict:
        figures: dict = {}
        count = self.sizes["listings"]
        database = server.create("catalogue", "template")
        try:
            say(f"{server.label}: building {count:,} listings")
            figures["listings"] = self.task(database, "listings", str(count))
            if "feed" in self.groups:
                say(f"{server.label}: paging through the feed")
                figures["feed"] = self.attempt(
                    lambda: self.task(database, "feed", str(self.sizes["limit"]))
                )
            if "export" in self.groups:
                figures["export"] = {}
                for fmt in ("csv", "xlsx"):
                    say(f"{server.label}: {fmt.upper()} export of {count:,} listings")
                    figures["export"][fmt] = self.attempt(
                        lambda fmt=fmt: self.export(database, fmt)
                    )
            if "http" in self.groups:
                figures["http"] = self.attempt(lambda: self.http(server, database))
        finally:
            server.drop("catalogue")
        return figures

    def export(self, database: str, fmt: str) -> dict:
        """Peak memory of one export, in a fresh process (bench/export_listings.py's child)."""
        output = self.python(
            str(HERE / "export_listings.py"),
            "--export",
            fmt,
            str(self.work / f"listings.{fmt}"),
            "--json",
            extra={"KURASI_BENCH_DATABASE_URL": database, "KURASI_BENCH_DIR": str(self.work)},
        )
        return json.loads(output.strip().splitlines()[-1])

    def http(self, server, database: str) -> dict:
        """Requests per second through gunicorn (2 workers) with load from another process."""
        port = databases.free_port()
        log = (self.work / "gunicorn.log").open("w")
        env = {**self.env, "DATABASE_URL": database, "CONN_MAX_AGE": "60"}
        say(f"{server.label}: gunicorn, 2 workers on 127.0.0.1:{port}")
        server_process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            self.wait_for(base + "/healthz", server_process)
            results = {}
            for path in ("/healthz", "/catalogue/", "/catalogue/feed.json"):
                for _ in range(10):  # every worker has loaded its templates and connection
                    urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
                output = self.python(
                    str(HERE / "loadgen.py"),
                    base + path,
                    str(self.sizes["seconds"]),
                    str(self.sizes["threads"]),
                )
                results[path] = json.loads(output.strip().splitlines()[-1])
            return results
        finally:
            server_process.terminate()
            try:
                server_process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server_process.kill()
            log.close()

    @staticmethod
    def wait_for(url: str, process) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited; see gunicorn.log in the bench folder")
            try:
                urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 (loopback)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer within 60 s")


def postgres_servers(report):
    """The PostgreSQL to measure on, as a context manager, or None with the reason."""
    import contextlib

    url = os.environ.get("DATABASE_URL", "")
    server = databases.from_url(url) if url else None
    if server is not None:
        return contextlib.nullcontext(server), None
    binaries = databases.postgres_binaries()
    if binaries is None:
        return None, "no DATABASE_URL and no pg_ctl/initdb under /usr/lib/postgresql/*/bin"
    return databases.throwaway_cluster(binaries, report), None


def stop_on_sigterm(signum, frame) -> None:
    # Unwind like Ctrl-C, so the finally blocks stop the PostgreSQL cluster and remove files.
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--only", default=",".join(GROUPS), help="comma-separated figure groups")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    parser.add_argument("--render", type=Path, help="print the table of a saved --json file")
    options = parser.parse_args()
    if options.render:
        print(render(**json.loads(options.render.read_text())))
        return
    groups = {g.strip() for g in options.only.split(",") if g.strip()}
    unknown = groups - set(GROUPS)
    if unknown:
        parser.error(f"unknown figure groups: {', '.join(sorted(unknown))}")
    sizes = QUICK if options.quick else FULL
    work = Path(tempfile.mkdtemp(prefix="kurasi-bench-"))
    bench = Bench(sizes, groups, work)
    started = time.perf_counter()
    skipped = None
    try:
        say("collecting static files for production settings")
        bench.python("manage.py", "collectstatic", "--noinput", "-v0")
        bench.results["SQLite"] = bench.run_on(databases.SQLite(work))
        if options.no_postgres:
            skipped = "--no-postgres given"
        else:
            context, skipped = postgres_servers(say)
            if context is not None:
                with context as server:
                    bench.results["PostgreSQL"] = bench.run_on(server)
        photo = None
        if "photo" in groups:
            say("photo pipeline on a 12-megapixel JPEG")
            photo = bench.task(
                f"sqlite:///{work / 'unused.sqlite3'}", "photo", str(sizes["photos"])
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = {
        "sizes": sizes,
        "results": bench.results,
        "photo": photo,
        "skipped": skipped,
        "seconds": time.perf_counter() - started,
    }
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2))
    print(render(**figures))


if __name__ == "__main__":
    main()
