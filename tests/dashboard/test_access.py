"""Who may open the ministry dashboard: staff and approvers; others are refused or sent to log in."""

import pytest
from django.urls import reverse

from tests import factories

DASHBOARD = "/dashboard/"

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={DASHBOARD}"


@pytest.mark.parametrize("make_user", [factories.applicant, factories.curator])
def test_applicant_and_curator_are_refused_with_a_reason(client, make_user):
    client.force_login(make_user(language="en"))

    response = client.get(DASHBOARD)

    assert response.status_code == 403
    assert "Only ministry staff and approvers may see the dashboard." in response.text


@pytest.mark.parametrize("make_user", [factories.staff, factories.approver])
def test_staff_and_approver_see_the_dashboard(client, make_user):
    client.force_login(make_user(language="en"))

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert "<h1>Dashboard</h1>" in response.text


@pytest.mark.parametrize(
    ("make_user", "shown"),
    [(factories.staff, True), (factories.approver, True), (factories.applicant, False)],
)
def test_menu_links_to_the_dashboard_for_ministry_officers_only(client, make_user, shown):
    client.force_login(make_user(language="en"))

    response = client.get(reverse("catalogue:search"))

    assert (f'href="{DASHBOARD}"' in response.text) is shown
