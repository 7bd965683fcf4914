"""The dashboard reads every figure with aggregate queries: the page costs the same number of
queries for 10 applications as for 1,000 (each with its audit rows, assignments, permit cases,
information requests and certificates)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.verification import verify_chain
from curation.models import Application, Curator
from dashboard.selectors import LIST_LIMIT
from dashboard.summary import refresh_summary
from tests import factories
from tests.dashboard import builders

pytestmark = pytest.mark.django_db

QUERY_CEILING = 30


def page_queries(client) -> tuple[int, str]:
    refresh_summary()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    return len(queries), response.text


def test_dashboard_issues_the_same_number_of_queries_for_10_and_1000_applications(client):
    staff = factories.staff(language="en")
    programmes = [factories.programme(name="Gelombang I"), factories.programme(name="Gelombang II")]
    products = builders.vendor_products(factories.applicant())
    curators = list(Curator.objects.order_by("pk"))
    client.force_login(staff)
    build = {"actor": staff, "programmes": programmes, "products": products, "curators": curators}

    builders.populate(10, **build)
    small, _page = page_queries(client)
    builders.populate(990, number_prefix="U", **build)
    large, page = page_queries(client)

    assert Application.objects.count() == 1000
    assert small == large
    assert large <= QUERY_CEILING
    # The figures are those of the thousand, and the lists stay short.
    assert "<dd>1,000</dd>" in page
    overdue = page[page.index('id="overdue-title"') : page.index('id="funnel"')]
    assert overdue.count("<tr>") - overdue.count("<thead><tr>") == 2 * LIST_LIMIT
    assert f"{LIST_LIMIT} of " in page


def test_bulk_history_keeps_the_audit_chain_intact():
    staff = factories.staff()
    builders.populate(
        24,
        actor=staff,
        programmes=[factories.programme()],
        products=builders.vendor_products(factories.applicant()),
        curators=list(Curator.objects.all()),
    )

    report = verify_chain()
    assert report.intact, report.problem
    assert report.entries > 24
