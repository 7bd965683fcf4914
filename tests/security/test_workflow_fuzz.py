"""Workflow fuzzing: random people press random buttons, and the workflow's promises must hold.

A Hypothesis state machine drives the services of every stage (vendors, curation,
certification, catalogue) — never the models — with a random actor (the owning applicant,
another applicant, an assigned or unassigned curator, a curator of another assessor, the
assessor's lead, staff, an approver, or an officer holding both roles, which is where the
four-eyes rule bites) on a random target. A refusal (``TransitionRefused``, ``PermissionDenied``,
``ValidationError``) is an expected answer; any other exception is a bug. After every step:

1. every status is one the state graph can reach;
2. every state change left exactly one TransitionLog row, naming the caller (or the system user
   for what is computed from scores) and the right from/to states;
3. the audit hash chain verifies (``audit.verification.verify_chain``, behind ``verify_audit``);
4. a listing is live exactly while its certificate is active, and delisted rows stay;
5. a refused action changed nothing: states, log, history and row counts, stored files;
6. a curator sees no other curator's scores (nor the decision) before submitting their own,
   and the applicant sees none before the result is released (``curation.selectors``).

Every example starts from the same small world (built once per test, with applications already
in every interesting state so that short runs reach deep transitions) inside a savepoint that is
rolled back when the example ends. ``transaction.on_commit`` callbacks (file clean-up) never
run: the outer test transaction never commits and they are discarded with the savepoint.
Notification tasks are queued to a dummy backend, not run; no invariant depends on them. A
refused step is proven (5.) to have changed nothing, so the other invariants are re-checked only
after steps that changed something.

Approving or rejecting at approval is also checked against DESIGN's four-eyes rule, read from
the log: never by the officer who screened the application or checked its permit documents.

With ``CI=true`` the run uses the ``kurasi-ci`` profile (1,000 examples of 4 steps, no example
database); locally ``kurasi-dev`` (100 examples of 8 steps). The test prints how many examples,
service calls, refusals and logged transitions it ran.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.system import system_user
from audit.models import ChainHead, TransitionLog
from audit.verification import verify_chain
from audit.workflow import TransitionRefused
from catalogue import services as catalogue
from catalogue.models import Listing, ListingPhoto
from certification import services as certification
from certification.models import (
    Certificate,
    ChecklistItem,
    InfoRequest,
    PermitCase,
    PermitDocument,
)
from curation import permissions as curation_permissions
from curation import selectors as curation_selectors
from curation import services as curation
from curation.models import (
    Application,
    AssessorOrganisation,
    Assignment,
    Curator,
    CuratorQualification,
    Programme,
    Sample,
    Score,
)
from curation.permissions import is_applicant_of
from tests import factories
from vendors import services as vendors
from vendors.models import Product, ProductPhoto, Vendor

pytestmark = pytest.mark.django_db

REFUSALS = (TransitionRefused, PermissionDenied, ValidationError)

hypothesis_settings.register_profile(
    "kurasi-ci",
    max_examples=1000,
    # Kept short so that 1,000 examples fit in CI's time; the world starts deep instead.
    stateful_step_count=4,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.register_profile(
    "kurasi-dev",
    max_examples=100,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "kurasi-ci" if os.environ.get("CI", "").lower() == "true" else "kurasi-dev"

# Models with a state graph, and the other tables whose every write a refusal must not leave.
FSM_MODELS = (Vendor, Application, Sample, PermitCase, Certificate)
HISTORY_MODELS = (
    Vendor,
    Product,
    ProductPhoto,
    Application,
    Assignment,
    Score,
    Sample,
    PermitCase,
    PermitDocument,
    InfoRequest,
    Certificate,
    Listing,
)
COUNTED_MODELS = (
    Vendor,
    Product,
    ProductPhoto,
    Application,
    Assignment,
    Score,
    Sample,
    PermitCase,
    PermitDocument,
    InfoRequest,
    Certificate,
    Listing,
    ListingPhoto,
    TransitionLog,
)
# Decided from the scores, so the system user acts, whoever submitted the last scoresheet.
SYSTEM_TRANSITIONS = {"pass_curation", "fail_curation", "mark_tested"}

GOOD, POOR = 4, 1
TINY_JPEG = factories.image_bytes(size=(40, 30))
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
REASONS = st.sampled_from(["", "Foto label kurang jelas."])
PICK = st.integers(min_value=0, max_value=3)
ACTOR_KINDS = (
    "owner",
    "other_applicant",
    "assigned_curator",
    "curator",
    "outside_curator",
    "lead",
    "staff",
    "approver",
    "officer",
)
# Half the draws are "likely": an actor of the kind that may be allowed, so runs go deep.
ACTORS = st.tuples(st.sampled_from((*ACTOR_KINDS, *["likely"] * len(ACTOR_KINDS))), PICK)
CURATORS = ("assigned_curator", "lead")
VENDOR_STATES = {
    "submit": ("draft", "returned"),
    "verify": ("submitted",),
    "return": ("submitted",),
    "reject": ("submitted",),
    "suspend": ("verified",),
    "reinstate": ("suspended",),
}
APPLICATION_STATES = {
    "submit": ("draft", "returned"),
    "withdraw": (),
    "return": ("submitted",),
    "reject": ("submitted",),
    "allow_revision": ("curation_failed",),
    "release_result": ("passed", "curation_failed"),
    "skip_permit": ("passed",),
    "reject_at_approval": ("awaiting_approval",),
}
CASE_STATES = {
    "submit": ("preparing_documents",),
    "start_review": ("submitted",),
    "resume_review": ("info_requested",),
    "issue": ("under_review", "preparing_documents"),
    "refuse": ("under_review",),
}
CERTIFICATE_STATES = {
    "suspend": ("active",),
    "reinstate": ("suspended",),
    "revoke": ("active", "suspended"),
}
_permit_numbers = itertools.count(31603020001)
# Examples, service calls, refusals and logged transitions of the run, printed at its end.
STATS: Counter = Counter()


def reachable_states(model) -> frozenset[str]:
    """The initial state and every transition target; a state nothing reaches is a bug too."""
    status = model._meta.get_field("status")
    states = {str(status.default)}
    declared = {str(value) for value, _label in status.flatchoices}
    for transition in status.get_all_transitions(model):
        if transition.source not in ("*", "+"):
            assert str(transition.source) in declared, (model, transition.name)
        assert str(transition.target) in declared, (model, transition.name)
        states.add(str(transition.target))
    return frozenset(states)


STATES = {model: reachable_states(model) for model in FSM_MODELS}
LABEL_OF = {model._meta.label: model for model in FSM_MODELS}
TARGET_MODELS = {
    "vendors": Vendor,
    "applications": Application,
    "samples": Sample,
    "cases": PermitCase,
    "certificates": Certificate,
}


def sheet(application: Application, values: list[int]) -> dict:
    rubric = application.programme.rubrics.get(category=application.product.category)
    criteria = list(rubric.criteria.order_by("position", "pk"))
    return {c.pk: (values[i % len(values)], f"nilai {i}") for i, c in enumerate(criteria)}


# The world every example starts from


@dataclass
class World:
    owners: dict[int, object]  # vendor pk → owning user
    applicants: list
    curators: list  # users of the assessor's curators
    outside_curator: object
    lead: object
    staff: object
    approver: object
    officers: list  # staff and approver at once
    vendors: list[int] = field(default_factory=list)
    products: list[int] = field(default_factory=list)
    photos: list = field(default_factory=list)
    programmes: list[int] = field(default_factory=list)
    applications: list[int] = field(default_factory=list)
    samples: list[int] = field(default_factory=list)
    assignments: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    documents: list = field(default_factory=list)
    certificates: list[int] = field(default_factory=list)
    listings: list[int] = field(default_factory=list)
    checklist: list[int] = field(default_factory=list)
    blindness: dict = field(default_factory=dict)


def _user_with(*roles):
    user = factories.UserFactory()
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def build_world() -> World:
    """Vendors, a programme and applications in every interesting state, through the services."""
    owner_a, owner_b, owner_c, stranger = (factories.applicant() for _ in range(4))
    lead = factories.curator()
    organisation = AssessorOrganisation.objects.create(name="PT Penilai Fuzz", lead=lead)
    curator_users = []
    for _ in range(3):
        user = factories.curator()
        profile = Curator.objects.create(user=user, organisation=organisation)
        CuratorQualification.objects.bulk_create(
            CuratorQualification(curator=profile, category=c)
            for c in ("cloth_mask", "medical_mask")
        )
        curator_users.append(user)
    outsider = factories.curator()
    other_org = AssessorOrganisation.objects.create(name="PT Penilai Lain")
    profile = Curator.objects.create(user=outsider, organisation=other_org)
    CuratorQualification.objects.create(curator=profile, category="cloth_mask")
    staff, approver = factories.staff(), factories.approver()
    officers = [_user_with("staff", "approver"), _user_with("staff", "approver")]
    officer_a, officer_b = officers

    today = timezone.localdate()
    programme = factories.programme(
        assessor_org=organisation,
        categories=["cloth_mask", "medical_mask"],
        one_chance=False,
        curators_per_application=2,
        max_revisions=1,
    )
    closed = factories.programme(
        assessor_org=organisation,
        name="Gelombang lama",
        categories=["cloth_mask", "medical_mask"],
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=30),
    )

    def new_vendor(owner):
        return factories.vendor(owner=owner)

    def new_product(vendor, owner, category):
        item = factories.product(vendor=vendor, category=category)
        vendors.add_product_photos(
            product=item,
            by=owner,
            uploads=[factories.upload(factories.image_bytes(size=(60, 45))) for _ in range(3)],
        )
        return item

    vendor_a, vendor_b, vendor_c = new_vendor(owner_a), new_vendor(owner_b), new_vendor(owner_c)
    products = {
        name: new_product(vendor, owner, category)
        for name, vendor, owner, category in [
            ("a1", vendor_a, owner_a, "cloth_mask"),
            ("a2", vendor_a, owner_a, "medical_mask"),
            ("a3", vendor_a, owner_a, "cloth_mask"),
            ("a4", vendor_a, owner_a, "medical_mask"),
            ("a5", vendor_a, owner_a, "medical_mask"),
            ("a6", vendor_a, owner_a, "cloth_mask"),
            ("b1", vendor_b, owner_b, "cloth_mask"),
            ("b2", vendor_b, owner_b, "medical_mask"),
            ("b3", vendor_b, owner_b, "cloth_mask"),
            ("c1", vendor_c, owner_c, "cloth_mask"),
        ]
    }
    for vendor, owner in ((vendor_a, owner_a), (vendor_b, owner_b)):
        vendors.submit_vendor(vendor=vendor, by=owner)
        vendors.verify_vendor(vendor=vendor, by=staff)
    vendors.submit_vendor(vendor=vendor_c, by=owner_c)

    def entered(name, *, submit=True):
        item = products[name]
        owner = {vendor_a.pk: owner_a, vendor_b.pk: owner_b}[item.vendor_id]
        application = curation.create_application(
            vendor=item.vendor, product=item, programme=programme, by=owner
        )
        if submit:
            application = curation.submit_application(application=application, by=owner)
        return application

    def curated(name, *, screener, assigner, values=None):
        """Sample requested, two curators assigned, sample received, both declared; scored
        with ``values`` (both submit) or, without, only the first submits."""
        application = entered(name)
        sample = curation.request_sample(application=application, by=screener)
        assignments = [
            curation.assign_curator(
                application=application, curator=user.curator_profile, by=assigner
            )
            for user in curator_users[:2]
        ]
        curation.record_sample_receipt(
            sample=sample, by=curator_users[0], quantity_received=5, condition="good"
        )
        for assignment in assignments:
            curation.declare_no_conflict(assignment=assignment, by=assignment.curator.user)
        application.refresh_from_db()
        first, second = assignments
        curation.submit_scores(
            assignment=first, by=first.curator.user, values=sheet(application, [values or GOOD])
        )
        if values is None:
            curation.save_scores(
                assignment=second, by=second.curator.user, values=sheet(application, [3])
            )
        else:
            curation.submit_scores(
                assignment=second, by=second.curator.user, values=sheet(application, [values])
            )
        application.refresh_from_db()
        return application

    entered("a1", submit=False)
    entered("a2")
    curated("a3", screener=officer_a, assigner=staff)
    curated("a4", screener=officer_a, assigner=lead, values=GOOD)
    a5 = curated("a5", screener=staff, assigner=staff, values=GOOD)
    case = certification.open_permit_case(application=a5, by=staff)
    for item in ChecklistItem.objects.filter(kind=case.kind, required=True):
        document = certification.upload_document(
            case=case, item=item, by=owner_a, upload=factories.upload(PDF, name="d.pdf")
        )
        certification.verify_document(document=document, by=officer_b)
    case = certification.submit_permit_case(case=case, by=staff, reference="KMK-2026-1")
    certification.start_permit_review(case=case, by=staff)
    a6 = curated("a6", screener=officer_a, assigner=staff, values=GOOD)
    certification.skip_permit(application=a6, by=officer_a)
    b1 = curated("b1", screener=staff, assigner=staff, values=GOOD)
    b1 = certification.skip_permit(application=b1, by=staff)
    certification.approve_application(application=b1, by=approver, note="Layak.")
    b2 = curated("b2", screener=staff, assigner=lead, values=GOOD)
    existing = certification.open_permit_case(application=b2, by=staff, existing_permit=True)
    certification.issue_permit(
        case=existing,
        by=staff,
        permit_number=f"KEMENKES RI AKD {next(_permit_numbers)}",
        issued_on=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=700),
    )
    b2.refresh_from_db()
    suspended = certification.approve_application(application=b2, by=officer_b)
    certification.suspend_certificate(certificate=suspended, by=approver, reason="Pengaduan.")
    curated("b3", screener=staff, assigner=staff, values=POOR)

    assert set(Application.objects.values_list("status", flat=True)) >= {
        "draft",
        "submitted",
        "in_curation",
        "passed",
        "permit_support",
        "awaiting_approval",
        "approved",
        "curation_failed",
    }
    return World(
        owners={vendor_a.pk: owner_a, vendor_b.pk: owner_b, vendor_c.pk: owner_c},
        applicants=[owner_a, owner_b, owner_c, stranger],
        curators=curator_users,
        outside_curator=outsider,
        lead=lead,
        staff=staff,
        approver=approver,
        officers=officers,
        vendors=[vendor_a.pk, vendor_b.pk, vendor_c.pk],
        products=[p.pk for p in products.values()],
        photos=list(ProductPhoto.objects.values_list("pk", flat=True)),
        programmes=[programme.pk, closed.pk],
        applications=list(Application.objects.values_list("pk", flat=True)),
        samples=list(Sample.objects.values_list("pk", flat=True)),
        assignments=list(Assignment.objects.values_list("pk", flat=True)),
        cases=list(PermitCase.objects.values_list("pk", flat=True)),
        documents=list(PermitDocument.objects.values_list("pk", flat=True)),
        certificates=list(Certificate.objects.values_list("pk", flat=True)),
        listings=list(Listing.objects.values_list("pk", flat=True)),
        checklist=list(
            ChecklistItem.objects.filter(kind__in=["AKD", "PKD"]).values_list("pk", flat=True)
        ),
    )


# What a step may change, read in a handful of queries


@dataclass(frozen=True)
class Snapshot:
    states: dict
    head: int
    counts: tuple
    files: int


@functools.cache
def _count_sql() -> str:
    tables = [m._meta.db_table for m in COUNTED_MODELS]
    tables += [m.history.model._meta.db_table for m in HISTORY_MODELS]
    # Table names come from the models, never from input.
    return "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables
    )


def _stored_files() -> int:
    return sum(len(files) for _root, _dirs, files in os.walk(Path(django_settings.MEDIA_ROOT)))


def take_snapshot() -> Snapshot:
    states = {}
    for model in FSM_MODELS:
        label = model._meta.label
        for pk, status in model.objects.order_by().values_list("pk", "status"):
            states[(label, str(pk))] = status
    with connection.cursor() as cursor:
        cursor.execute(_count_sql())
        counts = tuple(cursor.fetchone())
    head = ChainHead.objects.values_list("last_sequence", flat=True).get(pk=1)
    return Snapshot(states, head, counts, _stored_files())


# The machine


class WorkflowMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        # Every example runs inside its own savepoint, rolled back by teardown().
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        STATS["examples"] += 1
        self.system = system_user()
        self.last = take_snapshot()
        self.chain_checked_at = None
        self.listings_seen = set(self.world.listings)
        self.blindness_checked = dict(self.world.blindness)
        # Set by a step that was not refused. A refused step is proven to have changed nothing
        # (states, log, every history and row count, files), so what held before still holds.
        self.changed = False
        # What rules pick their targets from: the world's objects, then those created here.
        self.vendors = list(self.world.vendors)
        self.products = list(self.world.products)
        self.photos = list(self.world.photos)
        self.programmes = list(self.world.programmes)
        self.applications = list(self.world.applications)
        self.samples = list(self.world.samples)
        self.assignments = list(self.world.assignments)
        self.cases = list(self.world.cases)
        self.documents = list(self.world.documents)
        self.info_requests = []
        self.certificates = list(self.world.certificates)

    def pick(self, data, name: str, *states: str):
        """A target; mostly one in ``states`` (where the action can work), sometimes any."""
        pool = getattr(self, name)
        if states and data.draw(st.integers(0, 3), label="aimed") > 0:
            label = TARGET_MODELS[name]._meta.label
            aimed = [pk for pk in pool if self.last.states.get((label, str(pk))) in states]
            pool = aimed or pool
        return data.draw(st.sampled_from(pool), label=name[:-1])

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # Actors

    def actor(self, who, likely, *, vendor_id=None, application=None):
        """Resolve a drawn actor kind; ``likely`` names the kinds that may be allowed."""
        kind, pick = who
        if kind == "likely":
            kind = likely[pick % len(likely)]
        world = self.world
        owners = {world.owners.get(vendor_id)} if vendor_id else set()
        if kind == "owner":
            return world.owners.get(vendor_id) or world.applicants[pick % len(world.applicants)]
        if kind == "other_applicant":
            others = [u for u in world.applicants if u not in owners]
            return others[pick % len(others)]
        if kind == "assigned_curator" and application is not None:
            active = list(
                Assignment.objects.filter(application=application, ended_at__isnull=True)
                .order_by("pk")
                .values_list("curator__user_id", flat=True)
            )
            if active:
                user_id = active[pick % len(active)]
                return next(u for u in world.curators if u.pk == user_id)
        if kind in ("assigned_curator", "curator"):
            return world.curators[pick % len(world.curators)]
        if kind == "outside_curator":
            return world.outside_curator
        if kind == "lead":
            return world.lead
        if kind == "staff":
            return world.staff
        if kind == "approver":
            return world.approver
        return world.officers[pick % len(world.officers)]

    # Calling a service

    def attempt(self, by, call):
        """Run ``call``; a refusal must change nothing, a success only what it logs."""
        before = self.last
        STATS["steps"] += 1
        self.changed = False
        try:
            result = call()
        except REFUSALS as refusal:
            STATS["refused"] += 1
            after = take_snapshot()
            assert after == before, f"refused ({refusal!r}) yet changed: {_diff(before, after)}"
            return None
        STATS["done"] += 1
        self.changed = True
        after = take_snapshot()
        STATS["transitions"] += after.head - before.head
        self.check_logged(before, after, by)
        self.last = after
        return result

    def check_logged(self, before: Snapshot, after: Snapshot, by) -> None:
        changed = {
            key: (state, after.states[key])
            for key, state in before.states.items()
            if key in after.states and after.states[key] != state
        }
        vanished = set(before.states) - set(after.states)
        assert not vanished, f"objects with a state were deleted: {vanished}"
        rows = list(TransitionLog.objects.filter(sequence__gt=before.head).order_by("sequence"))
        logged = []
        for row in rows:
            model = ContentType.objects.get_for_id(row.content_type_id).model_class()
            key = (model._meta.label, row.object_id)
            logged.append(key)
            assert key in changed, f"{row} logged but {key} did not change state"
            assert (row.source_state, row.target_state) == changed[key], (row, changed[key])
            expected = self.system if row.transition in SYSTEM_TRANSITIONS else by
            assert row.actor_id == expected.pk, f"{row} names {row.actor_username}, not {expected}"
        assert sorted(logged) == sorted(changed), f"changes {changed} but log rows {logged}"
        assert after.head == before.head + len(rows)

    # Vendors

    @rule(
        data=st.data(),
        action=st.sampled_from(["submit", "verify", "return", "reject", "suspend", "reinstate"]),
        who=ACTORS,
        reason=REASONS,
    )
    def change_vendor(self, data, action, who, reason):
        obj = Vendor.objects.get(pk=self.pick(data, "vendors", *VENDOR_STATES[action]))
        likely = ("owner",) if action == "submit" else ("staff", "officer")
        by = self.actor(who, likely, vendor_id=obj.pk)
        calls = {
            "submit": lambda: vendors.submit_vendor(vendor=obj, by=by),
            "verify": lambda: vendors.verify_vendor(vendor=obj, by=by, note=reason),
            "return": lambda: vendors.return_vendor(vendor=obj, by=by, reason=reason),
            "reject": lambda: vendors.reject_vendor(vendor=obj, by=by, reason=reason),
            "suspend": lambda: vendors.suspend_vendor(vendor=obj, by=by, reason=reason),
            "reinstate": lambda: vendors.reinstate_vendor(vendor=obj, by=by, reason=reason),
        }
        self.attempt(by, calls[action])

    @rule(data=st.data(), who=ACTORS, phone=st.sampled_from(["+6281234560002", ""]))
    def edit_vendor(self, data, who, phone):
        obj = Vendor.objects.get(pk=self.pick(data, "vendors", "draft", "returned"))
        by = self.actor(who, ("owner",), vendor_id=obj.pk)
        self.attempt(by, lambda: vendors.update_vendor(vendor=obj, by=by, phone=phone))

    @rule(data=st.data(), who=ACTORS)
    def add_photo(self, data, who):
        item = Product.objects.select_related("vendor").get(pk=self.pick(data, "products"))
        by = self.actor(who, ("owner",), vendor_id=item.vendor_id)
        upload = factories.upload(TINY_JPEG)
        saved = self.attempt(
            by, lambda: vendors.add_product_photos(product=item, by=by, uploads=[upload])
        )
        self.photos.extend(p.pk for p in saved or [])

    @rule(data=st.data(), who=ACTORS)
    def delete_photo(self, data, who):
        found = (
            ProductPhoto.objects.select_related("product__vendor")
            .filter(pk=self.pick(data, "photos"))
            .first()
        )
        if found is None:
            return
        by = self.actor(who, ("owner",), vendor_id=found.product.vendor_id)
        self.attempt(by, lambda: vendors.delete_product_photo(photo=found, by=by))

    # Applications

    @rule(data=st.data(), who=ACTORS)
    def create_application(self, data, who):
        vendor = Vendor.objects.get(pk=self.pick(data, "vendors"))
        product = Product.objects.get(pk=self.pick(data, "products"))
        programme = Programme.objects.get(pk=self.pick(data, "programmes"))
        by = self.actor(who, ("owner",), vendor_id=vendor.pk)
        created = self.attempt(
            by,
            lambda: curation.create_application(
                vendor=vendor, product=product, programme=programme, by=by
            ),
        )
        if created is not None:
            self.applications.append(created.pk)

    @rule(
        data=st.data(),
        action=st.sampled_from(
            [
                "submit",
                "withdraw",
                "return",
                "reject",
                "allow_revision",
                "release_result",
                "skip_permit",
                "reject_at_approval",
            ]
        ),
        who=ACTORS,
        reason=REASONS,
    )
    def change_application(self, data, action, who, reason):
        obj = Application.objects.get(
            pk=self.pick(data, "applications", *APPLICATION_STATES[action])
        )
        likely = {"submit": ("owner",), "withdraw": ("owner",)}.get(action, ("staff", "officer"))
        if action == "reject_at_approval":
            likely = ("approver", "officer")
        by = self.actor(who, likely, vendor_id=obj.vendor_id, application=obj)
        calls = {
            "submit": lambda: curation.submit_application(application=obj, by=by),
            "withdraw": lambda: curation.withdraw_application(
                application=obj, by=by, reason=reason
            ),
            "return": lambda: curation.return_application(application=obj, by=by, reason=reason),
            "reject": lambda: curation.reject_application(application=obj, by=by, reason=reason),
            "allow_revision": lambda: curation.allow_revision(application=obj, by=by),
            "release_result": lambda: curation.release_result(application=obj, by=by),
            "skip_permit": lambda: certification.skip_permit(application=obj, by=by),
            "reject_at_approval": lambda: certification.reject_application_at_approval(
                application=obj, by=by, reason=reason
            ),
        }
        deciding = action == "reject_at_approval" and obj.status == "awaiting_approval"
        screened = deciding and self.screened_by(by, obj)
        done = self.attempt(by, calls[action])
        if done is not None and deciding:
            assert not screened, f"{by} screened {obj} and also rejected it (four-eyes)"

    @rule(data=st.data(), who=ACTORS, quantity=st.integers(0, 5))
    def request_sample(self, data, who, quantity):
        obj = Application.objects.get(pk=self.pick(data, "applications", "submitted"))
        by = self.actor(who, ("staff", "officer"), vendor_id=obj.vendor_id, application=obj)
        sample = self.attempt(
            by, lambda: curation.request_sample(application=obj, by=by, quantity=quantity)
        )
        if sample is not None:
            self.samples.append(sample.pk)

    @rule(data=st.data(), who=ACTORS, existing=st.booleans())
    def open_permit_case(self, data, who, existing):
        obj = Application.objects.get(pk=self.pick(data, "applications", "passed"))
        by = self.actor(who, ("staff", "officer"), vendor_id=obj.vendor_id, application=obj)
        case = self.attempt(
            by,
            lambda: certification.open_permit_case(
                application=obj, by=by, existing_permit=existing
            ),
        )
        if case is not None:
            self.cases.append(case.pk)

    @rule(data=st.data(), who=ACTORS)
    def approve(self, data, who):
        obj = Application.objects.get(pk=self.pick(data, "applications", "awaiting_approval"))
        by = self.actor(who, ("approver", "officer"), vendor_id=obj.vendor_id, application=obj)
        screened = self.screened_by(by, obj)
        certificate = self.attempt(
            by, lambda: certification.approve_application(application=obj, by=by)
        )
        if certificate is None:
            return
        assert not screened, f"{by} screened {obj} and also approved it (four-eyes)"
        self.certificates.append(certificate.pk)
        self.listings_seen.add(Listing.objects.get(certificate=certificate).pk)

    def screened_by(self, user, application) -> bool:
        """DESIGN's four-eyes rule, read from the log and the document reviews."""
        return (
            TransitionLog.objects.filter(
                content_type=ContentType.objects.get_for_model(Application),
                object_id=str(application.pk),
                actor=user,
                transition__in=curation_permissions.SCREENING_TRANSITIONS,
            ).exists()
            or PermitDocument.objects.filter(
                case__application=application, reviewed_by=user
            ).exists()
        )

    # Samples

    def sample_and_actor(self, data, who, likely, *states):
        obj = Sample.objects.select_related("application").get(
            pk=self.pick(data, "samples", *states)
        )
        app = obj.application
        return obj, self.actor(who, likely, vendor_id=app.vendor_id, application=app)

    @rule(data=st.data(), who=ACTORS, tracking=st.sampled_from(["", "JNE 1234567890"]))
    def ship_sample(self, data, who, tracking):
        obj, by = self.sample_and_actor(data, who, ("owner",), "requested")
        self.attempt(
            by,
            lambda: curation.record_shipment(
                sample=obj,
                by=by,
                courier="JNE" if tracking else "",
                tracking_number=tracking,
                shipped_on=timezone.localdate(),
            ),
        )

    @rule(data=st.data(), who=ACTORS, quantity=st.integers(0, 5))
    def receive_sample(self, data, who, quantity):
        obj, by = self.sample_and_actor(data, who, CURATORS, "requested", "shipped")
        self.attempt(
            by,
            lambda: curation.record_sample_receipt(
                sample=obj, by=by, quantity_received=quantity, condition="good"
            ),
        )

    @rule(data=st.data(), who=ACTORS, retain=st.booleans())
    def close_sample(self, data, who, retain):
        obj, by = self.sample_and_actor(data, who, CURATORS, "tested")
        self.attempt(by, lambda: curation.close_sample(sample=obj, by=by, retain=retain))

    # Assignments and scores

    @rule(data=st.data(), who=ACTORS, pick=PICK)
    def assign_curator(self, data, who, pick):
        obj = Application.objects.get(
            pk=self.pick(data, "applications", "sample_requested", "in_curation")
        )
        by = self.actor(who, ("staff", "lead"), vendor_id=obj.vendor_id, application=obj)
        pool = [*self.world.curators, self.world.outside_curator]
        profile = pool[pick % len(pool)].curator_profile
        assignment = self.attempt(
            by, lambda: curation.assign_curator(application=obj, curator=profile, by=by)
        )
        if assignment is not None:
            self.assignments.append(assignment.pk)

    def assignment_and_actor(self, data, who, likely):
        obj = Assignment.objects.select_related(
            "curator", "application__programme", "application__product"
        ).get(pk=self.pick(data, "assignments"))
        app = obj.application
        return obj, self.actor(who, likely, vendor_id=app.vendor_id, application=app)

    @rule(
        data=st.data(),
        action=st.sampled_from(["end", "declare_no_conflict", "declare_conflict"]),
        who=ACTORS,
        reason=REASONS,
    )
    def change_assignment(self, data, action, who, reason):
        likely = ("staff", "lead") if action == "end" else ("assigned_curator",)
        obj, by = self.assignment_and_actor(data, who, likely)
        calls = {
            "end": lambda: curation.end_assignment(assignment=obj, by=by, reason=reason),
            "declare_no_conflict": lambda: curation.declare_no_conflict(assignment=obj, by=by),
            "declare_conflict": lambda: curation.declare_conflict(
                assignment=obj, by=by, reason=reason
            ),
        }
        self.attempt(by, calls[action])

    @rule(data=st.data(), who=ACTORS, pick=PICK)
    def reassign_curator(self, data, who, pick):
        obj, by = self.assignment_and_actor(data, who, ("staff", "lead"))
        to = self.world.curators[pick % len(self.world.curators)].curator_profile
        new = self.attempt(
            by,
            lambda: curation.reassign_curator(assignment=obj, to=to, by=by, reason="Beban kerja."),
        )
        if new is not None:
            self.assignments.append(new.pk)

    @rule(
        data=st.data(),
        who=ACTORS,
        submit=st.booleans(),
        values=st.lists(st.integers(-1, 6), min_size=1, max_size=3),
    )
    def score(self, data, who, submit, values):
        obj, by = self.assignment_and_actor(data, who, ("assigned_curator",))
        scores = sheet(obj.application, values)
        service = curation.submit_scores if submit else curation.save_scores
        self.attempt(by, lambda: service(assignment=obj, by=by, values=scores))

    # Permit cases

    def case_and_actor(self, data, who, likely, *states):
        obj = PermitCase.objects.select_related("application").get(
            pk=self.pick(data, "cases", *states)
        )
        app = obj.application
        return obj, self.actor(who, likely, vendor_id=app.vendor_id, application=app)

    @rule(data=st.data(), who=ACTORS, pick=st.integers(0, 20))
    def upload_document(self, data, who, pick):
        obj, by = self.case_and_actor(
            data, who, ("owner",), "preparing_documents", "info_requested"
        )
        item = ChecklistItem.objects.get(pk=self.world.checklist[pick % len(self.world.checklist)])
        upload = factories.upload(PDF, name="d.pdf", content_type="application/pdf")
        document = self.attempt(
            by,
            lambda: certification.upload_document(case=obj, item=item, by=by, upload=upload),
        )
        if document is not None:
            self.documents.append(document.pk)

    @rule(data=st.data(), who=ACTORS, verify=st.booleans(), reason=REASONS)
    def review_document(self, data, who, verify, reason):
        obj = PermitDocument.objects.select_related("case__application").get(
            pk=self.pick(data, "documents")
        )
        app = obj.case.application
        by = self.actor(who, ("staff", "officer"), vendor_id=app.vendor_id, application=app)
        if verify:
            self.attempt(by, lambda: certification.verify_document(document=obj, by=by))
        else:
            self.attempt(
                by, lambda: certification.reject_document(document=obj, by=by, reason=reason)
            )

    @rule(
        data=st.data(),
        action=st.sampled_from(["submit", "start_review", "resume_review", "issue", "refuse"]),
        who=ACTORS,
        reason=REASONS,
        kind=st.sampled_from(["AKD", "PKD"]),
    )
    def change_case(self, data, action, who, reason, kind):
        obj, by = self.case_and_actor(data, who, ("staff", "officer"), *CASE_STATES[action])
        today = timezone.localdate()
        calls = {
            "submit": lambda: certification.submit_permit_case(
                case=obj, by=by, reference=reason and "KMK-2026-9"
            ),
            "start_review": lambda: certification.start_permit_review(case=obj, by=by),
            "resume_review": lambda: certification.resume_permit_review(case=obj, by=by),
            "issue": lambda: certification.issue_permit(
                case=obj,
                by=by,
                permit_number=f"KEMENKES RI {kind} {next(_permit_numbers)}",
                issued_on=today,
                valid_until=today + datetime.timedelta(days=365),
            ),
            "refuse": lambda: certification.refuse_permit(case=obj, by=by, reason=reason),
        }
        self.attempt(by, calls[action])

    @rule(data=st.data(), who=ACTORS, reason=REASONS)
    def request_info(self, data, who, reason):
        obj, by = self.case_and_actor(data, who, ("staff", "officer"), "under_review")
        request = self.attempt(
            by,
            lambda: certification.request_permit_info(
                case=obj,
                by=by,
                message=reason,
                due_on=timezone.localdate() + datetime.timedelta(days=7),
            ),
        )
        if request is not None:
            self.info_requests.append(request.pk)

    @precondition(lambda self: self.info_requests)
    @rule(data=st.data(), who=ACTORS, response=REASONS)
    def answer_info(self, data, who, response):
        obj = InfoRequest.objects.select_related("case__application").get(
            pk=self.pick(data, "info_requests")
        )
        app = obj.case.application
        by = self.actor(who, ("owner",), vendor_id=app.vendor_id, application=app)
        self.attempt(
            by,
            lambda: certification.respond_to_info_request(request=obj, by=by, response=response),
        )

    # Certificates and listings

    @rule(
        data=st.data(),
        action=st.sampled_from(["suspend", "reinstate", "revoke"]),
        who=ACTORS,
        reason=REASONS,
    )
    def change_certificate(self, data, action, who, reason):
        obj = Certificate.objects.get(
            pk=self.pick(data, "certificates", *CERTIFICATE_STATES[action])
        )
        by = self.actor(who, ("approver", "officer"), vendor_id=obj.vendor_id)
        service = {
            "suspend": certification.suspend_certificate,
            "reinstate": certification.reinstate_certificate,
            "revoke": certification.revoke_certificate,
        }[action]
        self.attempt(by, lambda: service(certificate=obj, by=by, reason=reason))

    @rule(data=st.data(), who=ACTORS, price=st.integers(0, 20000), minimum=st.integers(0, 3))
    def update_listing(self, data, who, price, minimum):
        obj = Listing.objects.get(certificate_id=self.pick(data, "certificates", "active"))
        by = self.actor(who, ("owner",), vendor_id=obj.vendor_id)
        self.attempt(
            by,
            lambda: catalogue.update_listing_terms(
                listing=obj,
                by=by,
                price=price,
                price_includes_tax=False,
                minimum_order=minimum,
                capacity_per_month=1000,
                delivery_provinces=[],
            ),
        )

    # Invariants

    @invariant()
    def states_are_in_the_graph(self):
        for (label, pk), status in self.last.states.items():
            assert status in STATES[LABEL_OF[label]], f"{label} {pk} is in unknown state {status}"

    @invariant()
    def audit_chain_verifies(self):
        # A step that appended nothing left the chain as it was last verified.
        if self.chain_checked_at == self.last.head:
            return
        report = verify_chain()
        assert report.intact, report
        assert report.entries == self.last.head
        self.chain_checked_at = self.last.head

    @invariant()
    def listing_live_exactly_while_certificate_active(self):
        if not self.changed:
            return
        label = Certificate._meta.label
        listings = {}
        for pk, certificate_id, status in Listing.objects.values_list(
            "pk", "certificate_id", "status"
        ):
            listings[certificate_id] = status
            assert status in Listing.Status.values, (pk, status)
            self.listings_seen.discard(pk)
        assert not self.listings_seen, f"listings {self.listings_seen} vanished, no tombstone"
        self.listings_seen = set(Listing.objects.values_list("pk", flat=True))
        for (model, pk), status in self.last.states.items():
            if model != label:
                continue
            listed = listings.get(int(pk))
            if status == Certificate.Status.ACTIVE:
                assert listed == Listing.Status.LIVE, (
                    f"certificate {pk} is active, listing {listed}"
                )
            else:
                assert listed in (None, Listing.Status.DELISTED), (pk, status, listed)

    @invariant()
    def scores_stay_blind(self):
        if not self.changed:
            return
        # Only applications whose scores, assignments or release changed can have started to
        # leak; the world's own were checked once, before the first example.
        for pk, fingerprint in blindness_fingerprints().items():
            if self.blindness_checked.get(pk) != fingerprint:
                check_blindness(self.world, pk)
                self.blindness_checked[pk] = fingerprint


def blindness_fingerprints() -> dict[int, tuple]:
    """Per application with scores: what decides who may see them."""
    rows = (
        Assignment.objects.filter(scores__isnull=False)
        .values_list(
            "application_id",
            "application__status",
            "application__result_released_at",
            "pk",
            "ended_at",
            "submitted_at",
        )
        .annotate(n=Count("scores"))
        .order_by("application_id", "pk")
    )
    fingerprints: dict[int, tuple] = {}
    for application_id, *rest in rows:
        fingerprints[application_id] = (*fingerprints.get(application_id, ()), tuple(rest))
    return fingerprints


def check_blindness(world: World, pk: int) -> None:
    """Read the application as each curator and applicant would, through the views' selectors."""
    for user in [*world.curators, *world.applicants]:
        try:
            application = curation_selectors.get_application_for(user, pk)
        except Http404:
            continue
        visible = curation_selectors.scores_visible_to(user, application)
        decision = curation_selectors.decision_visible_to(user, application)
        own = curation_permissions.active_assignment(user, application)
        if own is not None and own.submitted_at is None:
            assert set(visible) <= {own.pk}, f"{user} sees others' scores before submitting"
            assert decision is None, f"{user} sees the decision before submitting"
        unreleased = application.result_released_at is None
        if own is None and unreleased and is_applicant_of(user, application):
            assert not visible, f"{user} sees scores before the result is released"
            assert decision is None, f"{user} sees the decision before release"
        for assignment in application._active_assignments:
            if assignment.submitted_at is None and assignment != own:
                assert assignment.pk not in visible, f"{user} sees a draft scoresheet"


def _diff(before: Snapshot, after: Snapshot) -> dict:
    states = {
        k: (before.states.get(k), after.states.get(k))
        for k in set(before.states) | set(after.states)
        if before.states.get(k) != after.states.get(k)
    }
    tables = [m._meta.label for m in COUNTED_MODELS] + [
        f"history of {m._meta.label}" for m in HISTORY_MODELS
    ]
    counts = {
        name: (a, b)
        for name, a, b in zip(tables, before.counts, after.counts, strict=True)
        if a != b
    }
    return {
        "states": states,
        "counts": counts,
        "head": (before.head, after.head),
        "files": (before.files, after.files),
    }


def test_random_people_pressing_random_buttons_never_break_the_workflow(settings):
    # Notifications are queued inside each transition's transaction; here they are only queued
    # (not run): who is told what is no invariant of the workflow, and running them for every
    # step would cost more than the step itself. tests/notifications covers them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    world = build_world()
    world.blindness = blindness_fingerprints()
    for pk in world.blindness:
        check_blindness(world, pk)
    WorkflowMachine.world = world
    STATS.clear()
    run_state_machine_as_test(WorkflowMachine, settings=hypothesis_settings.get_profile(PROFILE))
    print(f"workflow fuzz ({PROFILE}): {dict(STATS)}")
    assert STATS["done"] > 0 and STATS["refused"] > 0
    # The world is intact after the last example was rolled back.
    assert set(Application.objects.values_list("pk", flat=True)) == set(world.applications)
    assert verify_chain().intact
