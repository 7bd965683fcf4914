"""Mirror the catalogue feed into a local JSON file, incrementally.

    python manage.py mirror_catalogue https://kurasi.example/catalogue/feed.json --out catalogue.json

The file holds ``{"items": {id: item}, "next_since": ..., "cursor": ...}``. A run resumes from the
stored cursor (or, without one, from ``updated_since`` of the last item seen), follows ``next``
links until there is none, stores live items and removes tombstones, and replaces the file
atomically, so an interrupted run leaves the previous mirror intact. See docs/catalogue-feed.md.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

MAX_PAGES = 100_000


def _load_state(path: Path) -> dict:
    if not path.exists():
        return {"items": {}, "next_since": None, "cursor": None}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read the mirror {path}: {error}") from None
    if not isinstance(state, dict) or not isinstance(state.get("items"), dict):
        raise CommandError(f"{path} is not a catalogue mirror")
    state.setdefault("next_since", None)
    state.setdefault("cursor", None)
    return state


def _write_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, ensure_ascii=False, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _with_query(url: str, **params) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update({k: v for k, v in params.items() if v is not None})
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _fetch(url: str, timeout: float) -> dict:
    # Only http(s), also for the next links the server hands out (never file: or ftp:).
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise CommandError(f"{url}: only http:// and https:// feed URLs are followed")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:500].decode("utf-8", "replace")
        raise CommandError(f"{url}: HTTP {error.code} {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise CommandError(f"{url}: {getattr(error, 'reason', error)}") from None
    try:
        page = json.loads(body)
    except ValueError:
        raise CommandError(f"{url}: the answer is not JSON") from None
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        raise CommandError(f"{url}: the answer is not a catalogue feed page")
    return page


class Command(BaseCommand):
    help = "Mirror the catalogue feed (feed.json) into a local JSON file, incrementally."

    def add_arguments(self, parser):
        parser.add_argument("url", help="the feed URL, e.g. https://host/catalogue/feed.json")
        parser.add_argument("--out", required=True, help="the mirror file (JSON)")
        parser.add_argument("--limit", type=int, default=500, help="page size (1–500)")
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")

    def handle(self, *args, url, out, limit, timeout, **options):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise CommandError("the feed URL must start with http:// or https://")
        path = Path(out)
        state = _load_state(path)
        items: dict = state["items"]
        if state["cursor"]:
            next_url = _with_query(url, cursor=state["cursor"], limit=limit)
        else:
            next_url = _with_query(url, updated_since=state["next_since"], limit=limit)
        pages = stored = removed = 0
        while next_url:
            if pages >= MAX_PAGES:
                raise CommandError("the feed does not end; giving up")
            page = _fetch(next_url, timeout)
            pages += 1
            for item in page["items"]:
                key = str(item["id"])
                if item.get("status") == "live":
                    items[key] = item
                    stored += 1
                elif items.pop(key, None) is not None:
                    removed += 1
                state["next_since"] = item["updated_at"]
            following = page.get("next")
            if following:
                cursor = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(following).query))
                state["cursor"] = cursor.get("cursor")
            next_url = following
        _write_state(path, state)
        self.stdout.write(
            f"mirrored {pages} page(s): {stored} stored, {removed} removed, "
            f"{len(items)} live listing(s) in {path}"
        )
