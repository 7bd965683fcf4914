"""A small, bounded HTTP load generator: N threads GET one URL for S seconds.

    .venv/bin/python bench/loadgen.py http://127.0.0.1:8000/healthz 5 4

Runs as its own process (so its CPU time is not the server's), keeps connections alive where
the server allows, and prints one JSON line: requests, errors, requests per second, latency
percentiles. Used by ``bench/run.py`` in place of wrk, which is not always installed.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def worker(host: str, port: int, path: str, deadline: float, out: list, errors: list) -> None:
    connection = None
    while time.perf_counter() < deadline:
        if connection is None:
            connection = http.client.HTTPConnection(host, port, timeout=30)
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept-Language": "id"})
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors.append(1)
            connection.close()
            connection = None
            continue
        out.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(response.status)
        if response.will_close:
            connection.close()
            connection = None
    if connection is not None:
        connection.close()


def run(url: str, seconds: float, threads: int) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors: list = []
    started = time.perf_counter()
    deadline = started + seconds
    pool = [
        threading.Thread(
            target=worker,
            args=(parts.hostname, parts.port or 80, path, deadline, latencies, errors),
        )
        for _ in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "url": url,
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else None,
        "p95_ms": ordered[int(len(ordered) * 0.95) - 1] * 1000 if len(ordered) > 20 else None,
    }


if __name__ == "__main__":
    target, duration, concurrency = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(run(target, duration, concurrency)))
