"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live
server.

Owns the browser and per-test page fixtures, the screenshots of each step under
``artifacts/browser/<test>/`` (and of every open page when a test fails), the line at the end of
the run that says where they are, and the rule for machines without a browser: the folder is
skipped with the reason, except in CI (``CI=true``), where a missing browser fails every test.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Generous for a 2-CPU CI machine; a step that needs longer is a bug worth seeing.
TIMEOUT_MS = 15_000

_shots_taken = pytest.StashKey[bool]()
_call_report = pytest.StashKey[pytest.TestReport]()


def _missing() -> str:
    """Why the browser suite cannot run here ("" when it can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[dev]'"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing: apt-get install chromium"
    return ""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_call_report] = report
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.stash.get(_shots_taken, False):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started,
    which changes two things for Django in the test code:

    - Django refuses ORM calls from a thread with a running loop; the test code and the
      database flush between tests are ordinary synchronous code, so the refusal is lifted for
      exactly as long as Playwright runs.
    - Database connections are thread-local, but asgiref keeps them per async context while a
      loop runs, so the test would open a second connection: one without the serialized
      contents that restore the data migrations' rows after each test, and, on SQLite's shared
      in-memory database, one that locks tables against the live server's. The test thread's
      own connections are put back in place.

    Stopping Playwright per module leaves the rest of the suite untouched.
    """
    missing = _missing()
    if missing:
        message = f"browser tests need chromium and playwright: {missing}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run them)", pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    own = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in own.items():
        connections[alias] = connection
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Shots:
    """Numbered full-page screenshots of one test: ``artifacts/browser/<test>/<nn>-<step>.png``."""

    def __init__(self, folder: Path, config):
        self.folder = folder
        self.config = config
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.count:02d}-{_slug(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        self.config.stash[_shots_taken] = True
        return path


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "step"


@pytest.fixture
def shot(request) -> Shots:
    folder = ARTIFACTS / _slug(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    return Shots(folder, request.config)


class Pages:
    """Opens one browser context per person (own cookies), on a phone or a desktop viewport."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.contexts = []

    def open(self, *, phone: bool = False, user=None):
        """A new page; with ``user``, already logged in as them (the journey logs in through
        the login page; other tests start on the page they are about)."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
        )
        context.set_default_timeout(TIMEOUT_MS)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base_url}]
            )
        self.contexts.append(context)
        page = context.new_page()
        # The confirmation prompts (withdraw, submit scores…) are answered as a user who means it.
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def all_pages(self):
        return [page for context in self.contexts for page in context.pages]

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(request, browser, live_server, shot):
    # On SQLite's in-memory database the live server works on the test's own connection; a
    # second one (see `browser`) would see the same rows but lock tables against it.
    shared = live_server.thread.connections_override
    for alias, connection in shared.items():
        connections[alias] = connection
    opened = Pages(browser, live_server.url)
    yield opened
    for alias, connection in shared.items():
        assert connections[alias] is connection, f"the test left the live server's {alias!r}"
    report = request.node.stash.get(_call_report, None)
    if report is not None and report.failed:
        for page in opened.all_pages():
            try:
                shot(page, f"failure {page.url}")
            except Exception as error:  # a closed or crashed page cannot be drawn
                print(f"no failure screenshot of {page.url}: {error}")
    opened.close()
