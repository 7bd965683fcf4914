"""The curation pages as each role uses them: who sees what, forms, bulk screening, scoring,
photos and the cost of the list pages.

Pages are requested in English so the assertions read the source strings whatever the state of
the Indonesian catalogue.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from curation import services
from curation.models import Application, Assignment, Curator, Sample, Score
from regions.models import Regency
from tests import factories
from vendors.models import Product, Vendor
from vendors.services import add_product_photos

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def criteria_of(application):
    rubric = application.programme.rubrics.get(category=application.product.category)
    return list(rubric.criteria.order_by("position"))


def all_scores(application, value: int) -> dict:
    return {c.pk: (value, f"note {c.pk}") for c in criteria_of(application)}


class Flow:
    """One application walked through the services, step by step, as far as a test needs."""

    def __init__(self, *, photos=3):
        self.owner = factories.applicant()
        self.officer = factories.staff()
        self.programme = factories.programme()
        self.assessor = self.programme.assessor
        self.lead = self.assessor.lead
        self.vendor, self.product = factories.verified_vendor_with_product(
            owner=self.owner, photos=photos
        )
        self.application = services.create_application(
            vendor=self.vendor, product=self.product, programme=self.programme, by=self.owner
        )
        self.curators = list(self.assessor.curators.select_related("user").order_by("pk"))
        for curator, name in zip(self.curators, ("Dewi", "Agus"), strict=False):
            curator.user.first_name, curator.user.last_name = name, "Kurator"
            curator.user.save(update_fields=["first_name", "last_name"])
        self.sample = None
        self.assignments = []

    @property
    def pk(self):
        return self.application.pk

    def refresh(self) -> Application:
        self.application = Application.objects.get(pk=self.pk)
        return self.application

    def submit(self):
        self.application = services.submit_application(application=self.application, by=self.owner)
        return self

    def request_sample(self):
        self.sample = services.request_sample(application=self.application, by=self.officer)
        self.refresh()
        return self

    def assign(self):
        self.assignments = [
            services.assign_curator(application=self.application, curator=c, by=self.officer)
            for c in self.curators
        ]
        return self

    def receive(self):
        services.record_sample_receipt(
            sample=self.sample, by=self.curators[0].user, quantity_received=5, condition="good"
        )
        self.refresh()
        return self

    def declare(self):
        self.assignments = [
            services.declare_no_conflict(assignment=a, by=c.user)
            for a, c in zip(self.assignments, self.curators, strict=True)
        ]
        return self

    def in_curation(self):
        return self.submit().request_sample().assign().receive().declare()

    def score(self, index: int, value: int):
        services.submit_scores(
            assignment=self.assignments[index],
            by=self.curators[index].user,
            values=all_scores(self.application, value),
        )
        self.refresh()
        return self


# ---------------------------------------------------------------------------------------------
# Each page renders for its role, and does not exist (404) or is refused (403) for the others


def test_applicant_pages_render():
    flow = Flow()
    client = client_for(flow.owner)

    programmes = client.get("/programmes/")
    assert programmes.status_code == 200
    assert escape(flow.programme.name) in programmes.content.decode()
    assert client.get("/applications/").status_code == 200
    detail = client.get(f"/applications/{flow.pk}/")
    assert detail.status_code == 200
    content = detail.content.decode()
    assert "Submit to the programme" in content
    assert 'aria-current="step"' in content
    portal = client.get("/portal/").content.decode()
    assert "My applications" in portal
    assert f'href="/applications/{flow.pk}/"' in portal


def test_staff_lead_and_curator_pages_render():
    flow = Flow().submit().request_sample().assign()

    staff = client_for(flow.officer)
    assert staff.get("/staff/applications/").status_code == 200
    staff_detail = staff.get(f"/applications/{flow.pk}/")
    assert staff_detail.status_code == 200
    assert "Curators" in staff_detail.content.decode()
    assert client_for(factories.approver()).get("/staff/applications/").status_code == 200

    lead = client_for(flow.lead)
    assessor_page = lead.get("/assessor/")
    assert assessor_page.status_code == 200
    assert escape(flow.product.name) in assessor_page.content.decode()
    assert lead.get(f"/applications/{flow.pk}/").status_code == 200

    curator = client_for(flow.curators[0].user)
    assert curator.get("/curator/").status_code == 200
    assert curator.get(f"/curator/applications/{flow.pk}/").status_code == 200
    # The shared page sends an assigned curator to the blind curator page.
    shared = curator.get(f"/applications/{flow.pk}/")
    assert shared.status_code == 302
    assert shared["Location"] == f"/curator/applications/{flow.pk}/"


def test_another_applicant_gets_404_on_someone_elses_application():
    flow = Flow().submit()
    other = client_for(factories.applicant())

    assert other.get(f"/applications/{flow.pk}/").status_code == 404
    assert other.post(f"/applications/{flow.pk}/withdraw/").status_code == 404
    photo_id = flow.refresh().specification["photo_ids"][0]
    url = f"/curator/applications/{flow.pk}/photos/{photo_id}/thumb/"
    assert other.get(url).status_code == 404
    assert Application.objects.get(pk=flow.pk).status == Application.Status.SUBMITTED


def test_curator_not_assigned_gets_404():
    flow = Flow().submit().request_sample().assign()
    outsider = factories.assessor(curators=1).curators.get().user
    client = client_for(outsider)

    assert client.get(f"/curator/applications/{flow.pk}/").status_code == 404
    assert client.get(f"/applications/{flow.pk}/").status_code == 404
    assert client.get("/curator/").status_code == 200
    assert escape(flow.product.name) not in client.get("/curator/").content.decode()


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("applicant", "/staff/applications/", 403),
        ("applicant", "/curator/", 403),
        ("applicant", "/assessor/", 403),
        ("staff", "/programmes/", 403),
        ("curator", "/programmes/", 403),
        ("curator", "/staff/applications/", 403),
    ],
)
def test_pages_of_other_roles_are_refused(who, url, status):
    user = {"applicant": factories.applicant, "staff": factories.staff}.get(who)
    user = user() if user else factories.assessor(curators=1).curators.get().user

    assert client_for(user).get(url).status_code == status


def test_applicant_cannot_run_bulk_screening():
    flow = Flow().submit()

    response = client_for(flow.owner).post(
        "/staff/applications/bulk/",
        {"applications": [flow.pk], "action": "reject", "reason": "no"},
    )

    assert response.status_code == 403
    assert flow.refresh().status == Application.Status.SUBMITTED


def test_home_sends_curators_to_their_workspace_and_leads_to_the_assessor_page():
    flow = Flow()
    assert client_for(flow.curators[0].user).get("/")["Location"] == "/curator/"
    lead_only = factories.UserFactory()
    factories.assessor(curators=0, lead=lead_only)
    assert client_for(lead_only).get("/")["Location"] == "/assessor/"


# ---------------------------------------------------------------------------------------------
# Applicant


def test_applicant_enters_a_product_and_submits_through_the_pages():
    flow = Flow()
    Application.objects.all().delete()  # enter it through the page instead
    client = client_for(flow.owner)

    entered = client.post(
        f"/programmes/{flow.programme.pk}/enter/", {"product": flow.product.pk}, follow=True
    )

    application = Application.objects.get()
    assert entered.redirect_chain == [(f"/applications/{application.pk}/", 302)]
    assert shown_messages(entered) == [
        "Application saved as a draft. Check it, then submit it to the programme."
    ]
    assert application.status == Application.Status.DRAFT
    assert application.created_by == flow.owner

    submitted = client.post(f"/applications/{application.pk}/submit/", follow=True)

    assert shown_messages(submitted) == ["Submitted. Ministry staff will screen your application."]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert len(application.specification["photo_ids"]) == 3


def test_refused_submit_shows_the_reasons_on_the_page_and_as_messages():
    flow = Flow(photos=1)
    client = client_for(flow.owner)

    page = client.get(f"/applications/{flow.pk}/").content.decode()
    assert "Before you can submit:" in page
    assert "Add at least 3 photos of the product (now 1)." in page
    assert 'aria-disabled="true"' in page

    response = client.post(f"/applications/{flow.pk}/submit/", follow=True)

    assert shown_messages(response) == ["Add at least 3 photos of the product (now 1)."]
    assert flow.refresh().status == Application.Status.DRAFT


def test_applicant_cannot_enter_someone_elses_product():
    flow = Flow()
    stranger = factories.applicant()
    factories.verified_vendor_with_product(owner=stranger, photos=0)

    response = client_for(stranger).post(
        f"/programmes/{flow.programme.pk}/enter/", {"product": flow.product.pk}, follow=True
    )

    assert Application.objects.count() == 1
    assert any("Product" in m for m in shown_messages(response))


def test_applicant_withdraws_and_records_the_shipment():
    flow = Flow().submit().request_sample()
    client = client_for(flow.owner)

    page = client.get(f"/applications/{flow.pk}/").content.decode()
    assert "I have sent the sample" in page

    shipped = client.post(
        f"/applications/{flow.pk}/samples/{flow.sample.pk}/shipment/",
        {"courier": "JNE", "tracking_number": "JNE123", "shipped_on": "2099-01-01"},
        follow=True,
    )
    assert shown_messages(shipped) == ["The shipping date cannot be in the future."]
    assert Sample.objects.get().status == Sample.Status.REQUESTED

    today = timezone.localdate().isoformat()
    client.post(
        f"/applications/{flow.pk}/samples/{flow.sample.pk}/shipment/",
        {"courier": "JNE", "tracking_number": "JNE123", "shipped_on": today},
    )
    sample = Sample.objects.get()
    assert (sample.status, sample.courier, sample.tracking_number) == ("shipped", "JNE", "JNE123")

    withdrawn = client.post(f"/applications/{flow.pk}/withdraw/", {"reason": "Stok habis"})
    assert withdrawn.status_code == 302
    assert flow.refresh().status == Application.Status.WITHDRAWN


# ---------------------------------------------------------------------------------------------
# Staff: the queue, bulk screening and the application page


def test_bulk_action_shows_one_message_per_application():
    ready = Flow().submit()
    already = Flow().submit().request_sample()
    client = client_for(ready.officer)

    response = client.post(
        "/staff/applications/bulk/",
        {
            "applications": [ready.pk, already.pk],
            "action": "request_sample",
            "next": "/staff/applications/?status=",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/staff/applications/?status="
    shown = {m.level_tag: str(m) for m in response.context["messages"]}
    assert shown["success"] == f"{ready.refresh().reference} · {ready.product.name}: Done."
    assert shown["error"].startswith(f"{already.refresh().reference} · {already.product.name}: ")
    assert "not possible while the application is “Sample requested”" in shown["error"]
    assert ready.application.status == Application.Status.SAMPLE_REQUESTED


def test_bulk_return_needs_a_reason_and_changes_nothing_without():
    flow = Flow().submit()
    client = client_for(flow.officer)

    response = client.post(
        "/staff/applications/bulk/",
        {"applications": [flow.pk], "action": "return_for_changes", "reason": " "},
        follow=True,
    )

    assert shown_messages(response) == [
        "Reason for the applicants: Give a reason the applicants can act on."
    ]
    assert flow.refresh().status == Application.Status.SUBMITTED

    client.post(
        "/staff/applications/bulk/",
        {"applications": [flow.pk], "action": "return_for_changes", "reason": "Foto buram"},
    )
    assert flow.refresh().status == Application.Status.RETURNED
    page = client_for(flow.owner).get(f"/applications/{flow.pk}/").content.decode()
    assert "Foto buram" in page
    assert "Resubmit" in page


def test_screening_queue_filters():
    masks = Flow().submit()
    sanitizer_owner = factories.applicant()
    vendor, product = factories.verified_vendor_with_product(
        owner=sanitizer_owner, category="hand_sanitizer"
    )
    Vendor.objects.filter(pk=vendor.pk).update(legal_name="CV Bersih Sehat", trading_name="")
    other = services.create_application(
        vendor=vendor, product=product, programme=masks.programme, by=sanitizer_owner
    )
    services.submit_application(application=other, by=sanitizer_owner)
    client = client_for(masks.officer)

    def listed(query):
        response = client.get(f"/staff/applications/{query}")
        assert response.status_code == 200
        return [a.pk for a in response.context["page"].object_list]

    assert listed("") == [masks.pk, other.pk]
    assert listed("?category=hand_sanitizer") == [other.pk]
    assert listed("?q=bersih") == [other.pk]
    assert listed("?province=35") == []
    assert listed(f"?programme={masks.programme.pk}&province=32") == [masks.pk, other.pk]
    assert listed("?status=sample_requested") == []


def test_staff_requests_sample_assigns_and_takes_a_curator_off_through_the_page():
    flow = Flow().submit()
    client = client_for(flow.officer)

    client.post(
        f"/staff/applications/{flow.pk}/sample/",
        {"quantity": "3", "instructions": "Kirim ke Jakarta", "assessor": ""},
    )
    sample = Sample.objects.get()
    assert (sample.quantity_requested, sample.instructions) == (3, "Kirim ke Jakarta")
    assert flow.refresh().assessor == flow.programme.assessor

    page = client.get(f"/applications/{flow.pk}/")
    suggested = page.context["suggestions"]
    assert [c.pk for c in suggested] == [c.pk for c in flow.curators]
    first = flow.curators[0]
    assigned = client.post(f"/applications/{flow.pk}/assign/", {"curator": first.pk}, follow=True)
    assert shown_messages(assigned) == [f"{first} is assigned."]
    assignment = Assignment.objects.get()

    no_reason = client.post(
        f"/applications/{flow.pk}/assignments/{assignment.pk}/end/", {"reason": ""}, follow=True
    )
    assert shown_messages(no_reason) == ["Say why the curator is taken off."]

    client.post(f"/applications/{flow.pk}/assignments/{assignment.pk}/end/", {"reason": "Sakit"})
    assignment.refresh_from_db()
    assert (assignment.ended_at is not None, assignment.end_reason) == (True, "Sakit")


def test_refused_assignment_shows_the_reason():
    flow = Flow().submit()
    client = client_for(flow.officer)

    response = client.post(
        f"/applications/{flow.pk}/assign/", {"curator": flow.curators[0].pk}, follow=True
    )

    assert shown_messages(response) == [
        "Curators are assigned while a sample is requested or in curation (now “Submitted”)."
    ]
    assert not Assignment.objects.exists()


def test_lead_assigns_from_the_assessor_page():
    flow = Flow().submit().request_sample()
    client = client_for(flow.lead)

    page = client.get("/assessor/")
    row = page.context["rows"][0]
    assert [c.pk for c in row["suggestions"]] == [c.pk for c in flow.curators]

    response = client.post(
        f"/applications/{flow.pk}/assign/",
        {"curator": flow.curators[1].pk, "next": "/assessor/"},
    )

    assert response["Location"] == "/assessor/"
    assert Assignment.objects.get().curator == flow.curators[1]
    row = client.get("/assessor/").context["rows"][0]
    assert [c.pk for c in row["suggestions"]] == [flow.curators[0].pk]


# ---------------------------------------------------------------------------------------------
# Curator: blind until declared, sample receipt, scoring


def test_curator_sees_vendor_only_after_declaring_no_conflict():
    flow = Flow().submit().request_sample().assign()
    curator = flow.curators[0].user
    client = client_for(curator)
    name = escape(flow.vendor.display_name)

    workspace = client.get("/curator/").content.decode()
    page = client.get(f"/curator/applications/{flow.pk}/").content.decode()
    assert escape(flow.product.name) in workspace
    assert name not in workspace and name not in page
    assert "Declare no conflict" in page

    refused = client.post(f"/curator/applications/{flow.pk}/no-conflict/", {}, follow=True)
    assert shown_messages(refused) == ["Tick the statement to declare that you have no conflict."]

    client.post(f"/curator/applications/{flow.pk}/no-conflict/", {"confirm": "on"})

    assert name in client.get("/curator/").content.decode()
    assert name in client.get(f"/curator/applications/{flow.pk}/").content.decode()


def test_curator_declares_a_conflict_and_loses_the_application():
    flow = Flow().submit().request_sample().assign()
    client = client_for(flow.curators[0].user)

    response = client.post(
        f"/curator/applications/{flow.pk}/conflict/", {"reason": "Saudara pemilik"}
    )

    assert response["Location"] == "/curator/"
    assert Assignment.objects.get(pk=flow.assignments[0].pk).end_reason == "COI: Saudara pemilik"
    assert client.get(f"/curator/applications/{flow.pk}/").status_code == 404


def test_curator_records_sample_receipt_through_the_page():
    flow = Flow().submit().request_sample().assign()
    client = client_for(flow.curators[0].user)

    assert (
        "Record sample receipt" in client.get(f"/curator/applications/{flow.pk}/").content.decode()
    )
    client.post(
        f"/applications/{flow.pk}/samples/{flow.sample.pk}/receipt/",
        {"quantity_received": "5", "condition": "damaged", "notes": "Kemasan sobek"},
    )

    sample = Sample.objects.get()
    assert (sample.status, sample.quantity_received, sample.condition_on_arrival) == (
        "received",
        5,
        "damaged",
    )
    assert flow.refresh().status == Application.Status.IN_CURATION


def test_scoring_form_is_accessible_radio_groups():
    flow = Flow().in_curation()

    page = client_for(flow.curators[0].user).get(f"/curator/applications/{flow.pk}/")

    content = page.content.decode()
    criteria = criteria_of(flow.application)
    assert content.count('<fieldset class="criterion"') == len(criteria)
    first = criteria[0]
    assert f"<legend>1. {escape(first.name)}</legend>" in content
    for value in range(first.scale_max + 1):
        assert f'type="radio" name="score_{first.pk}" value="{value}"' in content
        assert f'for="id_score_{first.pk}_{value}"' in content
    assert f'<textarea name="note_{first.pk}"' in content


def test_bad_score_redisplays_the_form_with_the_users_values_and_saves_nothing():
    flow = Flow().in_curation()
    client = client_for(flow.curators[0].user)
    first, second, *_rest = criteria_of(flow.application)
    data = {
        "action": "save",
        f"score_{first.pk}": "3",
        f"note_{first.pk}": "Jahitan rapi",
        f"score_{second.pk}": str(second.scale_max + 4),
        f"note_{second.pk}": "Nilai salah ketik",
    }

    response = client.post(f"/curator/applications/{flow.pk}/", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Please correct the errors below. Nothing was saved yet." in content
    assert f"Choose a score from 0 to {second.scale_max}." in content
    assert f'value="3" id="id_score_{first.pk}_3" checked>' in content
    assert f'name="score_{second.pk}" value="{second.scale_max}" id=' in content
    assert "Jahitan rapi" in content and "Nilai salah ketik" in content
    assert not Score.objects.exists()


def test_draft_then_submit_through_the_page_then_read_only_with_other_scores():
    flow = Flow().in_curation()
    criteria = criteria_of(flow.application)
    one = client_for(flow.curators[0].user)
    two = client_for(flow.curators[1].user)

    partial = {"action": "save", f"score_{criteria[0].pk}": "4", f"note_{criteria[0].pk}": "Baik"}
    saved = one.post(f"/curator/applications/{flow.pk}/", partial, follow=True)
    assert shown_messages(saved) == ["Draft saved. Only you can see it until you submit."]
    assert 'value="4"' in saved.content.decode()
    assert Score.objects.count() == 1

    incomplete = one.post(f"/curator/applications/{flow.pk}/", {"action": "submit"})
    assert incomplete.status_code == 200
    assert "Score every criterion before submitting" in incomplete.content.decode()
    assert Assignment.objects.get(pk=flow.assignments[0].pk).submitted_at is None

    complete = {"action": "submit"}
    for c in criteria:
        complete[f"score_{c.pk}"] = "4"
        complete[f"note_{c.pk}"] = f"catatan {c.pk}"
    done = one.post(f"/curator/applications/{flow.pk}/", complete, follow=True)
    assert shown_messages(done) == ["Scores submitted. Thank you."]
    assert done.context["form"] is None
    assert done.context["sheets"]["columns"] == ["You"]

    # Curator two has not submitted: their page shows nothing of curator one's scores.
    page_two = two.get(f"/curator/applications/{flow.pk}/")
    assert "sheets" not in page_two.context or page_two.context.get("sheets") is None
    assert f"catatan {criteria[0].pk}" not in page_two.content.decode()

    for c in criteria:
        complete[f"score_{c.pk}"] = "3"
    two.post(f"/curator/applications/{flow.pk}/", complete)

    after = one.get(f"/curator/applications/{flow.pk}/")
    assert after.context["sheets"]["columns"] == ["You", "Curator 2"]
    assert after.context["decision"]["outcome"] == "passed"
    assert "Curation result" in after.content.decode()
    assert flow.refresh().status == Application.Status.PASSED


def test_applicant_sees_scores_and_reasons_only_after_release():
    flow = Flow().in_curation().score(0, 2).score(1, 2)
    assert flow.application.status == Application.Status.CURATION_FAILED
    owner = client_for(flow.owner)
    officer = client_for(flow.officer)

    before = owner.get(f"/applications/{flow.pk}/")
    assert before.context["decision"] is None and before.context["sheets"] is None
    assert "Your product did not pass curation." in before.content.decode()
    assert "Curation result" not in before.content.decode()

    staff_page = officer.get(f"/applications/{flow.pk}/")
    assert "is below the pass mark of 70.0%" in staff_page.content.decode()
    assert [c["label"] for c in staff_page.context["decision"]["curators"]] == [
        "Curator 1 · Dewi Kurator",
        "Curator 2 · Agus Kurator",
    ]
    officer.post(f"/staff/applications/{flow.pk}/release_result/")

    after = owner.get(f"/applications/{flow.pk}/")
    content = after.content.decode()
    assert "Curation result" in content
    assert "The weighted mean of 40.0% is below the pass mark of 70.0%." in content
    assert after.context["sheets"]["columns"] == ["Curator 1", "Curator 2"]
    assert "Dewi Kurator" not in content and "Agus Kurator" not in content


# ---------------------------------------------------------------------------------------------
# Photos for curators


def test_assigned_curator_sees_only_the_frozen_photos_of_the_application():
    flow = Flow().submit().request_sample().assign()
    photo_ids = flow.application.specification["photo_ids"]
    late = add_product_photos(
        product=flow.product,
        by=flow.owner,
        uploads=[factories.upload(factories.image_bytes(size=(64, 48)))],
    )[0]
    curator = client_for(flow.curators[0].user)
    base = f"/curator/applications/{flow.pk}/photos"

    response = curator.get(f"{base}/{photo_ids[0]}/thumb/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert factories.read_streamed(response)[:2] == b"\xff\xd8"
    assert curator.get(f"{base}/{photo_ids[0]}/original/").status_code == 404
    assert curator.get(f"{base}/{late.pk}/thumb/").status_code == 404
    assert curator.get(f"/files/photos/{photo_ids[0]}/thumb/").status_code == 404

    page = curator.get(f"/curator/applications/{flow.pk}/").content.decode()
    for photo_id in photo_ids:
        assert f"{base}/{photo_id}/thumb/" in page

    outsider = factories.assessor(curators=1).curators.get().user
    assert client_for(outsider).get(f"{base}/{photo_ids[0]}/thumb/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Query budgets: constant whatever the number of rows


def add_applications(
    count: int, *, programme, status: str, curator: Curator | None = None
) -> list[Application]:
    regency = Regency.objects.select_related("province").get(code="3273")
    start = Vendor.objects.count()
    vendors = Vendor.objects.bulk_create(
        Vendor(
            legal_name=f"CV Massal {start + i:03d}",
            province=regency.province,
            regency=regency,
            status=Vendor.Status.VERIFIED,
        )
        for i in range(count)
    )
    products = Product.objects.bulk_create(
        Product(
            vendor=vendor,
            category="cloth_mask",
            name=f"Masker {vendor.legal_name}",
            description="Katun",
            layers=3,
            capacity_per_month=100,
            indicative_price=11000,
        )
        for vendor in vendors
    )
    creator = factories.UserFactory()
    applications = Application.objects.bulk_create(
        Application(
            programme=programme,
            vendor=vendor,
            product=product,
            status=status,
            assessor=programme.assessor,
            created_by=creator,
            submitted_at=timezone.now(),
        )
        for vendor, product in zip(vendors, products, strict=True)
    )
    Sample.objects.bulk_create(
        Sample(application=application, status=Sample.Status.RECEIVED)
        for application in applications
    )
    if curator is not None:
        assignments = Assignment.objects.bulk_create(
            Assignment(
                application=application,
                curator=curator,
                assigned_by=creator,
                no_conflict_declared_at=timezone.now() if i % 2 else None,
            )
            for i, application in enumerate(applications)
        )
        criterion = criteria_of(applications[0])[0]
        Score.objects.bulk_create(
            Score(assignment=assignment, criterion=criterion, value=3)
            for assignment in assignments[::3]
        )
    return applications


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_curator_workspace_query_count_does_not_grow(capsys):
    programme = factories.programme()
    curator = programme.assessor.curators.select_related("user").first()
    client = client_for(curator.user)
    add_applications(10, programme=programme, status="in_curation", curator=curator)
    client.get("/curator/")

    at_10, response = count_queries(client, "/curator/")
    assert len(response.context["rows"]) == 10
    add_applications(490, programme=programme, status="in_curation", curator=curator)
    at_500, response = count_queries(client, "/curator/")

    rows = response.context["rows"]
    assert len(rows) == 25
    assert response.context["counts"] == {"to_do": 500, "finished": 0}
    # Blind until declared: every other assignment has its declaration.
    assert [row["show_identity"] for row in rows] == [
        row["assignment"].no_conflict_declared_at is not None for row in rows
    ]
    assert 0 < sum(row["show_identity"] for row in rows) < 25
    assert rows[0]["assignment"].criteria_total == len(criteria_of(rows[0]["application"]))
    assert at_10 == at_500, f"/curator/: {at_10} queries at 10 assignments, {at_500} at 500"
    with capsys.disabled():
        print(f"\n/curator/ queries: {at_10} at 10 assignments, {at_500} at 500")


def workspace_references(response) -> list[str]:
    return [row["application"].reference for row in response.context["rows"]]


def test_curator_workspace_lists_the_work_to_do_and_keeps_the_finished_on_their_own_tab():
    programme = factories.programme()
    curator = programme.assessor.curators.select_related("user").first()
    to_score, submitted = add_applications(
        2, programme=programme, status="in_curation", curator=curator
    )
    Assignment.objects.filter(application=submitted).update(submitted_at=timezone.now())
    (decided,) = add_applications(1, programme=programme, status="passed", curator=curator)
    (withdrawn,) = add_applications(1, programme=programme, status="withdrawn", curator=curator)
    client = client_for(curator.user)

    to_do = client.get("/curator/")
    finished = client.get("/curator/?show=finished")

    assert workspace_references(to_do) == [to_score.reference]
    assert workspace_references(finished) == [submitted.reference, decided.reference]
    html = to_do.content.decode()
    assert "To do (1)" in html and "Finished (2)" in html
    assert '<a href="?show=to_do" aria-current="page">' in html
    assert '<a href="?show=finished" aria-current="page">' in finished.content.decode()
    assert withdrawn.reference not in html + finished.content.decode()


def test_curator_workspace_pages_25_assignments_at_a_time_on_each_tab():
    programme = factories.programme()
    curator = programme.assessor.curators.select_related("user").first()
    to_score = add_applications(30, programme=programme, status="in_curation", curator=curator)
    decided = add_applications(27, programme=programme, status="passed", curator=curator)
    client = client_for(curator.user)

    first = client.get("/curator/")
    second = client.get("/curator/?page=2")
    finished = client.get("/curator/?show=finished&page=2")

    # The longest assigned first, and nothing lost between the pages.
    assert workspace_references(first) + workspace_references(second) == [
        a.reference for a in to_score
    ]
    assert "Page 1 of 2" in first.content.decode()
    assert "page=2" in first.content.decode()
    assert finished.context["page"].number == 2
    assert len(workspace_references(finished)) == 2
    assert 'href="?show=finished&amp;page=1"' in finished.content.decode()
    assert {r for r in workspace_references(finished)} <= {a.reference for a in decided}


def test_finished_assignments_stay_blind_until_the_declaration():
    programme = factories.programme()
    curator = programme.assessor.curators.select_related("user").first()
    # add_applications declares no conflict on every other assignment, from the second.
    blind, declared = add_applications(2, programme=programme, status="passed", curator=curator)

    html = client_for(curator.user).get("/curator/?show=finished").content.decode()

    # Product names carry the vendor's name in these rows: look at the vendor line only.
    assert f"Vendor: {escape(declared.vendor.display_name)}" in html
    assert f"Vendor: {escape(blind.vendor.display_name)}" not in html
    assert blind.reference in html
    assert "Vendor shown after you declare no conflict of interest." in html


def test_screening_queue_shows_the_active_curators_and_counts_without_grouping():
    flow = Flow().submit().request_sample().assign()
    other = Flow().submit()
    ended = flow.assignments[0]
    Assignment.objects.filter(pk=ended.pk).update(ended_at=timezone.now())
    client = client_for(flow.officer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/staff/applications/?status=")

    curators = {
        row["application"].pk: row["application"].active_curators
        for row in response.context["rows"]
    }
    assert curators == {flow.pk: len(flow.assignments) - 1, other.pk: 0}
    # The paginator counts applications alone: no grouping of every row by its assignments.
    (count,) = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(*)" in q["sql"] and "curation_application" in q["sql"]
    ]
    assert "GROUP BY" not in count and "curation_assignment" not in count


def test_screening_queue_query_count_does_not_grow(capsys):
    programme = factories.programme()
    client = client_for(factories.staff())
    add_applications(10, programme=programme, status="submitted")
    client.get("/staff/applications/")

    at_10, response = count_queries(client, "/staff/applications/?page=1")
    assert len(response.context["page"].object_list) == 10
    add_applications(490, programme=programme, status="submitted")
    at_500, response = count_queries(client, "/staff/applications/?page=1")

    assert response.context["page"].paginator.count == 500
    assert at_10 == at_500, f"/staff/applications/: {at_10} queries at 10, {at_500} at 500"
    with capsys.disabled():
        print(f"\n/staff/applications/ queries: {at_10} at 10 applications, {at_500} at 500")
