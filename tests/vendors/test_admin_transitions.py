"""Transition buttons in the Django admin run the same services as the portal.

An admin transition is locked, permission-checked, logged with the admin user as actor and
refused with a message when not allowed; the transition log itself cannot be edited in admin.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.utils.html import escape

from audit.models import TransitionLog
from tests import factories
from vendors import services
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner():
    return factories.applicant()


@pytest.fixture
def officer():
    """A ministry staff member who also uses the Django admin."""
    return factories.staff(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(officer) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(officer)
    return client


@pytest.fixture
def submitted(owner):
    vendor = factories.vendor_ready_to_submit(owner=owner)
    return services.submit_vendor(vendor=vendor, by=owner)


def change_url(vendor) -> str:
    return f"/admin/vendors/vendor/{vendor.pk}/change/"


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def change_form_data(response) -> dict:
    """The admin change form's current values, as the browser would post them back."""
    data = {}

    def add(bound_field):
        value = bound_field.value()
        if value is None or value is False:
            return
        if value is True:
            value = "on"
        data[bound_field.html_name] = value

    for bound_field in response.context["adminform"].form:
        add(bound_field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound_field in formset.management_form:
            add(bound_field)
        for form in formset.forms:
            for bound_field in form:
                add(bound_field)
    return data


def state_of(vendor):
    fresh = Vendor.objects.get(pk=vendor.pk)
    return {
        "status": fresh.status,
        "log": TransitionLog.objects.count(),
        "transition_history": fresh.history.exclude(history_change_reason=None).count(),
    }


def post_transition(client, vendor, name):
    page = client.get(change_url(vendor))
    assert page.status_code == 200
    data = change_form_data(page)
    data["_fsm_transition_to"] = name
    return client.post(change_url(vendor), data, follow=True)


def test_change_page_of_submitted_vendor_shows_review_buttons(admin_client, submitted):
    response = admin_client.get(change_url(submitted))

    assert response.status_code == 200
    content = response.content.decode()
    for name in ("verify", "return_for_changes", "reject"):
        assert f'name="_fsm_transition_to"\n  value="{name}"' in content, name
    for name in ("submit", "suspend", "reinstate"):
        assert f'value="{name}"' not in content, name
    assert ">\n  Verify\n</button>" in content


def test_change_page_of_draft_vendor_offers_no_transition_to_a_non_owner(admin_client, owner):
    draft = factories.vendor_ready_to_submit(owner=owner)

    response = admin_client.get(change_url(draft))

    assert response.status_code == 200
    assert 'name="_fsm_transition_to"' not in response.content.decode()


def test_admin_verify_button_runs_the_service_and_logs_the_admin_user(
    admin_client, officer, submitted
):
    response = post_transition(admin_client, submitted, "verify")

    assert response.redirect_chain[-1] == (change_url(submitted), 302)
    assert "Done: verify." in shown_messages(response)
    submitted.refresh_from_db()
    assert submitted.status == Vendor.Status.VERIFIED
    entry = TransitionLog.objects.order_by("-sequence").first()
    assert (entry.transition, entry.source_state, entry.target_state) == (
        "verify",
        "submitted",
        "verified",
    )
    assert entry.actor == officer
    assert entry.hash == entry.compute_hash()
    latest = submitted.history.first()
    assert (latest.status, latest.history_user) == ("verified", officer)


def test_admin_return_asks_for_a_reason_and_logs_it(admin_client, officer, submitted):
    form_url = f"/admin/vendors/vendor/{submitted.pk}/transition/return_for_changes/"

    response = post_transition(admin_client, submitted, "return_for_changes")
    assert response.redirect_chain[-1] == (form_url, 302)
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    assert Vendor.objects.get(pk=submitted.pk).status == Vendor.Status.SUBMITTED

    done = admin_client.post(form_url, {"reason": "Alamat tidak sesuai NIB."}, follow=True)

    assert done.redirect_chain[-1] == (change_url(submitted), 302)
    assert "Done: return_for_changes." in shown_messages(done)
    assert Vendor.objects.get(pk=submitted.pk).status == Vendor.Status.RETURNED
    entry = TransitionLog.objects.order_by("-sequence").first()
    assert (entry.transition, entry.actor, entry.note) == (
        "return_for_changes",
        officer,
        "Alamat tidak sesuai NIB.",
    )


def test_admin_return_without_a_reason_changes_nothing(admin_client, submitted):
    before = state_of(submitted)
    form_url = f"/admin/vendors/vendor/{submitted.pk}/transition/return_for_changes/"

    response = admin_client.post(form_url, {"reason": ""})

    assert response.status_code == 200
    assert response.context["transition_form"].errors["reason"]
    assert state_of(submitted) == before


def test_admin_transition_refused_by_state_shows_error_and_changes_nothing(admin_client, submitted):
    before = state_of(submitted)

    response = post_transition(admin_client, submitted, "suspend")

    # suspend needs a reason: the form opens, and posting it is refused for the current state.
    form_url = f"/admin/vendors/vendor/{submitted.pk}/transition/suspend/"
    assert response.redirect_chain[-1] == (form_url, 302)
    refused = admin_client.post(form_url, {"reason": "Aduan pembeli."}, follow=True)
    assert refused.status_code == 200
    assert shown_messages(refused) == [
        "This action is not possible while the vendor is “Submitted”."
    ]
    assert state_of(submitted) == before


def test_admin_cannot_submit_a_vendor_for_its_owner(admin_client, owner):
    draft = factories.vendor_ready_to_submit(owner=owner)
    before = state_of(draft)

    response = post_transition(admin_client, draft, "submit")

    assert response.redirect_chain[-1] == (change_url(draft), 302)
    messages = shown_messages(response)
    assert "Only the vendor's owners may submit it for verification." in messages
    assert not any(message.startswith("Done") for message in messages)
    assert escape("Only the vendor's owners may submit it for verification.") in (
        response.content.decode()
    )
    assert state_of(draft) == before


def test_superuser_without_staff_role_is_refused_by_the_service(owner, submitted):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(superuser)
    before = state_of(submitted)

    response = post_transition(client, submitted, "verify")

    assert shown_messages(response)[-1] == (
        "Only ministry staff may verify, return or reject a vendor."
    )
    assert state_of(submitted) == before


def test_transition_log_admin_is_read_only(admin_client, submitted):
    entry = TransitionLog.objects.get()
    log_admin = admin.site._registry[TransitionLog]

    changelist = admin_client.get("/admin/audit/transitionlog/")
    add = admin_client.get("/admin/audit/transitionlog/add/")
    view = admin_client.get(f"/admin/audit/transitionlog/{entry.pk}/change/")
    change = admin_client.post(f"/admin/audit/transitionlog/{entry.pk}/change/", {"note": "diubah"})
    delete = admin_client.post(f"/admin/audit/transitionlog/{entry.pk}/delete/", {"post": "yes"})
    bulk_delete = admin_client.post(
        "/admin/audit/transitionlog/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert add.status_code == 403
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk_delete.status_code in (200, 302)
    request = changelist.wsgi_request
    assert not log_admin.has_add_permission(request)
    assert not log_admin.has_change_permission(request, entry)
    assert not log_admin.has_delete_permission(request, entry)
    fresh = TransitionLog.objects.get()
    assert (fresh.note, fresh.hash) == (entry.note, entry.hash)
