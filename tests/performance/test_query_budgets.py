"""Query budgets of list pages: the same number of queries at 10 and at 200 rows.

A query per row (an N+1) makes the count grow with the rows, so it fails here, in the normal
suite, long before anyone notices a slow page in production. Pages budgeted next to their own
app's tests are not repeated here: vendor queue, screening queue, curator workspace, assessor
queue, approval queue, permit board, passed list, my applications, notifications, dashboard,
the plain catalogue page and the feed.

Rows come from ``demo.scale.ScaleBuilder``, the generator behind ``generate_scale_data``: every
application went the whole way to its state (samples, scores, permit cases, certificates,
listings), as the pages meet them in production.
"""

from __future__ import annotations

import pytest
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalogue.models import Listing
from certification.models import Certificate, PermitCase
from curation.models import Application
from demo.scale import CERT, S, ScaleBuilder
from tests import factories
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 200


@pytest.fixture
def builder() -> ScaleBuilder:
    built = ScaleBuilder(size=LARGE, programmes=1, seed=11)
    built.setup()
    return built


def grow(builder: ScaleBuilder, count: int, state: str, certificates=None) -> None:
    builder.add_applications(
        count,
        states={state: 1},
        certificate_states=certificates or {CERT.ACTIVE: 1},
        lone_vendor_share=0,
    )
    builder.finish()


def owner_of_every_vendor(user) -> None:
    """Make ``user`` an owner of every vendor, so the applicant's own pages list every row."""
    through = Vendor.owners.through
    owned = set(through.objects.filter(user=user).values_list("vendor_id", flat=True))
    through.objects.bulk_create(
        through(vendor_id=pk, user=user)
        for pk in Vendor.objects.exclude(pk__in=owned).values_list("pk", flat=True)
    )


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def queries_for(client: Client, url: str):
    client.get(url)  # warm: session, roles and content types are cached after the first
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured), response


def test_catalogue_search_with_filters_costs_the_same_at_10_and_200_listings(builder):
    url = "/catalogue/?q=masker&price_min=1000&sort=price"
    client = client_for()
    grow(builder, SMALL, S.APPROVED)
    few, response = queries_for(client, url)
    matching = Listing.objects.filter(product_name__icontains="masker").count()
    assert response.context["page"].paginator.count == matching > 0

    grow(builder, LARGE - SMALL, S.APPROVED)
    many, response = queries_for(client, url)

    assert response.context["page"].paginator.count > matching
    assert many == few, f"catalogue search: {few} queries at {SMALL} listings, {many} at {LARGE}"


def test_certificate_list_with_actions_costs_the_same_at_10_and_200_certificates(builder):
    # Suspended certificates offer "reinstate", whose conditions read the permit.
    mixed = {CERT.ACTIVE: 1, CERT.SUSPENDED: 1}
    client = client_for(builder.approvers[0])
    grow(builder, SMALL, S.APPROVED, mixed)
    few, response = queries_for(client, "/certificates/")
    assert response.context["page"].paginator.count == SMALL

    grow(builder, LARGE - SMALL, S.APPROVED, mixed)
    many, response = queries_for(client, "/certificates/")

    assert response.context["page"].paginator.count == LARGE
    assert Certificate.objects.filter(status=CERT.SUSPENDED).exists()
    assert many == few, f"/certificates/: {few} queries at {SMALL}, {many} at {LARGE}"


def test_my_certificates_costs_the_same_at_10_and_200_certificates(builder):
    me = factories.applicant()
    client = client_for(me)
    grow(builder, SMALL, S.APPROVED)
    owner_of_every_vendor(me)
    few, response = queries_for(client, "/certificates/mine/")
    assert len(response.context["rows"]) == SMALL

    grow(builder, LARGE - SMALL, S.APPROVED)
    owner_of_every_vendor(me)
    many, response = queries_for(client, "/certificates/mine/")

    assert len(response.context["rows"]) == LARGE
    assert many == few, f"/certificates/mine/: {few} queries at {SMALL}, {many} at {LARGE}"


def test_my_permit_cases_cost_the_same_at_10_and_200_applications(builder):
    me = factories.applicant()
    client = client_for(me)
    grow(builder, SMALL, S.PERMIT_SUPPORT)
    owner_of_every_vendor(me)
    few, response = queries_for(client, "/permits/")
    cases_before = len(response.context["cases"])
    assert cases_before == PermitCase.objects.count() > 0

    grow(builder, LARGE - SMALL, S.PERMIT_SUPPORT)
    owner_of_every_vendor(me)
    many, response = queries_for(client, "/permits/")

    assert len(response.context["cases"]) == PermitCase.objects.count() > cases_before
    assert many == few, f"/permits/: {few} queries at {cases_before} cases, {many} at more"


def test_my_listings_cost_the_same_at_10_and_200_listings(builder):
    me = factories.applicant()
    client = client_for(me)
    grow(builder, SMALL, S.APPROVED)
    owner_of_every_vendor(me)
    few, response = queries_for(client, "/portal/listings/")
    assert len(response.context["listings"]) == SMALL

    grow(builder, LARGE - SMALL, S.APPROVED)
    owner_of_every_vendor(me)
    many, response = queries_for(client, "/portal/listings/")

    assert len(response.context["listings"]) == LARGE
    assert many == few, f"/portal/listings/: {few} queries at {SMALL}, {many} at {LARGE}"


def test_staff_exports_page_costs_the_same_at_10_and_200_applications(builder):
    client = client_for(builder.staff[0])
    grow(builder, SMALL, S.APPROVED)
    few, response = queries_for(client, "/staff/exports/")
    assert b"listings.csv" in response.content

    grow(builder, LARGE - SMALL, S.SUBMITTED)
    many, _response = queries_for(client, "/staff/exports/")

    assert Application.objects.count() == LARGE
    assert many == few, f"/staff/exports/: {few} queries at {SMALL}, {many} at {LARGE}"
