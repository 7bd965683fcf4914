"""One bench measurement, in its own process, on the database ``DATABASE_URL`` names.

    .venv/bin/python bench/tasks.py <task> [arguments]

Prints one JSON line of figures on stdout. ``bench/run.py`` starts it for each database with a
fresh database per task, so no measurement sees another's rows or warmed caches. Tasks:

- ``transition N``: an audited service transition vs a bare ``QuerySet.update`` of the same row,
  each in its own transaction, N of each, alternating so every call is a valid transition.
- ``page NAME SMALL LARGE``: queries and server time of a list page at SMALL and LARGE rows.
- ``listings N``: build N catalogue listings (for ``feed``, the exports and the HTTP bench).
- ``feed LIMIT``: page through the whole feed vs a raw ``values_list`` dump of the same rows.
- ``photo REPEAT``: the photo pipeline on a 12-megapixel JPEG vs bare Pillow.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TASKS = {}


def task(function):
    TASKS[function.__name__] = function
    return function


def rss_kib(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def counting() -> CaptureQueriesContext:
    # The query log is a bounded deque: once full (DEBUG on, or many earlier captures), its
    # length stops growing and a capture would see nothing. Start each count from empty.
    reset_queries()
    return CaptureQueriesContext(connection)


def statements(captured: CaptureQueriesContext) -> int:
    """Queries that do work: SQLite logs BEGIN/COMMIT and savepoints, PostgreSQL does not."""
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# Transitions


def _bare_update(obj, state: str) -> None:
    """What an audited transition is compared with: the status alone, in its own transaction."""
    with transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(status=state)


def _cycle(obj, steps, bare_states, rounds: int) -> dict:
    """Time the audited steps against bare updates of the same row, interleaved round by round.

    Each round runs the audited cycle (notifications subscribed), the same cycle with them
    unsubscribed, then the two bare updates, which leave the row as the services expect it.
    Interleaving keeps a busy machine's ups and downs out of the ratio.
    """
    from audit.signals import transition_recorded
    from notifications.subscribers import on_transition

    holder = {"obj": obj}

    def run(step):
        holder["obj"] = step(holder["obj"])

    def bare(state):
        _bare_update(obj, state)

    def unsubscribed():
        transition_recorded.disconnect(dispatch_uid="notifications.on_transition")

    def subscribed():
        transition_recorded.connect(on_transition, dispatch_uid="notifications.on_transition")

    for _ in range(2):  # warm caches: content types, roles, templates of the e-mails
        for step in steps:
            run(step)
    counted = {}
    for label, quiet in (("with_notifications", False), ("without_notifications", True)):
        if quiet:
            unsubscribed()
        counts = []
        for step in steps:
            with counting() as captured:
                run(step)
            counts.append(statements(captured))
        counted[label] = counts
        subscribed()
    with counting() as captured:
        bare(bare_states[0])
    bare_queries = statements(captured)
    bare(bare_states[1])
    audited, quiet, plain = [], [], []
    for _ in range(rounds):
        for step in steps:
            audited.append(timed(lambda step=step: run(step)))
        unsubscribed()
        for step in steps:
            quiet.append(timed(lambda step=step: run(step)))
        subscribed()
        for state in bare_states:
            plain.append(timed(lambda state=state: bare(state)))
    return {
        "audited_ms": statistics.median(audited) * 1000,
        "audited_without_notifications_ms": statistics.median(quiet) * 1000,
        "bare_ms": statistics.median(plain) * 1000,
        "queries": counted,
        "bare_queries": bare_queries,
        "calls": len(audited),
    }


def _by_hand(vendor, actor, rounds: int) -> dict:
    """The vendor cycle's statements written by hand (``bench/floor.py``) vs the bare update."""
    from bench.floor import VendorCycleByHand

    cycle = VendorCycleByHand(vendor, actor)
    steps = (("suspend", "verified", "suspended"), ("reinstate", "suspended", "verified"))

    for step in steps:  # warm
        cycle.step(*step)
    with counting() as captured:
        cycle.step(*steps[0])
    queries = statements(captured)
    cycle.step(*steps[1])
    by_hand, plain = [], []
    for _ in range(rounds):
        for step in steps:
            by_hand.append(timed(lambda step=step: cycle.step(*step)))
        for state in ("suspended", "verified"):
            plain.append(timed(lambda state=state: _bare_update(vendor, state)))
    return {
        "by_hand_ms": statistics.median(by_hand) * 1000,
        "bare_ms": statistics.median(plain) * 1000,
        "queries": queries,
    }


@task
def transition(rounds: str = "100") -> dict:
    from certification import services as certification
    from certification.models import Certificate
    from demo.scale import CERT, S, ScaleBuilder
    from vendors import services as vendors

    builder = ScaleBuilder(size=10, programmes=1)
    builder.add_applications(
        1, states={S.APPROVED: 1}, certificate_states={CERT.ACTIVE: 1}, lone_vendor_share=0
    )
    builder.finish()
    certificate = Certificate.objects.select_related("vendor").get()
    staff, approver = builder.staff[0], builder.approvers[0]
    n = int(rounds)
    vendor = _cycle(
        certificate.vendor,
        [
            lambda v: vendors.suspend_vendor(vendor=v, by=staff, reason="Aduan pembeli (bench)."),
            lambda v: vendors.reinstate_vendor(vendor=v, by=staff, reason="Aduan selesai (bench)."),
        ],
        ("suspended", "verified"),
        n,
    )
    vendor["by_hand"] = _by_hand(certificate.vendor, staff, n)
    certificate_cycle = _cycle(
        certificate,
        [
            lambda c: certification.suspend_certificate(
                certificate=c, by=approver, reason="Pemeriksaan mutu (bench)."
            ),
            lambda c: certification.reinstate_certificate(
                certificate=c, by=approver, reason="Pemeriksaan selesai (bench)."
            ),
        ],
        ("suspended", "active"),
        n,
    )
    return {"vendor": vendor, "certificate": certificate_cycle}


# List pages

PAGES = {
    # name: (url, state of the rows it lists — None: the whole funnel, who looks)
    "catalogue": ("/catalogue/", "approved", None),
    "curator-workspace": ("/curator/", "in_curation", "curator"),
    "staff-queue": ("/staff/applications/", "submitted", "staff"),
    "approver-queue": ("/approvals/", "awaiting_approval", "approver"),
    "dashboard": ("/dashboard/", None, "staff"),
}


def _measure_page(client, url: str, repeat: int = 9) -> dict:
    for _ in range(2):  # warm: session, roles, content types, template loaders
        client.get(url)
    with counting() as captured:
        response = client.get(url)
    # Counted now: the query log is cleared by each request that follows.
    queries = statements(captured)
    times = [timed(lambda: client.get(url)) for _ in range(repeat)]
    return {
        "status": response.status_code,
        "queries": queries,
        "ms": statistics.median(times) * 1000,
    }


@task
def page(name: str, small: str = "10", large: str = "1000") -> dict:
    from django.urls import Resolver404, resolve

    from demo.scale import CERT, ScaleBuilder

    url, state, role = PAGES[name]
    try:
        resolve(url)
    except Resolver404:
        return {"available": False}
    small, large = int(small), int(large)
    builder = ScaleBuilder(size=large, programmes=1)
    builder.setup()
    curator = builder.curators_by_org[builder.organisations[0].pk][0]
    user = {
        "curator": curator.user if role == "curator" else None,
        "staff": builder.staff[0],
        "approver": builder.approvers[0],
        None: None,
    }[role]
    client = Client()
    if user is not None:
        client.force_login(user)

    def grow(count: int) -> None:
        builder.add_applications(
            count,
            states={state: 1} if state else None,
            curator=curator,
            certificate_states={CERT.ACTIVE: 1},
            lone_vendor_share=0,
        )
        builder.finish()
        if name == "dashboard":
            # The dashboard reads figures precomputed by its refresh (cron every 10 minutes).
            from dashboard.summary import refresh_summary

            refresh_summary()

    grow(small)
    at_small = _measure_page(client, url)
    grow(large - small)
    at_large = _measure_page(client, url)
    return {"available": True, "small": small, "large": large, "at_small": at_small,
            "at_large": at_large}  # fmt: skip


# Catalogue data, feed


@task
def listings(count: str) -> dict:
    from bench.listings import build_listings

    started = time.perf_counter()
    build_listings(int(count))
    return {"count": int(count), "seconds": time.perf_counter() - started}


@task
def feed(limit: str = "500") -> dict:
    from catalogue.models import Listing

    columns = [f.attname for f in Listing._meta.concrete_fields]

    def dump() -> int:
        rows = Listing.objects.order_by("updated_at", "pk").values_list(*columns)
        return sum(1 for _row in rows.iterator(chunk_size=2000))

    dump()  # the same warm database cache for both
    raw_seconds = timed(dump)
    client = Client()
    url = f"/catalogue/feed.json?limit={limit}"
    server_seconds, pages, items, rss = 0.0, 0, 0, []
    client.get(url)  # warm: the URL resolver and the cached region names
    with counting() as captured:
        response = client.get(url)
    queries_per_page = statements(captured)
    while url:
        started = time.perf_counter()
        response = client.get(url)
        server_seconds += time.perf_counter() - started
        if response.status_code != 200:
            return {"error": f"feed answered {response.status_code} on page {pages + 1}"}
        body = json.loads(response.content)
        items += len(body["items"])
        url = body["next"]
        pages += 1
        rss.append(rss_kib())
    raw_seconds = min(raw_seconds, timed(dump))
    settled = rss[min(9, len(rss) - 1)]
    return {
        "rows": Listing.objects.count(),
        "items": items,
        "pages": pages,
        "limit": int(limit),
        "feed_seconds": server_seconds,
        "raw_seconds": raw_seconds,
        "queries_per_page": queries_per_page,
        "rss_after_10_pages_mib": settled / 1024,
        "rss_max_after_mib": max(rss[min(9, len(rss) - 1) :]) / 1024,
        "rss_last_mib": rss[-1] / 1024,
    }


# Photos


def twelve_megapixel_jpeg() -> bytes:
    """A phone-like 4000×3000 JPEG: smooth gradients, shapes and sensor noise, shot sideways
    (EXIF orientation 6), so decoding, turning and scaling all do real work."""
    from PIL import Image, ImageDraw

    size = (4000, 3000)
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.linear_gradient("L").rotate(90).resize(size)
    img = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(img)
    for index in range(40):
        x, y = (index * 97) % 3600, (index * 61) % 2600
        draw.ellipse((x, y, x + 400, y + 300), fill=((index * 40) % 256, 120, 200 - index))
    noise = Image.effect_noise(size, 18).convert("RGB")
    img = Image.blend(img, noise, 0.3)
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=92, exif=exif)
    return buffer.getvalue()


@task
def photo(repeat: str = "5") -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from vendors.images import DISPLAY_SIZE, JPEG_QUALITY, process_photo

    data = twelve_megapixel_jpeg()
    upload = SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")

    def pipeline():
        process_photo(upload)

    def bare():
        img = Image.open(io.BytesIO(data))
        img.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE))
        img.save(io.BytesIO(), format="JPEG", quality=JPEG_QUALITY)

    pipeline(), bare()
    runs = int(repeat)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(timed(pipeline))
        theirs.append(timed(bare))
    result = process_photo(upload)
    return {
        "input_mib": len(data) / 1_048_576,
        "pipeline_ms": statistics.median(ours) * 1000,
        "bare_ms": statistics.median(theirs) * 1000,
        "display": [result.width, result.height],
    }


def main() -> None:
    name, *arguments = sys.argv[1:]
    result = TASKS[name.replace("-", "_")](*arguments)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
