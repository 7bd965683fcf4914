"""The notification pages as a signed-in person uses them: their list in their language, opening
one, marking all read, the bell in the header and its JSON count, the e-mail settings, and the
cost of the list.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

from notifications.kinds import KINDS
from notifications.models import EmailPreference, Notification
from notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db

APPROVED = {"product": "Masker Kain Batik", "number": "KUR-2026-0007", "valid_until": "2026-03-01"}


def client_for(user=None, language: str | None = None) -> Client:
    client = Client()
    if language:
        client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def approved(user, url: str = "/applications/7/", **params) -> Notification:
    (notification,) = notify(
        recipients=[user], kind="application_approved", params={**APPROVED, **params}, url=url
    )
    return notification


def rendered(language: str, kind: str, params: dict) -> tuple[str, str]:
    with translation.override(language):
        title, body = KINDS[kind].render(params)
    return escape(title), escape(body)


def text_in(language: str, message: str) -> str:
    with translation.override(language):
        return escape(translation.gettext(message))


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# ---------------------------------------------------------------------------------------------
# The list


@pytest.mark.parametrize(
    ("language", "date_shown"), [("id", "1 Maret 2026"), ("en", "1 March 2026")]
)
def test_list_shows_my_notifications_in_my_language(language, date_shown):
    me, someone = factories.applicant(), factories.applicant()
    approved(me)
    notify(
        recipients=[someone],
        kind="vendor_returned",
        params={"vendor": "CV Orang Lain", "reason": "NIB tidak terbaca"},
    )

    page = client_for(me, language).get("/notifications/")

    assert page.status_code == 200
    html = page.content.decode()
    title, body = rendered(language, "application_approved", APPROVED)
    assert title in html and body in html
    assert date_shown in body
    assert "CV Orang Lain" not in html


def test_unread_notifications_are_marked_in_words_not_only_colour():
    me = factories.applicant()
    read = approved(me, product="Masker Lama")
    approved(me, product="Masker Baru")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    html = client_for(me, "en").get("/notifications/").content.decode()

    items = html.split('<li class="notification')[1:]
    assert [("Masker Baru" in item, "Unread" in item) for item in items] == [
        (True, True),
        (False, False),
    ], "newest first, and only the unread one says so"


def test_list_is_paginated_by_25_newest_first():
    me = factories.applicant()
    for n in range(30):
        approved(me, product=f"Produk {n:02d}")

    first = client_for(me, "en").get("/notifications/")
    second = client_for(me, "en").get("/notifications/?page=2")

    assert [row["title"] for row in first.context["rows"]][:2] == [
        "Produk 29 is approved",
        "Produk 28 is approved",
    ]
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert second.context["rows"][-1]["title"] == "Produk 00 is approved"


def test_list_needs_login():
    response = client_for().get("/notifications/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# ---------------------------------------------------------------------------------------------
# Opening and marking read


def test_opening_marks_it_read_and_goes_to_its_page():
    me = factories.applicant()
    notification = approved(me, url="/applications/7/")

    response = client_for(me).post(f"/notifications/{notification.pk}/open/")

    assert response.status_code == 302
    assert response.url == "/applications/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_someone_elses_notification_is_404_and_leaves_it_unread():
    owner, intruder = factories.applicant(), factories.applicant()
    notification = approved(owner)

    response = client_for(intruder).post(f"/notifications/{notification.pk}/open/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "url", ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "javascript:x"]
)
def test_a_link_that_leaves_kurasi_is_not_followed(url):
    me = factories.applicant()
    notification = approved(me, url=url)

    response = client_for(me, "en").post(f"/notifications/{notification.pk}/open/", follow=True)

    assert response.redirect_chain == [("/notifications/", 302)]
    assert shown_messages(response) == [
        "The link of this notification leads outside Kurasi and was not opened."
    ]
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_without_a_link_is_marked_read_from_the_list():
    me = factories.applicant()
    notification = approved(me, url="")
    html = client_for(me, "en").get("/notifications/").content.decode()
    assert f'action="/notifications/{notification.pk}/open/"' in html
    assert "Mark as read" in html

    response = client_for(me).post(f"/notifications/{notification.pk}/open/")

    assert response.url == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_by_get_changes_nothing():
    me = factories.applicant()
    notification = approved(me)

    assert client_for(me).get(f"/notifications/{notification.pk}/open/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read_marks_only_mine():
    me, someone = factories.applicant(), factories.applicant()
    approved(me)
    approved(me)
    theirs = approved(someone)

    response = client_for(me, "en").post("/notifications/read-all/", follow=True)

    assert shown_messages(response) == ["2 notifications marked as read."]
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Mark all as read" not in response.content.decode()


# ---------------------------------------------------------------------------------------------
# The bell and its count


def test_unread_json_counts_only_my_unread_notifications():
    me, someone = factories.applicant(), factories.applicant()
    first = approved(me)
    approved(me)
    approved(me)
    approved(someone)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())

    response = client_for(me, "en").get("/notifications/unread.json")

    assert response.status_code == 200
    assert response.json() == {"unread": 2, "label": "Notifications, 2 unread"}
    assert "no-store" in response["Cache-Control"]


def test_unread_json_answers_401_when_signed_out():
    response = client_for().get("/notifications/unread.json")
    assert response.status_code == 401
    assert response.json() == {"error": "login required"}


def test_bell_shows_the_unread_count_with_a_spoken_label():
    me = factories.applicant()
    for _ in range(3):
        approved(me)

    html = client_for(me, "en").get("/catalogue/").content.decode()

    assert 'href="/notifications/" data-unread-source="/notifications/unread.json"' in html
    assert '<span class="visually-hidden" data-bell-label>Notifications, 3 unread</span>' in html
    assert '<span class="bell-count" aria-hidden="true" data-bell-count>3</span>' in html

    Notification.objects.filter(recipient=me).update(read_at=timezone.now())
    html = client_for(me, "en").get("/catalogue/").content.decode()
    assert "Notifications, none unread" in html
    assert "data-bell-count hidden>" in html


def test_no_bell_for_visitors():
    html = client_for().get("/catalogue/").content.decode()
    assert "data-unread-source" not in html


# ---------------------------------------------------------------------------------------------
# E-mail settings


def test_settings_offer_the_kinds_of_my_roles_and_save_my_choices():
    me = factories.applicant()
    client = client_for(me, "en")

    page = client.get("/notifications/settings/")
    fields = set(page.context["form"].fields)
    assert fields == {kind.code for kind in KINDS.values() if kind.audience == "applicant"}
    assert "awaiting_approval" not in fields
    assert escape(me.email) in page.content.decode()

    choices = {code: "immediate" for code in fields}
    choices |= {"sample_requested": "digest", "certificate_expiring": "off"}
    response = client.post("/notifications/settings/", choices, follow=True)

    assert shown_messages(response) == ["Your e-mail choices are saved."]
    assert dict(EmailPreference.objects.filter(user=me).values_list("kind", "delivery")) == {
        "sample_requested": "digest",
        "certificate_expiring": "off",
    }
    html = response.content.decode()
    assert 'name="sample_requested" value="digest" id="id_sample_requested_1" required checked' in (
        html
    )


def test_an_officer_with_two_roles_gets_both_sets_of_kinds():
    officer = factories.staff()
    officer.groups.add(Group.objects.get(name="approver"))

    form = client_for(officer).get("/notifications/settings/").context["form"]

    assert {"application_submitted", "awaiting_approval"} <= set(form.fields)
    assert len(form.sections()) == 2


def test_bad_choices_are_shown_again_with_the_reasons_and_nothing_is_saved():
    me = factories.curator()
    client = client_for(me, "en")

    response = client.post(
        "/notifications/settings/", {"curator_assigned": "hourly", "curator_overdue": "off"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"curator_assigned"}
    html = response.content.decode()
    assert "Choose one of the options for each kind marked below." in html
    assert 'name="curator_overdue" value="off" id="id_curator_overdue_2" required checked' in html
    assert not EmailPreference.objects.filter(user=me).exists()


def test_settings_say_when_there_is_no_email_address():
    me = factories.applicant(email="")

    html = client_for(me, "en").get("/notifications/settings/").content.decode()

    assert "Your account has no e-mail address" in html


# ---------------------------------------------------------------------------------------------
# Query budget: constant whatever the number of notifications


def add_notifications(user, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="application_approved",
            params={**APPROVED, "product": f"Produk {n}"},
            url=f"/applications/{n}/",
            read_at=timezone.now() if n % 2 else None,
        )
        for n in range(count)
    )


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_list_query_count_does_not_grow_with_notifications(capsys):
    me = factories.applicant()
    client = client_for(me)
    add_notifications(me, 5)
    client.get("/notifications/")

    at_5, response = count_queries(client, "/notifications/")
    assert len(response.context["rows"]) == 5
    add_notifications(me, 45)
    at_50, response = count_queries(client, "/notifications/")

    assert len(response.context["rows"]) == 25
    assert at_5 == at_50, f"/notifications/: {at_5} queries at 5, {at_50} at 50"
    with capsys.disabled():
        print(f"\n/notifications/ queries: {at_5} at 5 notifications, {at_50} at 50")
