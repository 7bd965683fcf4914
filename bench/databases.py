"""Where the benches run: throw-away SQLite files and PostgreSQL databases.

Each bench gets a fresh database cloned from one migrated template (a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so no bench sees another's rows. PostgreSQL comes
from ``DATABASE_URL`` when it names a PostgreSQL server (the benches then create and drop their
own databases on it, never touching the one named), or else from a private cluster started here
with the server binaries under /usr/lib/postgresql/*/bin, as ``.ci/run`` does, and removed after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit


class SQLite:
    label = "SQLite"

    def __init__(self, folder: Path):
        self.folder = folder

    def url(self, name: str) -> str:
        return f"sqlite:///{self.folder / name}.sqlite3"

    def create(self, name: str, template: str | None = None) -> str:
        path = self.folder / f"{name}.sqlite3"
        if template:
            shutil.copyfile(self.folder / f"{template}.sqlite3", path)
        return self.url(name)

    def drop(self, name: str) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            (self.folder / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)


class PostgreSQL:
    label = "PostgreSQL"

    def __init__(self, *, host: str, port: int, user: str, password: str, prefix: str):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.prefix = prefix

    def url(self, name: str) -> str:
        credentials = quote(self.user, safe="")
        if self.password:
            credentials += ":" + quote(self.password, safe="")
        return f"postgres://{credentials}@{self.host}:{self.port}/{self.prefix}{name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    def create(self, name: str, template: str | None = None) -> str:
        self.drop(name)
        clause = f' TEMPLATE "{self.prefix}{template}"' if template else ""
        self._admin(f'CREATE DATABASE "{self.prefix}{name}"{clause}')
        return self.url(name)

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}{name}" WITH (FORCE)')


def postgres_binaries() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()],
    )
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def from_url(url: str) -> PostgreSQL | None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return None
    return PostgreSQL(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or "",
        prefix=f"{(parts.path.lstrip('/') or 'kurasi')}_bench_",
    )


@contextlib.contextmanager
def throwaway_cluster(binaries: Path, report) -> Iterator[PostgreSQL]:
    """A private PostgreSQL cluster on a free loopback port, with default (durable) settings."""
    as_root = os.geteuid() == 0
    data = Path(tempfile.mkdtemp(prefix="kurasi-bench-pg-"))
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    pg_ctl = [*run_as, str(binaries / "pg_ctl"), "-D", str(data)]
    initdb = [*run_as, str(binaries / "initdb"), "-D", str(data), "--auth=trust"]
    start = [
        *pg_ctl,
        "-w",
        "-l",
        str(data / "server.log"),
        "-o",
        f"-h 127.0.0.1 -p {port} -k {data}",
    ]
    # The server's own binaries, found above; every argument is ours.
    initdb += ["--username=postgres", "-E", "UTF8"]
    subprocess.run(initdb, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    started = time.perf_counter()
    subprocess.run([*start, "start"], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    report(
        f"started a throw-away PostgreSQL ({binaries.parent.name}) on port {port} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    try:
        yield PostgreSQL(host="127.0.0.1", port=port, user="postgres", password="", prefix="")
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "stop"], stdout=subprocess.DEVNULL, check=False)  # noqa: S603
        shutil.rmtree(data, ignore_errors=True)
