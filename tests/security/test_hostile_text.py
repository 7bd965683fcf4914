"""Hostile text in every form a person can submit, and in the query strings of the public and
staff lists: ten thousand characters, emoji and zero-width characters, right-to-left overrides,
script and attribute injection, SQL-looking text and NUL bytes (which PostgreSQL refuses in text).

For each form, every text field gets every payload (tests/security/hostile.py). Whatever
happens, the answer is not a 500; either the form says what is wrong and nothing is stored, or
the text is stored exactly as typed (Django strips the ends) and every page that shows it shows it
escaped. One test per form (or group of forms on one page), its payloads tried in turn, each in a
savepoint that is rolled back, so that every attempt starts from the same state.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from audit.models import TransitionLog
from catalogue.models import Listing
from certification import services as certification_services
from certification.models import ChecklistItem, InfoRequest, PermitDocument
from curation.models import Assignment, Sample
from regions.models import Regency
from tests import factories
from tests.catalogue.helpers import live_listing
from tests.certification import permit_builders
from tests.curation import builders
from tests.security.hostile import PAYLOADS, client_for, unescaped_markup
from vendors import services as vendor_services
from vendors.models import Product, Vendor

pytestmark = pytest.mark.django_db

NOT_STORED = object()
MARKUP_PAYLOADS = (PAYLOADS["script"], PAYLOADS["attribute"])
CHOICE_PAYLOADS = ("long", "attribute", "nul")


@dataclass
class Form:
    """One form as its user submits it: a valid submission, and for each text field how to read
    back what was stored from it (NOT_STORED while nothing was)."""

    client: Client
    url: str
    data: dict
    fields: dict[str, Callable[[], object]]
    shown_at: list[str] = field(default_factory=list)
    method: str = "post"
    # Choice, number and date fields: the payloads that can hurt one (echoed in the error,
    # NUL to the database, oversize) are enough; the others only cost time.
    choices: tuple[str, ...] = ()


def note_of(obj, transition: str) -> Callable[[], object]:
    """The note of the latest ``transition`` of ``obj`` in the audit log."""

    def read():
        entry = (
            TransitionLog.objects.filter(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                transition=transition,
            )
            .order_by("-sequence")
            .first()
        )
        return NOT_STORED if entry is None else entry.note

    return read


def column(model, pk, name: str, *, strip_prefix: str = "") -> Callable[[], object]:
    def read():
        value = model.objects.filter(pk=pk).values_list(name, flat=True).first()
        if isinstance(value, str) and strip_prefix and value.startswith(strip_prefix):
            return value[len(strip_prefix) :]
        return value

    return read


def attack(form: Form) -> list[str]:
    """Every payload into every field; the list of what went wrong (empty when nothing did)."""
    problems = []
    for name, read in form.fields.items():
        for label, payload in PAYLOADS.items():
            if name in form.choices and label not in CHOICE_PAYLOADS:
                continue
            where = f"{name} ← {label}"
            try:
                with transaction.atomic():
                    problems += [f"{where}: {p}" for p in _attempt(form, name, read, payload)]
                    transaction.set_rollback(True)
            except Exception as error:  # what a user would have met as a 500
                problems.append(f"{where}: server error {type(error).__name__}: {error}")
    return problems


def _attempt(form: Form, name: str, read, payload: str) -> list[str]:
    problems = []
    before = read()
    data = {**form.data, name: payload}
    send = form.client.get if form.method == "get" else form.client.post
    response = send(form.url, data, follow=True)
    html = response.content.decode(errors="replace")
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    problems += [f"unescaped {markup!r} on the answer page" for markup in unescaped_markup(html)]
    after = read()
    if after == before:
        if form.method == "post" and not _shows_refusal(response, html):
            problems.append("refused without saying why")
    elif after == payload.strip():
        if payload in MARKUP_PAYLOADS and form.shown_at:
            pages = [form.client.get(url).content.decode(errors="replace") for url in form.shown_at]
            for url, shown in zip(form.shown_at, pages, strict=True):
                problems += [f"unescaped {m!r} on {url}" for m in unescaped_markup(shown)]
            # Shown escaped somewhere: the pages listed really display this field.
            if not any(escape(payload) in shown for shown in pages):
                problems.append(f"stored text shown on none of {form.shown_at}")
    else:
        problems.append(f"stored altered: {str(after)[:80]!r}")
    return problems


def _shows_refusal(response, html: str) -> bool:
    return (
        response.status_code == 400
        or 'class="error"' in html
        or "message error" in html
        or 'role="alert"' in html
    )


def check(form: Form) -> None:
    problems = attack(form)
    assert not problems, "\n".join(problems)


# --- anonymous ------------------------------------------------------------------------------


def test_signup_form_survives_hostile_text():
    def full_name():
        user = User.objects.filter(email="baru@example.test").first()
        return NOT_STORED if user is None else f"{user.first_name} {user.last_name}".strip()

    # A fresh client per attempt would be needed after a successful signup logs in; the
    # savepoint rolls the account back, and the logged-in session with it.
    check(
        Form(
            client_for(),
            reverse("accounts:signup"),
            {
                "full_name": "Siti Rahayu",
                "email": "baru@example.test",
                "password1": factories.PASSWORD,
                "password2": factories.PASSWORD,
                "language": "id",
            },
            {"full_name": full_name, "email": full_name, "language": full_name},
            choices=("language",),
        )
    )


def test_login_and_password_reset_forms_survive_hostile_text():
    factories.applicant(username="siti", email="siti@example.test")
    nobody = lambda: NOT_STORED  # noqa: E731 — nothing typed here is ever stored
    check(
        Form(
            client_for(),
            reverse("accounts:login"),
            {"username": "siti", "password": "wrong-password"},
            {"username": nobody, "password": nobody},
        )
    )
    check(
        Form(
            client_for(),
            reverse("accounts:password_reset"),
            {"email": "siti@example.test"},
            {"email": nobody},
        )
    )


def test_catalogue_search_and_feed_query_strings_survive_hostile_text():
    live_listing()
    nobody = lambda: NOT_STORED  # noqa: E731
    check(
        Form(
            client_for(),
            reverse("catalogue:search"),
            {"q": "masker"},
            {
                name: nobody
                for name in (
                    "q",
                    "category",
                    "province",
                    "price_min",
                    "price_max",
                    "capacity_min",
                    "sort",
                    "page",
                )
            },
            method="get",
            choices=("category", "province", "price_min", "price_max", "capacity_min", "sort"),
        )
    )
    check(
        Form(
            client_for(),
            reverse("catalogue:feed"),
            {},
            {name: nobody for name in ("updated_since", "cursor", "limit")},
            method="get",
            choices=("limit",),
        )
    )


def test_certificate_verification_survives_hostile_numbers_in_form_and_path():
    nobody = lambda: NOT_STORED  # noqa: E731
    client = client_for()
    check(
        Form(client, reverse("certification:verify_lookup"), {}, {"number": nobody}, method="get")
    )
    for label, payload in PAYLOADS.items():
        response = client.get(f"/verify/{quote(payload, safe='')}/")
        assert response.status_code in (404, 400), label
        assert not unescaped_markup(response.content.decode()), label


def test_language_switch_survives_hostile_language_and_next():
    client = client_for()
    for label, payload in PAYLOADS.items():
        response = client.post(reverse("set_language"), {"language": payload, "next": payload})
        assert response.status_code in (302, 400), label
        # Never sent elsewhere: "next" is followed only within Kurasi.
        assert not response.get("Location", "/").startswith(("//", "http")), label


# --- applicant ------------------------------------------------------------------------------


def _vendor_form_data() -> dict:
    values = factories.complete_vendor_fields()
    regency = Regency.objects.get(code="3273")
    values.update(
        province=regency.province_id,
        regency=regency.pk,
        nib="9120001234561",
        is_cooperative_member="on",
        cooperative_name="Koperasi Maju",
    )
    values.pop("business_scale")
    return values


def test_vendor_form_survives_hostile_text():
    owner = factories.applicant()
    vendor = factories.vendor(owner=owner)
    texts = (
        "legal_name",
        "trading_name",
        "owner_name",
        "address",
        "cooperative_name",
        "nib",
        "npwp",
        "owner_nik",
        "phone",
        "email",
        "postal_code",
    )
    check(
        Form(
            client_for(owner),
            reverse("vendors:edit", args=[vendor.pk]),
            _vendor_form_data(),
            {name: column(Vendor, vendor.pk, name) for name in texts},
            [reverse("vendors:detail", args=[vendor.pk])],
        )
    )


def test_new_vendor_form_stores_nothing_when_text_is_refused():
    owner = factories.applicant()
    client = client_for(owner)
    for label in ("long", "nul"):
        response = client.post(
            reverse("vendors:create"), {**_vendor_form_data(), "legal_name": PAYLOADS[label]}
        )
        assert response.status_code == 200, label
        assert not Vendor.objects.exists(), label


def test_product_form_survives_hostile_text():
    owner = factories.applicant()
    vendor = factories.vendor(owner=owner)
    item = factories.product(vendor=vendor)
    texts = ("name", "description", "material", "standard_reference", "size", "unit", "category")
    check(
        Form(
            client_for(owner),
            reverse("vendors:product_edit", args=[vendor.pk, item.pk]),
            {
                "category": "cloth_mask",
                "name": "Masker kain 3 lapis",
                "description": "Katun tiga lapis",
                "layers": 3,
                "unit": "pcs",
                "capacity_per_month": 1000,
                "indicative_price": 11000,
            },
            {name: column(Product, item.pk, name) for name in texts},
            [
                reverse("vendors:detail", args=[vendor.pk]),
                reverse("vendors:product_photos", args=[item.pk]),
                reverse("vendors:product_edit", args=[vendor.pk, item.pk]),
            ],
            choices=("unit", "category"),
        )
    )


def test_sample_shipment_form_survives_hostile_text():
    case = builders.sample_requested()
    sample = case.sample
    check(
        Form(
            client_for(case.owner),
            reverse("curation:sample_ship", args=[case.application.pk, sample.pk]),
            {"courier": "JNE", "tracking_number": "JNE123", "shipped_on": ""},
            {
                "courier": column(Sample, sample.pk, "courier"),
                "tracking_number": column(Sample, sample.pk, "tracking_number"),
            },
            [reverse("curation:detail", args=[case.application.pk])],
        )
    )


def test_withdrawal_reason_survives_hostile_text():
    case = builders.draft()
    check(
        Form(
            client_for(case.owner),
            reverse("curation:withdraw", args=[case.application.pk]),
            {"reason": "Tidak jadi."},
            {"reason": note_of(case.application, "withdraw")},
            [reverse("curation:detail", args=[case.application.pk])],
        )
    )


def test_answer_to_an_information_request_survives_hostile_text():
    permit = permit_builders.info_requested()
    request = InfoRequest.objects.get(case=permit.case)
    check(
        Form(
            client_for(permit.owner),
            reverse("certification:info_answer", args=[permit.case.pk, request.pk]),
            {"response": "Terlampir."},
            {"response": column(InfoRequest, request.pk, "response")},
            [reverse("certification:case", args=[permit.case.pk])],
        )
    )


def test_listing_terms_form_survives_hostile_text():
    live = live_listing()
    listing = live.listing
    check(
        Form(
            client_for(live.case.owner),
            reverse("catalogue:listing_edit", args=[listing.pk]),
            {
                "price": 11000,
                "minimum_order": 10,
                "capacity_per_month": 1000,
                "business_phone": "",
                "business_email": "",
            },
            {
                name: column(Listing, listing.pk, name)
                for name in ("business_phone", "business_email", "price", "minimum_order")
            },
            [reverse("catalogue:detail", args=[listing.pk])],
            choices=("price", "minimum_order"),
        )
    )


# --- ministry staff -------------------------------------------------------------------------


def test_vendor_review_reasons_survive_hostile_text():
    owner = factories.applicant()
    vendor = vendor_services.submit_vendor(
        vendor=factories.vendor_ready_to_submit(owner=owner), by=owner
    )
    officer = factories.staff()
    for action in ("return_for_changes", "reject", "verify"):
        check(
            Form(
                client_for(officer),
                reverse("vendors:review", args=[vendor.pk, action]),
                {"reason": "Foto KTP tidak terbaca."},
                {"reason": note_of(vendor, action)},
                [reverse("vendors:detail", args=[vendor.pk])],
            )
        )


def test_screening_reasons_survive_hostile_text():
    case = builders.submitted()
    client = client_for(case.officer)
    for action in ("return_for_changes", "reject"):
        check(
            Form(
                client,
                reverse("curation:screen", args=[case.application.pk, action]),
                {"reason": "Foto label kurang jelas."},
                {"reason": note_of(case.application, action)},
                [reverse("curation:detail", args=[case.application.pk])],
            )
        )
    check(
        Form(
            client,
            reverse("curation:screening_bulk"),
            {
                "applications": [case.application.pk],
                "action": "return_for_changes",
                "reason": "Lengkapi foto.",
            },
            {"reason": note_of(case.application, "return_for_changes")},
            [reverse("curation:detail", args=[case.application.pk])],
        )
    )
    check(
        Form(
            client,
            reverse("curation:request_sample", args=[case.application.pk]),
            {"quantity": 5, "instructions": "Kirim ke Jakarta.", "assessor": ""},
            {"instructions": lambda: _sample_instructions(case.application)},
            [reverse("curation:detail", args=[case.application.pk])],
        )
    )


def _sample_instructions(application):
    sample = Sample.objects.filter(application=application).order_by("-pk").first()
    return NOT_STORED if sample is None else sample.instructions


def test_staff_queue_filters_survive_hostile_query_strings():
    builders.submitted()
    officer = factories.staff()
    client = client_for(officer)
    nobody = lambda: NOT_STORED  # noqa: E731
    queues = {
        reverse("vendors:review_queue"): ("q", "status", "province", "business_scale", "page"),
        reverse("curation:screening_queue"): (
            "q",
            "status",
            "programme",
            "province",
            "category",
            "sort",
            "page",
        ),
        reverse("certification:board"): ("q", "status", "kind", "page"),
        reverse("certification:certificates"): ("q", "status", "programme", "page"),
    }
    for url, names in queues.items():
        fields = {name: nobody for name in names}
        check(Form(client, url, {}, fields, method="get", choices=tuple(set(names) - {"q"})))


def test_assignment_reasons_survive_hostile_text():
    case = builders.sample_requested()
    assignment = case.assignments[0]
    spare = builders.extra_curator(case.programme.assessor)
    client = client_for(case.officer)
    check(
        Form(
            client,
            reverse("curation:assignment_end", args=[case.application.pk, assignment.pk]),
            {"reason": "Sakit."},
            {"reason": column(Assignment, assignment.pk, "end_reason")},
            [reverse("curation:detail", args=[case.application.pk])],
        )
    )
    check(
        Form(
            client,
            reverse("curation:assignment_reassign", args=[case.application.pk, assignment.pk]),
            {"curator": spare.pk, "reason": "Cuti."},
            {"reason": column(Assignment, assignment.pk, "end_reason")},
            [reverse("curation:detail", args=[case.application.pk])],
        )
    )


def test_permit_case_steps_survive_hostile_text():
    permit = permit_builders.documents_verified()
    case = permit.case
    client = client_for(permit.officer)
    page = [reverse("certification:case", args=[case.pk])]
    today = timezone.localdate()
    check(
        Form(
            client,
            reverse("certification:case_action", args=[case.pk, "submit"]),
            {"reference": "KMK-2026-1", "submitted_on": ""},
            {"reference": note_of(case, "submit")},
            page,
        )
    )
    certification_services.submit_permit_case(case=case, by=permit.officer, reference="KMK-1")
    case = certification_services.start_permit_review(case=case, by=permit.officer)
    check(
        Form(
            client,
            reverse("certification:case_action", args=[case.pk, "request_info"]),
            {"message": "Lampirkan uji BFE.", "due_on": today + datetime.timedelta(days=14)},
            {"message": note_of(case, "request_info")},
            page,
        )
    )
    check(
        Form(
            client,
            reverse("certification:case_action", args=[case.pk, "issue"]),
            {
                "permit_number": permit_builders.permit_number(case.kind),
                "issued_on": today,
                "valid_until": today + datetime.timedelta(days=365),
            },
            {"permit_number": column(type(case), case.pk, "permit_number")},
            page,
        )
    )
    check(
        Form(
            client,
            reverse("certification:case_action", args=[case.pk, "refuse"]),
            {"reason": "Uji tidak memenuhi."},
            {"reason": note_of(case, "refuse")},
            page,
        )
    )


def test_document_rejection_reason_survives_hostile_text():
    permit = permit_builders.opened()
    item = ChecklistItem.objects.filter(kind=permit.case.kind).order_by("position").first()
    document = certification_services.upload_document(
        case=permit.case, item=item, by=permit.owner, upload=permit_builders.pdf_upload()
    )
    check(
        Form(
            client_for(permit.officer),
            reverse("certification:document_review", args=[document.pk, "reject"]),
            {"reason": "Tidak terbaca."},
            {"reason": column(PermitDocument, document.pk, "rejection_reason")},
            [reverse("certification:case", args=[permit.case.pk])],
        )
    )


# --- curators -------------------------------------------------------------------------------


def test_curator_forms_survive_hostile_text():
    case = builders.sample_requested()
    assignment = case.assignments[0]
    curator = assignment.curator.user
    client = client_for(curator)
    page = [reverse("curation:curator_application", args=[case.application.pk])]
    check(
        Form(
            client,
            reverse("curation:sample_receive", args=[case.application.pk, case.sample.pk]),
            {"quantity_received": 5, "condition": "good", "notes": "Kemasan baik."},
            {"notes": column(Sample, case.sample.pk, "notes")},
            page,
        )
    )
    check(
        Form(
            client,
            reverse("curation:conflict", args=[case.application.pk]),
            {"reason": "Saudara pemilik."},
            {"reason": column(Assignment, assignment.pk, "end_reason", strip_prefix="COI: ")},
        )
    )


def test_score_sheet_notes_survive_hostile_text():
    case = builders.in_curation()
    assignment = case.assignments[0]
    criteria = list(case.rubric.criteria.order_by("position", "pk"))
    first = criteria[0]
    data = {"action": "save"}
    for criterion in criteria:
        data[f"score_{criterion.pk}"] = "4"
        data[f"note_{criterion.pk}"] = "Baik."

    def note():
        score = assignment.scores.filter(criterion=first).first()
        return NOT_STORED if score is None else score.note

    check(
        Form(
            client_for(assignment.curator.user),
            reverse("curation:curator_application", args=[case.application.pk]),
            data,
            {f"note_{first.pk}": note, f"score_{first.pk}": lambda: NOT_STORED},
            [reverse("curation:curator_application", args=[case.application.pk])],
            choices=(f"score_{first.pk}",),
        )
    )


# --- approvers ------------------------------------------------------------------------------


def test_approval_note_and_rejection_reason_survive_hostile_text():
    case = builders.awaiting_approval()
    client = client_for(factories.approver())
    page = [reverse("certification:approval", args=[case.application.pk])]
    check(
        Form(
            client,
            reverse("certification:approve", args=[case.application.pk]),
            {"note": "Layak."},
            {"note": note_of(case.application, "approve")},
            page,
        )
    )
    check(
        Form(
            client,
            reverse("certification:reject", args=[case.application.pk]),
            {"reason": "Tidak layak."},
            {"reason": note_of(case.application, "reject")},
            page,
        )
    )


def test_certificate_suspension_reason_survives_hostile_text():
    certificate = permit_builders.certified()
    approver = factories.approver()
    check(
        Form(
            client_for(approver),
            reverse("certification:certificate_action", args=[certificate.pk, "suspend"]),
            {"reason": "Keluhan pembeli."},
            {"reason": note_of(certificate, "suspend")},
            # The reason is kept in the audit log (read in the admin), shown on no page.
            [],
        )
    )
