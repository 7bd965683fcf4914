"""Every URL of Kurasi asked by every role, by GET and by POST: each cell of the access-control
matrix in ``tests/security/access_matrix.py`` is one test named ``pattern-role-method``.

The URL patterns come from the resolver, so a new page without a line in the matrix fails
``test_every_url_pattern_has_an_expectation`` (and every cell of it fails too), and a line naming
a pattern that no longer exists fails ``test_no_expectation_names_a_missing_pattern``.

The world (``access_matrix.build_world``) is built once for the module inside one transaction
that is rolled back at the end; each cell runs in its own nested transaction (pytest-django's),
so a POST that acts is undone before the next cell. POST bodies are empty: a permitted user then
gets the form again (200/400), a redirect with the form's or the service's reason (302), or the
action where nothing more is needed (``acts``); a refused user gets 403, 404, 405, the login page
or a redirect with the reason (``refused``), and the audit trail and the counted tables must be
unchanged after every POST that does not act. Admin pages follow one rule for the ``admin:``
prefix (only the superuser gets in; see ``ADMIN_CELLS`` for the roles asked).
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.admin import site as admin_site
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import TransitionLog
from certification.models import Certificate, InfoRequest, PermitDocument
from curation.models import Application, Assignment, Sample
from tests.factories import read_streamed
from tests.security.access_matrix import (
    DEBUG_MEDIA_ROUTE,
    EXPECTED,
    METHODS,
    ROLES,
    URL_KWARGS,
    build_world,
)
from vendors.models import Product, ProductPhoto, Vendor
from vendors.services import save_product

ADMIN_PREFIXES = ("admin:", "admin/")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    """(key, route, pattern) of every URL pattern: ``namespace:name``, or the full route when
    the pattern has no name (the admin's object redirects and catch-all, static media)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            yield (namespace + pattern.name if pattern.name else route), route, pattern


PATTERNS = {key: (route, pattern) for key, route, pattern in _walk(get_resolver().url_patterns)}


def _is_admin(key: str) -> bool:
    return key.startswith(ADMIN_PREFIXES)


def _expected_keys() -> set[str]:
    return {name for name, _method in EXPECTED} | {DEBUG_MEDIA_ROUTE}


# Django's admin lets in whoever has ``is_staff`` (AdminSite.has_permission) and nobody in the
# matrix but the superuser has it: the applicant stands for every other role without it, the
# ministry officer for the role most likely to be given it by mistake. That keeps the ~180
# admin pages to six cells each instead of sixteen.
ADMIN_CELLS = (("anon", "GET"), ("owner", "GET"), ("staff", "GET"), ("admin", "GET"))
ADMIN_CELLS += (("staff", "POST"), ("admin", "POST"))


def _cells_of(key: str) -> list[tuple[str, str]]:
    if _is_admin(key):
        return list(ADMIN_CELLS)
    return [(role, method) for role in ROLES for method in METHODS]


CELLS = [
    pytest.param(key, role, method, id=f"{key}-{role}-{method}")
    for key in PATTERNS
    for role, method in _cells_of(key)
]


# The world, once per module


def _media(root) -> dict:
    return {
        "MEDIA_ROOT": root,
        "STORAGES": {
            **django_settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "public", "base_url": "/media/public/"},
            },
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "private", "base_url": None},
            },
        },
    }


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _isolated_media(settings, matrix_media):
    """Replaces tests/conftest.py's per-test folder: the world's photos and documents are stored
    once for the module, and every cell must find them."""
    for name, value in _media(matrix_media).items():
        setattr(settings, name, value)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, matrix_media):
    fast = {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "TASKS": {"default": {"BACKEND": "config.tasks.ImmediateAfterCommitBackend"}},
    }
    with django_db_blocker.unblock(), override_settings(**_media(matrix_media), **fast):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            world.extra["sessions"] = _sessions(world)
            yield world
        finally:
            # Nothing of the world outlives the module: the next module starts from an empty
            # database as pytest-django promises.
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _sessions(world) -> dict[str, str]:
    """One signed-in session per role, made once: a cell only presents its cookie."""
    keys = {}
    for role, user in world.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            keys[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return keys


# Asking one cell


def _client(world, role: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.cookies["django_language"] = "en"
    if role in world.extra["sessions"]:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.extra["sessions"][role]
    return client


def _footprint() -> dict:
    """What a refused POST must leave alone: the audit trail and the rows it could add or drop."""
    return {
        "transitions": TransitionLog.objects.count(),
        "vendors": list(Vendor.objects.order_by("pk").values_list("pk", "status")),
        "applications": list(Application.objects.order_by("pk").values_list("pk", "status")),
        "products": Product.objects.count(),
        "photos": ProductPhoto.objects.count(),
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk", "ended_at")),
        "samples": list(Sample.objects.order_by("pk").values_list("pk", "status")),
        "documents": list(PermitDocument.objects.order_by("pk").values_list("pk", "review")),
        "answers": list(InfoRequest.objects.order_by("pk").values_list("pk", "response")),
        "certificates": list(Certificate.objects.order_by("pk").values_list("pk", "status")),
    }


def _admin_object_id(route: str) -> str:
    """The pk of an existing object of the admin page's model, or 0 when there is none."""
    for model in admin_site._registry:
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route.startswith(base):
            first = model._default_manager.order_by("pk").first()
            return str(first.pk) if first is not None else "0"
    return "0"


def _url(key: str, route: str, world) -> str:
    if key == DEBUG_MEDIA_ROUTE:
        # A way out of the public folder into the private files must not exist.
        return f"/media/public/../private/{world.photo.image.name}"
    if _is_admin(key):
        return _admin_url(key, route)
    return reverse(key, kwargs=URL_KWARGS[key](world) if key in URL_KWARGS else None)


def _admin_url(key: str, route: str) -> str:
    """The admin page with its parameters filled: an existing object of the page's model where
    the route takes one, a placeholder for the other parameters (a transition, a history row)."""
    if key == "admin:app_list":
        return reverse(key, kwargs={"app_label": "vendors"})
    if key == "admin:view_on_site":
        return reverse(key, kwargs={"content_type_id": 1, "object_id": "1"})
    if not key.startswith("admin:"):
        if route.endswith("<path:object_id>/"):
            return "/" + route.replace("<path:object_id>", _admin_object_id(route))
        return "/admin/no-such-page/"
    regex = PATTERNS[key][1].pattern.regex
    values = {"object_id": _admin_object_id(route), "id": _admin_object_id(route)}
    if regex.groupindex:
        return reverse(key, kwargs={name: values.get(name, "1") for name in regex.groupindex})
    args = [_admin_object_id(route), "1"][: regex.groups]
    return reverse(key, args=args or None)


def _outcome(key: str, role: str, method: str) -> str:
    if _is_admin(key):
        return _admin_outcome(key, role, method)
    if key == DEBUG_MEDIA_ROUTE:
        # The traversal is refused as a suspicious path, for everyone alike.
        return "400"
    return EXPECTED[(key, method)][role]


def _admin_outcome(key: str, role: str, method: str) -> str:
    """One rule for Django's admin: only the superuser gets in. Nobody else in the matrix has
    ``is_staff``, so the admin sends everyone else to its login page."""
    if key == "admin:login":
        return "admin-index" if role == "admin" and method == "GET" else "200"
    if key == "admin:logout" and role != "admin":
        return "admin-index"
    if role != "admin":
        return "admin-login"
    return "admin-ok"


def _error_messages(response) -> list[str]:
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == message_levels.ERROR
    ]


def _check(response, outcome: str, before: dict | None, after: dict | None) -> None:
    status = response.status_code
    location = response.get("Location", "")
    login = reverse("accounts:login") + "?next="
    admin_login = reverse("admin:login") + "?next="
    if outcome == "login":
        assert status == 302 and location.startswith(login), (status, location)
    elif outcome == "admin-login":
        assert status == 302 and location.startswith(admin_login), (status, location)
    elif outcome == "admin-index":
        assert status == 302 and location == reverse("admin:index"), (status, location)
    elif outcome == "admin-ok":
        # The superuser is inside: a page, a redirect within the admin (to an object that is
        # not there, or after a save), a refusal the admin declares for everyone (TransitionLog
        # cannot be added or deleted) or a read-only page refusing POST — never the login page
        # or a server error.
        assert status in (200, 302, 403, 404, 405), status
        assert not location.startswith(admin_login), location
    elif outcome == "302":
        assert status == 302 and not location.startswith(login), (status, location)
    elif outcome == "refused":
        assert status == 302 and not location.startswith(login), (status, location)
        assert _error_messages(response), "refused without saying why"
    elif outcome == "acts":
        assert status == 302, status
        assert after != before, "the action was not performed"
    else:
        assert status == int(outcome), (status, location)
    if before is not None and outcome != "acts" and outcome != "admin-ok":
        assert after == before, "a POST that was not allowed to act changed something"


# The matrix


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role", "method"), CELLS)
def test_access_cell(world, key, role, method):
    if not _is_admin(key) and key != DEBUG_MEDIA_ROUTE and (key, method) not in EXPECTED:
        pytest.fail(f"{key} {method}: no expectation in tests/security/access_matrix.py")
    route, _pattern = PATTERNS[key]
    url = _url(key, route, world)
    outcome = _outcome(key, role, method)
    client = _client(world, role)
    before = _footprint() if method == "POST" else None
    response = client.get(url) if method == "GET" else client.post(url)
    if response.streaming:
        read_streamed(response)
    after = _footprint() if method == "POST" else None
    _check(response, outcome, before, after)


def test_every_url_pattern_has_an_expectation():
    missing = sorted(
        f"{key} {method}"
        for key in PATTERNS
        if not _is_admin(key) and key != DEBUG_MEDIA_ROUTE
        for method in METHODS
        if (key, method) not in EXPECTED
    )
    assert missing == [], "URL patterns without a line in the access matrix"
    assert set(URL_KWARGS) <= set(PATTERNS)


def test_no_expectation_names_a_missing_pattern():
    # The static media route exists only with DEBUG on local storage (config/urls.py).
    stale = sorted(_expected_keys() - set(PATTERNS) - {DEBUG_MEDIA_ROUTE})
    assert stale == [], "the access matrix names URL patterns that no longer exist"
    assert sorted(set(URL_KWARGS) - set(PATTERNS)) == []


def test_matrix_covers_the_admin_and_the_private_files():
    assert any(_is_admin(key) for key in PATTERNS)
    for served in ("vendors:photo_file", "curation:photo", "certification:document"):
        assert served in PATTERNS and (served, "GET") in EXPECTED


@pytest.mark.django_db
def test_state_changing_post_without_csrf_token_is_refused(world):
    client = _client(world, "owner", csrf=True)
    before = _footprint()
    response = client.post(
        reverse("curation:withdraw", kwargs={"pk": world.in_curation.pk}),
        {"reason": "Tidak jadi."},
    )
    assert response.status_code == 403
    assert _footprint() == before
    # The same request with the token acts: the refusal above was the token's doing.
    client.get(reverse("curation:detail", kwargs={"pk": world.in_curation.pk}))
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("curation:withdraw", kwargs={"pk": world.in_curation.pk}),
        {"reason": "Tidak jadi.", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=world.in_curation.pk).status == "withdrawn"


@pytest.mark.django_db
def test_superuser_cannot_restore_an_old_version_from_the_admin_history(world, rf):
    """History is evidence: the admin shows old versions but a POSTed version form is refused
    (django-simple-history would save it back onto the object, around the services)."""
    product = Product.objects.get(pk=world.spare_product.pk)
    old = product.history.order_by("history_id").first()
    save_product(vendor=world.vendor, by=world.users["owner"], product=product, name="Nama baru")
    request = rf.get("/")
    request.user = world.users["admin"]
    form_class = admin_site._registry[Product].get_form(request, old.instance)
    data = {
        name: value
        for name, value in model_to_dict(old.instance, fields=list(form_class.base_fields)).items()
        if value is not None
    }
    url = reverse("admin:vendors_product_simple_history", args=[product.pk, old.history_id])
    client = _client(world, "admin")
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 403
    assert Product.objects.get(pk=product.pk).name == "Nama baru"
