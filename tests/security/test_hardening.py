"""Hardening a person or an attacker meets: HTTPS and its headers in production (also behind a
proxy), the Content-Security-Policy every page keeps (no inline script, no handler or style
attributes), the login throttle, the password rules, how long a login lasts, and requests that
are refused before they reach a view.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from curation.models import AssessorOrganisation
from tests import factories
from tests.catalogue.helpers import live_listing
from tests.certification import permit_builders
from tests.security.hostile import client_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "Too many wrong passwords for this account from your connection."
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def production(**extra: str) -> dict:
    """Settings as production reads them, from a fresh interpreter (they are read at import)."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "test-only-" + "k" * 60,
        "ALLOWED_HOSTS": "kurasi.example",
        **extra,
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING'); "
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_AGE', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'AUTHENTICATION_BACKENDS', "
        "'CONTENT_SECURITY_POLICY')}, default=str))"
    )
    result = subprocess.run(  # noqa: S603 — our own interpreter and manage.py settings
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- production settings --------------------------------------------------------------------


def test_deploy_check_is_clean_and_production_is_https_only():
    values = production()

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    # Without a proxy in front, a client's X-Forwarded-Proto must not make a request "HTTPS".
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["AUTHENTICATION_BACKENDS"][0] == "accounts.backends.LoginThrottleBackend"


def test_behind_a_proxy_https_is_taken_from_the_proxy_header_and_s3_images_are_allowed():
    values = production(
        BEHIND_PROXY="true",
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="kurasi-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.id",
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    img_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert "https://s3.example.id" in img_src and "https://kurasi-files.s3.example.id" in img_src


def test_http_is_redirected_and_hsts_sent_only_over_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    plain = client.get("/catalogue/")
    secure = client.get("/catalogue/", secure=True)

    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_proxy_header_counts_only_when_kurasi_is_configured_behind_a_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    claimed = {"HTTP_X_FORWARDED_PROTO": "https"}

    assert client_for().get("/catalogue/", **claimed).status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_for().get("/catalogue/", **claimed).status_code == 200


def test_pages_send_the_security_headers(client):
    response = client.get("/catalogue/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


# --- every page keeps the Content-Security-Policy -------------------------------------------


def _plain_page_names(patterns=None, namespace="") -> list[str]:
    """Names of the URL patterns that take no parameter (every page a menu can link to)."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # its pages are Django's own; a few are checked below
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _plain_page_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = str(pattern.pattern)
            if "<" not in route and "(" not in route:
                names.append(namespace + pattern.name)
    return names


@pytest.fixture
def world():
    """One product through the whole workflow (listing live), plus a permit case in progress,
    and the people around them."""
    live = live_listing()
    permit = permit_builders.opened(owner=live.case.owner)
    certificate = live.certificate
    case = live.case
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    lead = AssessorOrganisation.objects.get(pk=case.programme.assessor_id).lead
    pages = [reverse(name) for name in _plain_page_names()]
    pages += [
        reverse("vendors:detail", args=[case.vendor.pk]),
        reverse("vendors:edit", args=[case.vendor.pk]),
        reverse("vendors:product_photos", args=[case.product.pk]),
        reverse("vendors:product_edit", args=[case.vendor.pk, case.product.pk]),
        reverse("curation:detail", args=[case.application.pk]),
        reverse("curation:curator_application", args=[case.application.pk]),
        reverse("certification:case", args=[permit.case.pk]),
        reverse("certification:approval", args=[case.application.pk]),
        reverse("certification:print", args=[certificate.pk]),
        reverse("certification:verify", args=[certificate.number]),
        reverse("catalogue:detail", args=[live.listing.pk]),
        reverse("catalogue:vendor", args=[case.vendor.pk]),
        reverse("catalogue:listing_edit", args=[live.listing.pk]),
        reverse("admin:index"),
        reverse("admin:vendors_vendor_changelist"),
        reverse("admin:vendors_vendor_change", args=[case.vendor.pk]),
        reverse("admin:audit_transitionlog_changelist"),
    ]
    people = {
        "anonymous": None,
        "applicant": case.owner,
        "staff": case.officer,
        "approver": live.approver,
        "curator": case.assignments[0].curator.user,
        "assessor lead": lead,
        "admin": admin,
    }
    return pages, people


def test_every_page_keeps_the_content_security_policy_for_every_role(world):
    pages, people = world
    checked, problems = 0, []
    for role, user in people.items():
        client = client_for(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code < 500, (role, url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            html = response.content.decode()
            if "script-src 'self'" not in response.get("Content-Security-Policy", ""):
                problems.append(f"{role} {url}: no Content-Security-Policy")
            for kind, pattern in (
                ("inline script", INLINE_SCRIPT),
                ("event handler attribute", HANDLER_ATTRIBUTE),
                ("style attribute", STYLE_ATTRIBUTE),
                ("javascript: URL", SCRIPT_URL),
            ):
                for found in pattern.findall(html)[:1]:
                    problems.append(f"{role} {url}: {kind} {found!r}")
    assert not problems, "\n".join(problems)
    assert checked >= 60  # the pages above really rendered for the roles that may see them


def test_templates_hold_no_inline_script_or_handlers():
    """The same rule on the template sources, for pages the crawl above does not reach (error
    pages, forms in states it does not build). E-mail templates are not pages."""
    templates = [
        path
        for path in (ROOT / "templates").rglob("*.html")
        if "email" not in path.relative_to(ROOT / "templates").parts
    ]
    assert len(templates) > 50
    problems = [
        f"{path.relative_to(ROOT)}: {kind}"
        for path in templates
        for kind, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("event handler attribute", HANDLER_ATTRIBUTE),
            ("style attribute", STYLE_ATTRIBUTE),
            ("javascript: URL", SCRIPT_URL),
        )
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


def test_private_photo_is_served_as_a_non_sniffed_private_jpeg():
    owner = factories.applicant()
    vendor, item = factories.verified_vendor_with_product(owner=owner, photos=1)
    photo = item.photos.get()

    response = client_for(owner).get(reverse("vendors:photo_file", args=[photo.pk, "display"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    factories.read_streamed(response)


# --- login throttle -------------------------------------------------------------------------


def login(username: str, password: str, *, address: str = "10.0.0.1", **headers):
    return client_for(address=address).post(
        reverse("accounts:login"), {"username": username, "password": password}, **headers
    )


@pytest.fixture
def siti():
    return factories.applicant(username="siti", email="siti@example.test")


def test_right_password_logs_in_by_username_or_e_mail(siti):
    assert login("siti", factories.PASSWORD).status_code == 302
    assert login("SITI@example.test", factories.PASSWORD).status_code == 302
    # Code that authenticates without a request (commands, the shell) is not throttled.
    assert authenticate(username="siti", password=factories.PASSWORD) == siti


def test_five_wrong_passwords_lock_the_account_from_that_address_with_a_clear_page(siti):
    for attempt in range(4):
        assert login("siti", "wrong-password").status_code == 200, attempt
    fifth = login("siti", "wrong-password")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    locked = login("siti", factories.PASSWORD)

    assert locked.status_code == 429
    html = locked.content.decode()
    assert LOCKED in html and "Wait 15 minutes" in html
    assert reverse("accounts:password_reset") in html


def test_username_and_e_mail_count_as_one_account(siti):
    for typed in ("siti", "siti@example.test", "Siti", "SITI@EXAMPLE.TEST"):
        login(typed, "wrong-password")
    assert login("siti@example.test", "wrong-password").status_code == 429


def test_lockout_is_per_address_and_per_account(siti):
    factories.applicant(username="budi")
    for _ in range(5):
        login("siti", "wrong-password", address="10.0.0.1")

    assert login("siti", factories.PASSWORD, address="10.0.0.1").status_code == 429
    assert login("siti", factories.PASSWORD, address="10.0.0.2").status_code == 302
    assert login("budi", factories.PASSWORD, address="10.0.0.1").status_code == 302


def test_lockout_ends_after_the_cool_off(siti):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            login("siti", "wrong-password")
        assert login("siti", factories.PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert login("siti", factories.PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(siti):
    for _ in range(4):
        login("siti", "wrong-password")
    assert login("siti", factories.PASSWORD).status_code == 302
    for _ in range(4):
        assert login("siti", "wrong-password").status_code == 200


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_appended(settings, siti):
    settings.BEHIND_PROXY = True
    proxy = "10.9.9.9"
    # Each attempt claims another address; the proxy appends the one it really saw.
    for n in range(5):
        login("siti", "wrong-password", address=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 5.5.5.5")

    assert (
        login("siti", factories.PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="5.5.5.5")
    ).status_code == 429
    assert (
        login("siti", factories.PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="6.6.6.6")
    ).status_code == 302


def test_absurd_login_input_is_a_form_error_not_a_server_error(siti):
    for username in ("x" * 10_000, "siti\x00", "<script>alert(1)</script>@example.test"):
        response = login(username, "wrong-password")
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.content.decode()


# --- passwords and sessions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "too short"),
        ("12345678901", "entirely numeric"),
        ("password123", "too common"),
        ("sitirahayu2", "too similar"),
    ],
)
def test_signup_refuses_weak_passwords(password, message):
    response = client_for().post(
        reverse("accounts:signup"),
        {
            "full_name": "Siti Rahayu",
            "email": "sitirahayu@example.test",
            "password1": password,
            "password2": password,
            "language": "en",
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="sitirahayu@example.test").exists()


def test_a_login_ends_with_the_browser_and_after_eight_hours(siti):
    client = client_for(address="10.0.0.1")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = client.post(
            reverse("accounts:login"), {"username": "siti", "password": factories.PASSWORD}
        )
        cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
        assert cookie["expires"] == "" and cookie["max-age"] == ""  # gone when the browser closes
        assert cookie["httponly"]
        assert client.get(reverse("vendors:portal")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=7, minutes=59), tick=False):
        assert client.get(reverse("vendors:portal")).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=1), tick=False):
        expired = client.get(reverse("vendors:portal"))
    assert expired.status_code == 302 and expired["Location"].startswith(reverse("accounts:login"))


# --- refused before any view ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/verify/KRS%00/", "/catalogue/?q=masker%00", "/catalogue/%00/", "/healthz?x=%00"]
)
def test_nul_byte_in_the_address_is_a_400_page(url):
    response = client_for().get(url)

    assert response.status_code == 400
    assert "The request could not be handled" in response.content.decode()
