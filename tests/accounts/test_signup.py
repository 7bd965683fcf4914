"""Applicant sign-up, e-mail verification, and logging in and out."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
NEW_PASSWORD = "jahit-Masker-2021"
VERIFY_LINK = re.compile(r"http://testserver(/accounts/verify/[^/\s]+/[^/\s]+/)")


def signup_data(**overrides) -> dict:
    data = {
        "full_name": "Siti Rahayu",
        "email": "Siti@SinarJahit.example",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "language": "id",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_up(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())
    return response


def verify_path() -> str:
    [message] = mail.outbox
    return VERIFY_LINK.search(message.body).group(1)


def test_signup_page_opens(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_signup_creates_an_active_applicant_and_logs_them_in(client, signed_up):
    assert signed_up.status_code == 302
    assert signed_up["Location"] == reverse("vendors:portal")

    user = User.objects.exclude(username="system").get()
    assert user.is_active
    assert user.email == user.username == "siti@sinarjahit.example"
    assert (user.first_name, user.last_name) == ("Siti", "Rahayu")
    assert list(user.groups.values_list("name", flat=True)) == [Role.APPLICANT]
    assert not user.is_staff and not user.is_superuser
    assert user.email_verified_at is None
    assert user.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("vendors:portal")).status_code == 200


def test_signup_sends_one_email_with_a_verify_link(signed_up):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@sinarjahit.example"]
    assert VERIFY_LINK.search(message.body)


def test_no_email_is_sent_if_the_account_was_not_saved(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data(password2="something-else-1"))
    assert mail.outbox == []


def test_opening_the_verify_link_marks_the_email_verified(client, signed_up):
    response = client.get(verify_path())

    assert response.status_code == 302
    assert User.objects.exclude(username="system").get().email_verified_at is not None


def test_verify_link_works_in_another_browser(client, signed_up):
    path = verify_path()
    client.logout()

    assert client.get(path).status_code == 302
    assert User.objects.exclude(username="system").get().email_verified


def test_tampered_verify_link_shows_the_failure_page_and_verifies_nothing(client, signed_up):
    path = verify_path()
    uid, token = path.rstrip("/").split("/")[-2:]
    tampered_token = token[:-1] + ("a" if token[-1] != "a" else "b")
    other = factories.applicant(email_verified_at=None)

    bad_paths = [
        reverse("accounts:verify_email", args=[uid, tampered_token]),
        reverse("accounts:verify_email", args=["bm90LWEtdXNlcg", token]),  # "not-a-user"
        reverse("accounts:verify_email", args=["!!!", token]),
        # A real token for one user does not verify another.
        reverse("accounts:verify_email", args=[_uid(other), token]),
    ]
    for bad in bad_paths:
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert "accounts/verify_failed.html" in [t.name for t in response.templates]

    assert User.objects.filter(email_verified_at__isnull=False).count() == 0


def _uid(user) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def test_signup_in_english_sets_the_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(language="en"))

    assert response.cookies["django_language"].value == "en"
    assert User.objects.exclude(username="system").get().language == "en"
    assert "Open this link to verify" in mail.outbox[0].body


def assert_form_redisplayed(response, *, name, email, error_field):
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{name}"' in html
    assert f'value="{email}"' in html
    assert NEW_PASSWORD not in html  # passwords are never echoed back
    assert error_field in response.context["form"].errors


def test_duplicate_email_keeps_what_was_typed_and_creates_nobody(client):
    factories.applicant(email="siti@sinarjahit.example")
    before = User.objects.count()

    response = client.post(SIGNUP, signup_data(email="SITI@sinarjahit.example"))

    assert_form_redisplayed(
        response, name="Siti Rahayu", email="SITI@sinarjahit.example", error_field="email"
    )
    assert User.objects.count() == before
    assert SESSION_KEY not in client.session


def test_email_already_used_as_a_username_is_a_duplicate(client):
    factories.applicant(username="budi@bersih.example", email="other@bersih.example")

    response = client.post(SIGNUP, signup_data(email="budi@bersih.example"))

    assert response.status_code == 200
    assert "email" in response.context["form"].errors


def test_mismatching_passwords_keep_what_was_typed_and_create_nobody(client):
    response = client.post(SIGNUP, signup_data(password2="jahit-Masker-2022"))

    assert_form_redisplayed(
        response, name="Siti Rahayu", email="Siti@SinarJahit.example", error_field="password2"
    )
    assert User.objects.exclude(username="system").count() == 0


@pytest.mark.parametrize("password", ["12345678901", "siti", "password123"])
def test_weak_password_is_refused(client, password):
    response = client.post(SIGNUP, signup_data(password1=password, password2=password))

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert User.objects.exclude(username="system").count() == 0


def test_logged_in_user_is_sent_home_from_signup(client):
    client.force_login(factories.applicant())
    response = client.get(SIGNUP)
    assert response.status_code == 302


# --- login and logout --------------------------------------------------------------------------


@pytest.fixture
def member():
    return factories.applicant(username="budi", email="budi@bersih.example")


@pytest.mark.parametrize("login_name", ["budi", "budi@bersih.example", "Budi@Bersih.Example"])
def test_login_works_with_email_or_username(client, member, login_name):
    response = client.post(LOGIN, {"username": login_name, "password": factories.PASSWORD})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


@pytest.mark.parametrize("login_name", ["budi", "budi@bersih.example", "nobody@bersih.example"])
def test_login_with_a_wrong_password_is_refused(client, member, login_name):
    response = client.post(LOGIN, {"username": login_name, "password": "wrong-password-1"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert SESSION_KEY not in client.session


def test_inactive_user_cannot_log_in_with_email(client, member):
    member.is_active = False
    member.save()

    client.post(LOGIN, {"username": "budi@bersih.example", "password": factories.PASSWORD})

    assert SESSION_KEY not in client.session


def test_new_applicant_can_log_in_again_with_their_email(client, signed_up):
    client.logout()
    response = client.post(LOGIN, {"username": "siti@sinarjahit.example", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_logout_needs_a_post(client, member):
    client.force_login(member)

    assert client.get(LOGOUT).status_code == 405
    assert SESSION_KEY in client.session

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_every_page_offers_logout_as_a_form(client, member):
    client.force_login(member)
    html = client.get(reverse("vendors:portal")).content.decode()
    assert f'method="post" action="{LOGOUT}"' in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_verify_link_works_when_the_email_is_sent_at_commit(client):
    # Without a test transaction around it, the e-mail goes out the moment the account is
    # committed, before the sign-up view logs the new user in.
    client.post(SIGNUP, signup_data())
    assert len(mail.outbox) == 1

    response = client.get(verify_path())

    assert response.status_code == 302
    assert User.objects.exclude(username="system").get().email_verified


def test_verify_link_still_works_after_logging_in_again_the_next_day(client, signed_up):
    path = verify_path()
    client.logout()
    client.post(LOGIN, {"username": "siti@sinarjahit.example", "password": NEW_PASSWORD})
    # The login above happened "the next day": move its timestamp, as a real one would be.
    User.objects.exclude(username="system").update(last_login=timezone.now() + timedelta(days=1))

    response = client.get(path)

    assert response.status_code == 302
    assert User.objects.exclude(username="system").get().email_verified


def test_opening_the_verify_link_twice_is_harmless(client, signed_up):
    path = verify_path()
    assert client.get(path).status_code == 302
    first = User.objects.exclude(username="system").get().email_verified_at

    assert client.get(path).status_code == 302
    assert User.objects.exclude(username="system").get().email_verified_at == first


def test_verify_link_is_not_a_password_reset_link(client, signed_up):
    uid, token = verify_path().rstrip("/").split("/")[-2:]
    client.logout()

    response = client.get(
        reverse("accounts:password_reset_confirm", args=[uid, token]), follow=True
    )

    assert response.context["validlink"] is False


def test_verify_link_for_an_old_address_stops_working(client, signed_up):
    path = verify_path()
    User.objects.exclude(username="system").update(email="siti.baru@sinarjahit.example")

    assert client.get(path).status_code == 400
    assert not User.objects.exclude(username="system").get().email_verified


def test_resent_verify_link_works(client, signed_up):
    mail.outbox.clear()

    client.post(reverse("accounts:resend_verification"))

    assert client.get(verify_path()).status_code == 302
    assert User.objects.exclude(username="system").get().email_verified
