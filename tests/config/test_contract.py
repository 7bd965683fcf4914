"""The external contract of DESIGN.md: health check, demo data, regions, language."""

import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from accounts.models import User
from accounts.roles import Role
from audit.models import TransitionLog
from curation.models import Application, Score
from regions.models import Province, Regency
from vendors.models import Product, ProductPhoto, Vendor

pytestmark = pytest.mark.django_db

DEMO_USERS = ["applicant1", "applicant2", "curator1", "curator2", "staff1", "approver1", "admin"]


# --- /healthz ----------------------------------------------------------------------------------


def test_healthz_reports_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login(client):
    # Load balancers do not log in; nor should a logged-out session be redirected.
    response = client.get("/healthz", follow=False)
    assert response.status_code == 200


class _BrokenConnection:
    def cursor(self):
        raise DatabaseError("could not connect to server")


def test_healthz_returns_503_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr("config.views.connection", _BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] != "ok"
    assert body["database"] != "ok"


# --- seed_demo ---------------------------------------------------------------------------------


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "vendors": Vendor.objects.count(),
        "products": Product.objects.count(),
        "photos": ProductPhoto.objects.count(),
        "transitions": TransitionLog.objects.count(),
        "applications": Application.objects.count(),
        "scores": Score.objects.count(),
    }


@pytest.fixture
def seeded(settings, monkeypatch):
    settings.DEBUG = True
    # Smaller demo pictures: the same pipeline, a fraction of the encoding time.
    from demo.images import product_picture

    small = lambda **kwargs: product_picture(**{**kwargs, "size": (240, 180)})  # noqa: E731
    for module in ("demo.management.commands.seed_demo", "demo.certification", "demo.catalogue"):
        monkeypatch.setattr(f"{module}.product_picture", small)
    seed()


def test_seed_demo_has_an_open_programme_with_rubrics_and_applications_in_many_states(seeded):
    from curation.models import Programme

    programme = Programme.objects.get()
    assert programme.is_open()
    assert programme.rubrics.count() == len(programme.categories)
    assert (
        programme.assessor.curators.filter(user__username__in=["curator1", "curator2"]).count() == 2
    )
    states = set(Application.objects.values_list("status", flat=True))
    assert {
        "submitted",
        "returned",
        "sample_requested",
        "in_curation",
        "permit_support",
        "awaiting_approval",
        "approved",
        "curation_failed",
    } <= states


def test_seed_demo_has_permit_cases_and_an_active_and_a_suspended_certificate(seeded):
    from certification.models import Certificate, PermitCase

    assert set(PermitCase.objects.values_list("status", flat=True)) == {
        "preparing_documents",
        "issued",
    }
    statuses = list(Certificate.objects.values_list("status", flat=True))
    assert statuses.count("suspended") == 1
    assert statuses.count("active") >= 12


def test_seed_demo_fills_the_catalogue_across_categories_and_provinces(seeded):
    from catalogue.models import Listing

    live = Listing.objects.filter(status="live")
    assert live.count() >= 12
    assert live.values("category").distinct().count() >= 5
    assert live.values("province").distinct().count() >= 10
    assert Listing.objects.filter(status="delisted").count() == 1


def test_seed_demo_creates_the_contract_users_with_their_roles_and_password(seeded, client):
    roles = {
        "applicant1": Role.APPLICANT,
        "applicant2": Role.APPLICANT,
        "curator1": Role.CURATOR,
        "curator2": Role.CURATOR,
        "staff1": Role.STAFF,
        "approver1": Role.APPROVER,
    }
    for username in DEMO_USERS:
        user = authenticate(username=username, password="kurasi-demo")
        assert user is not None, username
        assert user.username == username
        assert user.is_active and user.email_verified
        if username in roles:
            assert user.groups.filter(name=roles[username]).exists(), username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_seed_demo_applicants_own_different_vendors_in_several_states(seeded):
    first = set(Vendor.objects.filter(owners__username="applicant1"))
    second = set(Vendor.objects.filter(owners__username="applicant2"))
    assert first and second
    assert not first & second

    states = set(Vendor.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "verified", "returned"} <= states
    assert all(v.products.filter(photos__isnull=False).exists() for v in first | second)
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().strip() == f"audit chain intact: {TransitionLog.objects.count()} entries"


def test_seed_demo_twice_creates_and_changes_nothing(seeded):
    before = counts()
    assert before["vendors"] > 0 and before["photos"] > 0
    user = User.objects.get(username="staff1")
    user.set_password("my-own-secret-9")
    user.save()

    output = seed()

    assert counts() == before
    assert "0 vendors, 0 applications and 0 certificates created" in output
    assert authenticate(username="staff1", password="my-own-secret-9") is not None
    assert authenticate(username="applicant1", password="kurasi-demo") is not None


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed()

    assert not User.objects.filter(username__in=DEMO_USERS).exists()
    assert Vendor.objects.count() == 0


# --- regions -----------------------------------------------------------------------------------


def test_all_38_provinces_and_514_regencies_are_loaded():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514


def test_every_regency_belongs_to_the_province_of_its_code():
    mismatched = [r.code for r in Regency.objects.all() if not r.code.startswith(r.province_id)]
    assert mismatched == []
    assert Regency.objects.get(code="3273").province_id == "32"  # Kota Bandung, Jawa Barat


# --- language ----------------------------------------------------------------------------------


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_home_page_is_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert html_lang(response) == "id"


def test_language_switch_makes_the_home_page_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert html_lang(client.get("/")) == "en"


def test_switching_back_to_indonesian(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert html_lang(client.get("/")) == "id"


def test_unknown_language_keeps_indonesian(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert html_lang(client.get("/")) == "id"


def test_language_switch_is_offered_on_the_home_page(client):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en"' in html and 'value="id"' in html
