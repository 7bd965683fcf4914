"""Bulk builder of a national-scale Kurasi dataset, for performance work (``generate_scale_data``).

It writes what the services would have written had people done the work over the past months —
vendors with their owners in every province, products, programmes with assessors and curators,
applications in every state of the funnel with their samples, assignments, scores, permit cases,
certificates and catalogue listings, and the hash-chained transition log of every step — but in
bulk instead of one service call per step, so 200,000 applications take minutes.

Each application gets a *path*: the transitions that led to its state, with plausible delays.
Its fields, its dependent rows and its log entries are all derived from that one path, so they
agree with each other (an approved application has passed curation, its sample was tested, its
permit issued when its category needs one, and its log says so in order).

Rows are written by ``demo.fast_insert.store`` (COPY on PostgreSQL; see there why not
``bulk_create_with_history``), which writes each field as given: ``auto_now_add``/``auto_now``
belong to ``Model.save``/``bulk_create`` and do not run, so ``created_at`` and ``updated_at`` keep
the times of the path instead of the moment of the insert. Models with history get their ``+``
row dated at their last change, with the change reason ``generate_scale_data``.

The benchmarks and the query-budget tests reuse ``ScaleBuilder`` to build N rows of one kind.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from catalogue.models import Listing
from certification.models import (
    Certificate,
    CertificateCounter,
    InfoRequest,
    PermitCase,
    PermitRequirement,
)
from curation import scoring
from curation.models import (
    Application,
    AssessorOrganisation,
    Assignment,
    Criterion,
    Curator,
    CuratorQualification,
    Programme,
    Sample,
    Score,
)
from curation.rules import SPEC_FIELDS
from curation.services import copy_default_rubrics
from demo import scale_names as names
from demo.fast_insert import insert_rows, store
from demo.scale_log import EventLog
from regions.models import Regency
from vendors.models import Product, Vendor
from vendors.scale import business_scale

S = Application.Status
SS = Sample.Status
CS = PermitCase.Status
CERT = Certificate.Status

# Share of applications in each state: a funnel — many still early, a fifth approved. Each
# application's path follows the real workflow, so this mix gives about seven log rows per
# application (an approved one alone has 6-7 application, 4 sample and up to 5 permit steps).
FUNNEL = {
    S.DRAFT: 12,
    S.SUBMITTED: 14,
    S.RETURNED: 5,
    S.REJECTED: 12,
    S.SAMPLE_REQUESTED: 7,
    S.IN_CURATION: 6,
    S.PASSED: 2,
    S.CURATION_FAILED: 8,
    S.PERMIT_SUPPORT: 5,
    S.AWAITING_APPROVAL: 2,
    S.APPROVED: 22,
    S.WITHDRAWN: 5,
}
TERMINAL = {S.APPROVED, S.REJECTED, S.WITHDRAWN, S.CURATION_FAILED}
CERTIFICATE_STATES = {CERT.ACTIVE: 93, CERT.SUSPENDED: 5, CERT.REVOKED: 2}
# Vendors without any application yet: the registration queue.
LONE_VENDOR_STATES = {
    Vendor.Status.DRAFT: 40,
    Vendor.Status.SUBMITTED: 30,
    Vendor.Status.RETURNED: 15,
    Vendor.Status.REJECTED: 10,
    Vendor.Status.VERIFIED: 5,
}
# How many applications a vendor has (one per programme at most: the one-chance rule).
APPLICATIONS_PER_VENDOR = {1: 45, 2: 30, 3: 15, 4: 10}
SPAN_DAYS = 540  # the dataset covers the last eighteen months
BATCH = 2000
VENDORS_PER_CHUNK = 2500

OWNER, STAFF, CURATOR, SYSTEM, APPROVER = "owner", "staff", "curator", "system", "approver"
APP, SAMPLE, CASE = "application", "sample", "case"
# The change reason of every historical row written here: history says the row was generated.
REASON = "generate_scale_data"


@dataclass
class Step:
    model: str
    transition: str
    source: str
    target: str
    actor: str
    days: float  # mean delay after the step before it
    note: str = ""
    side: bool = False  # happens after the step before it without delaying the ones after
    at: datetime.datetime | None = None


@dataclass
class Plan:
    """One application to create: its state, the path that led there, and what it rests on."""

    state: str
    vendor_index: int
    product: Product
    programme: Programme
    steps: list[Step]
    created: datetime.datetime = None
    permit_kind: str = ""
    curators: list[Curator] = field(default_factory=list)
    sheets: list = field(default_factory=list)
    application: Application | None = None

    def last(self, model: str) -> Step | None:
        return next((s for s in reversed(self.steps) if s.model == model and s.at), None)

    def first(self, transition: str, model: str = APP) -> Step | None:
        return next(
            (s for s in self.steps if s.model == model and s.transition == transition and s.at),
            None,
        )


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


class ScaleBuilder:
    """Builds scale data in bulk; ``finish()`` writes the certificates, listings and the log."""

    def __init__(
        self,
        *,
        seed: int = 2020,
        size: int = 10_000,
        programmes: int = 4,
        report: Callable[[str], None] | None = None,
        now: datetime.datetime | None = None,
    ):
        self.rng = random.Random(seed)
        self.report = report or (lambda message: None)
        self.now = now or timezone.now()
        self.horizon = self.now - datetime.timedelta(hours=1)
        self.start = self.now - datetime.timedelta(days=SPAN_DAYS)
        # A tag unique to this run keeps usernames unique when data is appended later.
        self.tag = uuid.uuid4().hex[:6]
        self.log = EventLog()
        self.timings: list[tuple[str, float]] = []
        self.counts: dict[str, int] = {}
        self.programme_count = programmes
        self.expected_applications = size
        self._user_serial = 0
        self._approved: list[tuple[int, int, int]] = []
        self._ready = False

    # -- bookkeeping ---------------------------------------------------------------------

    @contextlib.contextmanager
    def timed(self, label: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.timings.append((label, elapsed))
        self.report(f"{label}: {elapsed:.1f} s")

    def _count(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def _days(self, mean: float) -> datetime.timedelta:
        # Exponential waits with a floor: most steps are quick, a few drag on for weeks.
        return datetime.timedelta(days=0.02 + self.rng.expovariate(1 / mean) if mean else 0)

    def _between(self, earliest: datetime.datetime, latest: datetime.datetime):
        if latest <= earliest:
            return earliest
        return earliest + (latest - earliest) * self.rng.random()

    # -- reference data and the people who work on applications -----------------------

    def setup(self) -> None:
        """Load regions and rules, create staff, approvers, assessors, curators, programmes."""
        if self._ready:
            return
        with self.timed("reference data, officers, assessors, programmes"):
            self.system = User.objects.get(username=settings.SYSTEM_USERNAME)
            self.log.usernames[self.system.pk] = self.system.username
            self.groups = {role: Group.objects.get(name=role.value) for role in Role}
            regencies: dict[str, list[str]] = {}
            for code, province_id in Regency.objects.values_list("code", "province_id"):
                regencies.setdefault(province_id, []).append(code)
            self.regencies = regencies
            # More UMKM on Java (provinces 31-36): weight by regencies, Java counted thrice.
            self.province_weights = {
                code: len(codes) * (3 if code.startswith("3") else 1)
                for code, codes in regencies.items()
            }
            self.permit_kinds = dict(PermitRequirement.objects.values_list("category", "kind"))
            self.staff = self._officers(Role.STAFF, max(3, self._scale(1 / 10_000)))
            self.approvers = self._officers(Role.APPROVER, max(2, self._scale(1 / 40_000)))
            self._assessors()
            self._programmes()
            self._reserve_permit_numbers()
        self._ready = True

    def _scale(self, ratio: float) -> int:
        return math.ceil(self.expected_applications * ratio)

    def _make_users(self, prefix: str, count: int, joined) -> list[User]:
        users = []
        for _index in range(count):
            self._user_serial += 1
            first = self.rng.choice(names.FIRST_NAMES)
            last = self.rng.choice(names.LAST_NAMES)
            username = f"{prefix}-{self.tag}-{self._user_serial:06d}"
            users.append(
                User(
                    username=username,
                    email=f"{username}@scale.kurasi.example",
                    first_name=first,
                    last_name=last,
                    # Unusable: generated accounts can never be logged into with a password.
                    password="!",
                    date_joined=joined,
                )
            )
        return users

    def _save_users(self, users: list[User], role: Role) -> list[User]:
        # Owners' join dates are only known once their vendor's path is planned.
        for user in users:
            user.email_verified_at = user.date_joined + datetime.timedelta(minutes=7)
        store(User, users)
        group = self.groups[role].pk
        insert_rows(User.groups.through, ("user", "group"), ((u.pk, group) for u in users))
        for user in users:
            self.log.usernames[user.pk] = user.username
        self._count("users", len(users))
        return users

    def _new_users(self, prefix: str, count: int, role: Role, joined) -> list[User]:
        return self._save_users(self._make_users(prefix, count, joined), role)

    def _officers(self, role: Role, count: int) -> list[User]:
        return self._new_users(role.value, count, role, self.start - datetime.timedelta(days=60))

    def _assessors(self) -> None:
        organisations = max(2, min(8, self._scale(1 / 25_000)))
        per_organisation = max(3, self._scale(1 / (organisations * 500)))
        joined = self.start - datetime.timedelta(days=45)
        self.organisations = []
        self.curators_by_org: dict[int, list[Curator]] = {}
        self.qualified: dict[tuple[int, str], list[Curator]] = {}
        self.leads: dict[int, User] = {}
        categories = [c for c in Product.Category.values if c != Product.Category.OTHER]
        for index in range(organisations):
            lead = self._new_users("lead", 1, Role.CURATOR, joined)[0]
            organisation = AssessorOrganisation(
                name=f"PT Penilai Mutu {self.rng.choice(names.BUSINESS_WORDS)} {self.tag}-{index + 1}",
                description=_("Partner assessor"),
                lead=lead,
            )
            organisation._history_user = self.system
            organisation.save()
            users = self._new_users("curator", per_organisation, Role.CURATOR, joined)
            curators = store(Curator, [Curator(user=u, organisation=organisation) for u in users])
            qualifications = []
            for curator in curators:
                # Everyone does masks; some also other categories.
                chosen = {"cloth_mask", "medical_mask"} | {
                    c for c in categories if self.rng.random() < 0.7
                }
                for category in chosen:
                    qualifications.append(CuratorQualification(curator=curator, category=category))
                    self.qualified.setdefault((organisation.pk, category), []).append(curator)
            CuratorQualification.objects.bulk_create(qualifications, batch_size=BATCH)
            self.organisations.append(organisation)
            self.curators_by_org[organisation.pk] = curators
            self.leads[organisation.pk] = lead
        self.curator_users = {c.pk: c.user_id for cs in self.curators_by_org.values() for c in cs}
        self._count("curators", organisations * per_organisation)

    def _programmes(self) -> None:
        count = self.programme_count
        length = datetime.timedelta(days=SPAN_DAYS / count)
        categories = [c for c in Product.Category.values if c != Product.Category.OTHER]
        self.programmes: list[Programme] = []
        self.windows: list[tuple[datetime.datetime, datetime.datetime]] = []
        for index in range(count):
            opens = self.start + length * index
            # Windows overlap a little; the last one is still open.
            closes = opens + length + datetime.timedelta(days=21)
            programme = Programme(
                name=f"Kurasi APD dan Masker UMKM — Gelombang {index + 1} "
                f"{timezone.localtime(opens).year} ({self.tag})",
                description=_("Generated for performance measurements."),
                categories=categories,
                assessor=self.organisations[index % len(self.organisations)],
                opens_on=timezone.localdate(opens),
                closes_on=timezone.localdate(closes),
                created_at=opens - datetime.timedelta(days=14),
            )
            programme._history_user = self.system
            programme._history_date = programme.created_at
            store(Programme, [programme], history_reason=REASON)
            copy_default_rubrics(programme=programme)
            self.programmes.append(programme)
            self.windows.append((opens, closes))
        self.criteria: dict[tuple[int, str], list[Criterion]] = {}
        for criterion in Criterion.objects.filter(
            rubric__programme__in=self.programmes
        ).select_related("rubric"):
            key = (criterion.rubric.programme_id, criterion.rubric.category)
            self.criteria.setdefault(key, []).append(criterion)
        for criteria in self.criteria.values():
            criteria.sort(key=lambda c: (c.position, c.pk))

    # -- vendors, owners, products ------------------------------------------------------

    def _vendor(self, index: int, owner: User, created, status) -> Vendor:
        rng = self.rng
        if index < len(self.province_weights):
            # The first vendors visit every province, so all 38 appear at any size.
            province = sorted(self.province_weights)[index]
        else:
            province = pick(rng, self.province_weights)
        regency = rng.choice(self.regencies[province])
        form = rng.choices(*zip(*names.BUSINESS_FORMS, strict=True))[0]
        words = rng.sample(names.BUSINESS_WORDS, 2)
        legal = f"{form} {words[0]} {words[1]} {owner.last_name}"
        capital = rng.choice((50, 120, 300, 800, 2_500)) * 1_000_000
        sales = capital * rng.randint(2, 6)
        nik = f"{regency}{rng.randint(1, 40):02d}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}"
        nik += f"{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"
        vendor = Vendor(
            legal_name=legal,
            trading_name=f"{words[0]} {words[1]}" if rng.random() < 0.6 else "",
            nib=f"{rng.randint(10**12, 10**13 - 1)}",
            npwp=f"{rng.randint(10**14, 10**15 - 1)}",
            owner_name=owner.get_full_name(),
            owner_nik=nik,
            phone=f"+628{rng.randint(11, 59)}{rng.randint(10**6, 10**8 - 1)}",
            email=f"usaha.{owner.username}@scale.kurasi.example",
            address=f"Jl. {rng.choice(names.BUSINESS_WORDS)} No. {rng.randint(1, 200)}",
            province_id=province,
            regency_id=regency,
            postal_code=f"{rng.randint(10000, 99999)}",
            capital_rupiah=capital,
            yearly_sales_rupiah=sales,
            business_scale=business_scale(capital=capital, yearly_sales=sales) or "",
            year_founded=rng.randint(1995, 2020),
            workforce=rng.randint(2, 80),
            is_cooperative_member=rng.random() < 0.2,
            status=status,
            created_at=created,
            updated_at=created,
        )
        return vendor

    def _product(self, vendor: Vendor, category: str, created) -> Product:
        rng = self.rng
        _weight, unit, prices, capacities, titles = names.PRODUCTS[category]
        layers = rng.choice((2, 3, 3, 4)) if category == "cloth_mask" else None
        volume = rng.choice((60, 100, 250, 500)) if category == "hand_sanitizer" else None
        return Product(
            vendor=vendor,
            category=category,
            name=rng.choice(titles).format(layers=layers, volume=volume),
            description=_("Generated product for performance measurements."),
            material=rng.choice(names.MATERIALS[category]),
            standard_reference="SNI 8914:2020" if category == "cloth_mask" else "",
            layers=layers,
            size="Dewasa" if category in ("cloth_mask", "medical_mask") else "",
            alcohol_percent=Decimal(rng.choice((60, 62, 70, 75, 80)))
            if category == "hand_sanitizer"
            else None,
            volume_ml=volume,
            shelf_life_months=24 if category == "hand_sanitizer" else None,
            unit=unit,
            capacity_per_month=rng.randrange(*capacities, 100),
            indicative_price=rng.randrange(*prices, 500),
            created_at=created,
            updated_at=created,
        )

    # -- application paths ------------------------------------------------------------

    def _path(self, state: str, permit_kind: str, programme: Programme) -> list[Step]:
        rng = self.rng
        submit = [Step(APP, "submit", S.DRAFT, S.SUBMITTED, OWNER, 3)]
        if state != S.RETURNED and rng.random() < 0.15:
            submit += [
                Step(
                    APP,
                    "return_for_changes",
                    S.SUBMITTED,
                    S.RETURNED,
                    STAFF,
                    4,
                    rng.choice(names.RETURN_REASONS),
                ),
                Step(APP, "resubmit", S.RETURNED, S.SUBMITTED, OWNER, 5),
            ]
        if state == S.DRAFT:
            return []
        if state == S.SUBMITTED:
            return submit
        if state == S.RETURNED:
            return submit + [
                Step(
                    APP,
                    "return_for_changes",
                    S.SUBMITTED,
                    S.RETURNED,
                    STAFF,
                    4,
                    rng.choice(names.RETURN_REASONS),
                )
            ]
        note = _("%(n)s units to %(assessor)s") % {"n": 5, "assessor": programme.assessor}
        sample = submit + [
            Step(APP, "request_sample", S.SUBMITTED, S.SAMPLE_REQUESTED, STAFF, 5, note)
        ]
        tracking = f"{rng.choice(names.COURIERS)} {rng.randint(10**11, 10**12 - 1)}"
        shipped = sample + [Step(SAMPLE, "ship", SS.REQUESTED, SS.SHIPPED, OWNER, 3, tracking)]
        if state == S.SAMPLE_REQUESTED:
            return shipped if rng.random() < 0.6 else sample
        if state == S.WITHDRAWN:
            reason = rng.choice(names.WITHDRAW_REASONS)
            if rng.random() < 0.6:
                return submit + [Step(APP, "withdraw", S.SUBMITTED, S.WITHDRAWN, OWNER, 8, reason)]
            return sample + [
                Step(APP, "withdraw", S.SAMPLE_REQUESTED, S.WITHDRAWN, OWNER, 6, reason)
            ]
        curation = shipped + [
            Step(SAMPLE, "receive", SS.SHIPPED, SS.RECEIVED, CURATOR, 4),
            Step(APP, "receive_sample", S.SAMPLE_REQUESTED, S.IN_CURATION, CURATOR, 0.0005),
        ]
        if state == S.IN_CURATION:
            return curation
        if state == S.REJECTED and rng.random() < 0.6:
            return submit + [
                Step(
                    APP,
                    "reject",
                    S.SUBMITTED,
                    S.REJECTED,
                    STAFF,
                    4,
                    rng.choice(names.REJECT_REASONS),
                )
            ]
        passed = state != S.CURATION_FAILED
        decided = curation + [
            Step(
                APP,
                "pass_curation" if passed else "fail_curation",
                S.IN_CURATION,
                S.PASSED if passed else S.CURATION_FAILED,
                SYSTEM,
                10,
            ),
            Step(SAMPLE, "mark_tested", SS.RECEIVED, SS.TESTED, SYSTEM, 0.0001),
        ]
        closing = (
            Step(SAMPLE, "retain", SS.TESTED, SS.RETAINED, CURATOR, 12, side=True)
            if rng.random() < 0.3
            else Step(SAMPLE, "return_to_vendor", SS.TESTED, SS.RETURNED, CURATOR, 12, side=True)
        )
        decided.append(closing)
        if state in (S.PASSED, S.CURATION_FAILED):
            return decided
        if permit_kind:
            opened = decided + [Step(APP, "open_permit", S.PASSED, S.PERMIT_SUPPORT, STAFF, 4)]
            review = [
                Step(CASE, "submit", CS.PREPARING, CS.SUBMITTED, STAFF, 14),
                Step(CASE, "start_review", CS.SUBMITTED, CS.UNDER_REVIEW, STAFF, 7),
            ]
            if rng.random() < 0.3:
                review += [
                    Step(
                        CASE,
                        "request_info",
                        CS.UNDER_REVIEW,
                        CS.INFO_REQUESTED,
                        STAFF,
                        10,
                        rng.choice(names.INFO_MESSAGES),
                    ),
                    Step(CASE, "resume_review", CS.INFO_REQUESTED, CS.UNDER_REVIEW, STAFF, 8),
                ]
            if state == S.PERMIT_SUPPORT:
                stop = rng.choice((0, 1, 2, len(review)))
                if rng.random() < 0.3:
                    review.insert(
                        2,
                        Step(
                            CASE,
                            "request_info",
                            CS.UNDER_REVIEW,
                            CS.INFO_REQUESTED,
                            STAFF,
                            10,
                            rng.choice(names.INFO_MESSAGES),
                        ),
                    )
                    stop = 3
                return opened + review[:stop]
            if state == S.REJECTED:
                reason = rng.choice(names.PERMIT_REFUSED_REASONS)
                return (
                    opened
                    + review
                    + [
                        Step(CASE, "refuse", CS.UNDER_REVIEW, CS.REFUSED, STAFF, 21, reason),
                        Step(
                            APP,
                            "reject",
                            S.PERMIT_SUPPORT,
                            S.REJECTED,
                            STAFF,
                            0.0005,
                            _("Distribution permit refused: %(reason)s") % {"reason": reason},
                        ),
                    ]
                )
            if rng.random() < 0.3:  # an izin edar the vendor already held, accepted by staff
                review = [Step(CASE, "issue", CS.PREPARING, CS.ISSUED, STAFF, 3)]
            else:
                review.append(Step(CASE, "issue", CS.UNDER_REVIEW, CS.ISSUED, STAFF, 21))
            awaiting = (
                opened
                + review
                + [Step(APP, "permit_issued", S.PERMIT_SUPPORT, S.AWAITING_APPROVAL, STAFF, 0.0005)]
            )
        else:
            if state == S.PERMIT_SUPPORT:
                return decided
            awaiting = decided + [Step(APP, "skip_permit", S.PASSED, S.AWAITING_APPROVAL, STAFF, 4)]
        if state == S.AWAITING_APPROVAL:
            return awaiting
        if state == S.REJECTED:
            return awaiting + [
                Step(
                    APP,
                    "reject",
                    S.AWAITING_APPROVAL,
                    S.REJECTED,
                    APPROVER,
                    4,
                    rng.choice(names.APPROVAL_REJECT_REASONS),
                )
            ]
        return awaiting + [Step(APP, "approve", S.AWAITING_APPROVAL, S.APPROVED, APPROVER, 4)]

    def _schedule(self, plan: Plan) -> None:
        """Place the path in time: inside the programme's window, ending before now.

        Finished applications may lie anywhere in the window; one still waiting entered its
        current state recently (an exponential wait, so a few are overdue), which fixes when it
        started.
        """
        rng = self.rng
        opens, closes = self.windows[self.programmes.index(plan.programme)]
        offsets, total = [], datetime.timedelta(0)
        for step in plan.steps:
            delay = self._days(step.days)
            offsets.append(total + delay)
            if not step.side:
                total += delay
        waiting = plan.state not in TERMINAL
        if waiting:
            stay = self._days(20 if plan.state == S.DRAFT else 6)
            end = self.horizon - stay
            created = end - total
            if created < opens or created > closes:
                created = self._between(opens, min(closes, end))
                if created >= end:  # the window opened after the wait would have begun
                    end = self._between(created, self.horizon)
        else:
            created = self._between(opens, min(closes, self.horizon - total))
            end = created + total
            if created + total > self.horizon:
                end = self._between(created, self.horizon)
        scale = (end - created) / total if total else 1
        plan.created = created
        for step, offset in zip(plan.steps, offsets, strict=True):
            moment = created + offset * scale
            # Side steps keep their own pace and may not have happened yet.
            step.at = moment if moment <= self.horizon else None
            if step.at is None and not step.side:
                step.at = self.horizon - datetime.timedelta(seconds=rng.randint(60, 3600))

    # -- the main entry point -----------------------------------------------------------

    def add_applications(
        self,
        count: int,
        *,
        states: dict | None = None,
        curator: Curator | None = None,
        certificate_states: dict | None = None,
        lone_vendor_share: float = 0.08,
    ) -> None:
        """Create ``count`` applications in the given state mix (the funnel by default).

        With ``curator``, that curator is on every application that has curators (the benches
        fill one curator's workspace). Vendors without applications are added on top, about
        ``lone_vendor_share`` of the vendors, for the registration queue.
        """
        self.setup()
        states = states or FUNNEL
        self.certificate_states = certificate_states or CERTIFICATE_STATES
        self.pinned_curator = curator
        made = 0
        while made < count:
            vendors = []
            while made < count and len(vendors) < VENDORS_PER_CHUNK:
                n = min(pick(self.rng, APPLICATIONS_PER_VENDOR), len(self.programmes), count - made)
                vendors.append([pick(self.rng, states) for _ in range(n)])
                made += n
            lone = int(len(vendors) * lone_vendor_share)
            vendors += [[] for _ in range(lone)]
            self._chunk(vendors)
            self.report(f"  {made:,} of {count:,} applications planned and stored")

    def _chunk(self, vendor_states: list[list[str]]) -> None:
        rng = self.rng
        owners = self._make_users("umkm", len(vendor_states), self.start)
        plans: list[Plan] = []
        vendors: list[Vendor] = []
        products: list[list[Product]] = []
        vendor_steps: list[list[Step]] = []
        for index, (owner, states) in enumerate(zip(owners, vendor_states, strict=True)):
            status = Vendor.Status.VERIFIED if states else pick(rng, LONE_VENDOR_STATES)
            vendor = self._vendor(
                len(vendors) + self.counts.get("vendors", 0), owner, owner.date_joined, status
            )
            vendors.append(vendor)
            categories = list(names.PRODUCTS)
            weights = [names.PRODUCTS[c][0] for c in categories]
            wanted = rng.choices(categories, weights=weights, k=rng.choice((1, 1, 2, 3)))
            if wanted[0] == Product.Category.OTHER:
                wanted[0] = Product.Category.CLOTH_MASK
            own = [self._product(vendor, c, owner.date_joined) for c in wanted]
            products.append(own)
            programmes = rng.sample(range(len(self.programmes)), len(states))
            mine = [
                self._plan(index, state, own, programme_index)
                for state, programme_index in zip(states, sorted(programmes), strict=True)
            ]
            plans += mine
            vendor_steps.append(self._vendor_path(vendor, owner, mine))
        owners = self._save_users(owners, Role.APPLICANT)
        self._store_vendors(owners, vendors, products, vendor_steps)
        self._store_applications(plans, vendors, owners)

    def _plan(self, vendor_index: int, state: str, own: list[Product], programme_index: int):
        programme = self.programmes[programme_index]
        eligible = [p for p in own if p.category != Product.Category.OTHER]
        if state == S.PERMIT_SUPPORT:
            needing = [p for p in eligible if self.permit_kinds.get(p.category)]
            eligible = needing or eligible
        product = self.rng.choice(eligible)
        kind = self.permit_kinds.get(product.category, "")
        plan = Plan(state, vendor_index, product, programme, self._path(state, kind, programme))
        plan.permit_kind = kind
        if state == S.PERMIT_SUPPORT and not kind:
            plan.state = S.PASSED
        self._schedule(plan)
        return plan

    def _vendor_path(self, vendor: Vendor, owner: User, plans: list[Plan]) -> list[Step]:
        """Registration before the first application: submitted, then verified by staff."""
        rng = self.rng
        if plans:
            verified = min(p.created for p in plans) - self._days(3)
        else:
            verified = self._between(self.start, self.horizon)
        submitted = verified - self._days(4)
        created = submitted - self._days(10)
        owner.date_joined = created - datetime.timedelta(minutes=30)
        vendor.created_at = created
        vendor.updated_at = verified
        status = vendor.status
        steps = []
        if status != Vendor.Status.DRAFT:
            steps.append(
                Step(
                    "vendor",
                    "submit",
                    Vendor.Status.DRAFT,
                    Vendor.Status.SUBMITTED,
                    OWNER,
                    0,
                    at=submitted,
                )
            )
            vendor.submitted_at = submitted
        outcome = {
            Vendor.Status.VERIFIED: ("verify", ""),
            Vendor.Status.RETURNED: ("return_for_changes", rng.choice(names.VENDOR_RETURN_REASONS)),
            Vendor.Status.REJECTED: ("reject", rng.choice(names.VENDOR_REJECT_REASONS)),
        }.get(status)
        if outcome:
            steps.append(
                Step(
                    "vendor",
                    outcome[0],
                    Vendor.Status.SUBMITTED,
                    status,
                    STAFF,
                    0,
                    outcome[1],
                    at=verified,
                )
            )
        return steps

    def _actor(self, role: str, plan: Plan | None, owner: User) -> int:
        if role == OWNER:
            return owner.pk
        if role == STAFF:
            return self.rng.choice(self.staff).pk
        if role == APPROVER:
            return self.rng.choice(self.approvers).pk
        if role == SYSTEM:
            return self.system.pk
        if role == CURATOR and plan is not None and plan.curators:
            return self.curator_users[plan.curators[0].pk]
        return self.leads[plan.programme.assessor_id].pk

    def _store_vendors(self, owners, vendors, products, vendor_steps) -> None:
        for owner, vendor in zip(owners, vendors, strict=True):
            vendor._history_user = owner
            vendor._history_date = vendor.updated_at
        store(Vendor, vendors, history_reason=REASON)
        insert_rows(
            Vendor.owners.through,
            ("vendor", "user"),
            ((v.pk, o.pk) for v, o in zip(vendors, owners, strict=True)),
        )
        flat = []
        for owner, vendor, own in zip(owners, vendors, products, strict=True):
            for product in own:
                product.vendor = vendor
                product.created_at = product.updated_at = vendor.created_at
                product._history_user = owner
                product._history_date = vendor.created_at
                flat.append(product)
        store(Product, flat, history_reason=REASON)
        for owner, vendor, steps in zip(owners, vendors, vendor_steps, strict=True):
            self.log.name(Vendor, vendor.pk, vendor.display_name)
            for step in steps:
                actor = self._actor(step.actor, None, owner)
                self.log.add(
                    step.at,
                    Vendor,
                    vendor.pk,
                    step.transition,
                    step.source,
                    step.target,
                    actor,
                    step.note,
                )
        self._count("vendors", len(vendors))
        self._count("products", len(flat))

    def _curators_for(self, plan: Plan) -> list[Curator]:
        organisation = plan.programme.assessor_id
        pool = (
            self.qualified.get((organisation, plan.product.category))
            or self.curators_by_org[organisation]
        )
        wanted = plan.programme.curators_per_application
        chosen = self.rng.sample(pool, min(wanted, len(pool)))
        pinned = self.pinned_curator
        if pinned is not None and pinned.organisation_id == organisation:
            chosen = [pinned] + [c for c in chosen if c.pk != pinned.pk][: wanted - 1]
        return chosen

    def _store_applications(self, plans: list[Plan], vendors, owners) -> None:
        applications = []
        for plan in plans:
            vendor, owner = vendors[plan.vendor_index], owners[plan.vendor_index]
            app_steps = [s for s in plan.steps if s.model == APP and s.at]
            last = app_steps[-1].at if app_steps else plan.created
            submits = [s.at for s in app_steps if s.transition in ("submit", "resubmit")]
            spec = {}
            if submits:
                spec = {name: getattr(plan.product, name) for name in SPEC_FIELDS}
                if spec.get("alcohol_percent") is not None:
                    spec["alcohol_percent"] = str(spec["alcohol_percent"])
                spec["photo_ids"] = []
                spec["frozen_at"] = submits[-1].isoformat()
            has_assessor = any(s.transition == "request_sample" for s in app_steps)
            application = Application(
                programme=plan.programme,
                vendor=vendor,
                product=plan.product,
                status=plan.state,
                specification=spec,
                assessor=plan.programme.assessor if has_assessor else None,
                created_by=owner,
                created_at=plan.created,
                submitted_at=submits[-1] if submits else None,
                status_changed_at=last,
                updated_at=last,
            )
            if has_assessor and plan.state != S.WITHDRAWN:
                plan.curators = self._curators_for(plan)
            self._decide(plan, application)
            application._history_user = owner
            application._history_date = application.updated_at
            plan.application = application
            applications.append(application)
        store(Application, applications, history_reason=REASON)
        self._count("applications", len(applications))
        self._store_curation(plans, owners)
        self._store_permit_cases(plans, owners)
        for plan in plans:
            application = plan.application
            owner = owners[plan.vendor_index]
            self.log.name(
                Application, application.pk, f"{plan.product.name} — {plan.programme.name}"
            )
            for step in plan.steps:
                if step.model != APP or step.at is None:
                    continue
                actor = self._actor(step.actor, plan, owner)
                self.log.add(
                    step.at,
                    Application,
                    application.pk,
                    step.transition,
                    step.source,
                    step.target,
                    actor,
                    step.note,
                )
                if step.transition == "approve":
                    # The certificate names the official whose approval the log records.
                    self._approved.append((step.at, application.pk, actor))

    def _decide(self, plan: Plan, application: Application) -> None:
        """Scores for the curators, and the decision computed from them as the service does."""
        decided = next(
            (s for s in plan.steps if s.transition in ("pass_curation", "fail_curation") and s.at),
            None,
        )
        plan.sheets = []
        if decided is None or not plan.curators:
            return
        rng = self.rng
        passed = decided.transition == "pass_curation"
        criteria = self.criteria[(plan.programme.pk, plan.product.category)]
        specs = [
            scoring.CriterionSpec(c.pk, c.name, c.weight, c.scale_max, c.critical_minimum)
            for c in criteria
        ]
        for _attempt in range(5):
            level = rng.uniform(0.78, 0.97) if passed else rng.uniform(0.35, 0.62)
            sheets = []
            for index in range(1, len(plan.curators) + 1):
                values = {
                    c.id: max(
                        0, min(c.scale_max, round(c.scale_max * (level + rng.uniform(-0.1, 0.1))))
                    )
                    for c in specs
                }
                sheets.append(scoring.Sheet(f"K{index}", Assignment.Role.CURATOR, values))
            result = scoring.decide(
                criteria=specs,
                sheets=sheets,
                pass_mark=plan.programme.pass_mark,
                disagreement_threshold=plan.programme.disagreement_threshold,
            )
            if result["outcome"] == (scoring.PASSED if passed else scoring.FAILED):
                break
        plan.sheets = sheets
        application.decision = result
        decided.note = _("Weighted mean %(mean)s%% against a pass mark of %(mark)s%%.") % {
            "mean": result["mean"],
            "mark": result["pass_mark"],
        }
        if result["critical_failures"]:
            decided.note += " " + _("Below the critical minimum for most curators: %(names)s.") % {
                "names": ", ".join(result["critical_failures"])
            }
        released = decided.at + self._days(3)
        if rng.random() < 0.7 and released < self.horizon:
            application.result_released_at = released
            application.updated_at = max(application.updated_at, released)

    def _store_curation(self, plans: list[Plan], owners) -> None:
        """Samples, assignments and scores, timed by the application's path."""
        rng = self.rng
        samples, assignments, scores = [], [], []
        sample_plans = []
        for plan in plans:
            requested = plan.first("request_sample")
            if requested is None:
                continue
            application = plan.application
            state = plan.last(SAMPLE)
            sample = Sample(
                application=application,
                status=state.target if state else SS.REQUESTED,
                quantity_requested=5,
                instructions=_("Send 5 units with the label attached."),
                created_at=requested.at,
            )
            ship = plan.first("ship", SAMPLE)
            if ship:
                sample.courier, sample.tracking_number = ship.note.split(" ", 1)
                sample.shipped_on = timezone.localdate(ship.at)
            receive = plan.first("receive", SAMPLE)
            if receive:
                sample.quantity_received = 5
                sample.condition_on_arrival = Sample.Condition.GOOD
                sample.received_at = receive.at
            tested = plan.first("mark_tested", SAMPLE)
            sample.tested_at = tested.at if tested else None
            closed = next((s for s in plan.steps if s.model == SAMPLE and s.side and s.at), None)
            sample.closed_at = closed.at if closed else None
            samples.append(sample)
            sample_plans.append(plan)
            if not plan.curators:
                continue
            decided = next(
                (
                    s
                    for s in plan.steps
                    if s.transition in ("pass_curation", "fail_curation") and s.at
                ),
                None,
            )
            after = plan.first("receive_sample")
            until = decided.at if decided else self.horizon
            assigned = requested.at + (((after.at if after else until) - requested.at) * 0.2)
            for index, curator in enumerate(plan.curators):
                assignment = Assignment(
                    application=application,
                    curator=curator,
                    assigned_by_id=self.leads[plan.programme.assessor_id].pk,
                    assigned_at=assigned,
                    no_conflict_declared_at=assigned + self._days(1)
                    if after or rng.random() < 0.6
                    else None,
                )
                if (
                    assignment.no_conflict_declared_at
                    and assignment.no_conflict_declared_at > until
                ):
                    assignment.no_conflict_declared_at = assigned
                if decided:
                    assignment.submitted_at = decided.at - datetime.timedelta(
                        minutes=1 if index == len(plan.curators) - 1 else rng.randint(60, 4000)
                    )
                    assignment.submitted_at = max(assignment.submitted_at, assigned)
                elif after and index == 0 and rng.random() < 0.5:
                    assignment.submitted_at = self._between(after.at, self.horizon)
                assignments.append((assignment, plan, index))
        store(Sample, samples)
        store(Assignment, [a for a, _p, _i in assignments])
        for assignment, plan, index in assignments:
            if assignment.submitted_at is None:
                continue
            criteria = self.criteria[(plan.programme.pk, plan.product.category)]
            sheet = plan.sheets[index].values if plan.sheets else None
            for criterion in criteria:
                value = sheet[criterion.pk] if sheet else rng.randint(2, criterion.scale_max)
                scores.append((assignment.pk, criterion.pk, value, "", assignment.submitted_at))
        insert_rows(Score, ("assignment", "criterion", "value", "note", "updated_at"), scores)
        for sample, plan in zip(samples, sample_plans, strict=True):
            owner = owners[plan.vendor_index]
            self.log.name(
                Sample,
                sample.pk,
                _("Sample for %(application)s")
                % {"application": f"{plan.product.name} — {plan.programme.name}"},
            )
            for step in plan.steps:
                if step.model == SAMPLE and step.at is not None:
                    self.log.add(
                        step.at,
                        Sample,
                        sample.pk,
                        step.transition,
                        step.source,
                        step.target,
                        self._actor(step.actor, plan, owner),
                        step.note,
                    )
        self._count("samples", len(samples))
        self._count("assignments", len(assignments))
        self._count("scores", len(scores))

    def _store_permit_cases(self, plans: list[Plan], owners) -> None:
        rng = self.rng
        cases, requests, case_plans = [], [], []
        for plan in plans:
            opened = plan.first("open_permit")
            if opened is None:
                continue
            last = plan.last(CASE)
            case = PermitCase(
                application=plan.application,
                kind=plan.permit_kind,
                status=last.target if last else CS.PREPARING,
                created_at=opened.at,
                status_changed_at=last.at if last else opened.at,
            )
            submitted = plan.first("submit", CASE)
            if submitted:
                case.kemenkes_reference = f"FO-{rng.randint(10**9, 10**10 - 1)}"
                case.submitted_on = timezone.localdate(submitted.at)
                submitted.note = case.kemenkes_reference
            issued = plan.first("issue", CASE)
            if issued:
                case.existing_permit = issued.source == CS.PREPARING
                self._permit_serial += 1
                case.permit_number = f"KEMENKES RI {plan.permit_kind} {self._permit_serial:011d}"
                issued_on = timezone.localdate(issued.at)
                if case.existing_permit:
                    issued_on -= datetime.timedelta(days=rng.randint(30, 700))
                case.issued_on = issued_on
                # Five years, the longest an izin edar runs; never expired within the data.
                case.valid_until = add_months(issued_on, 60)
                issued.note = case.permit_number
                granted = plan.first("permit_issued")
                if granted:
                    granted.note = case.permit_number
            case._history_user = self.rng.choice(self.staff)
            case._history_date = case.status_changed_at
            cases.append(case)
            case_plans.append(plan)
            if case.status == CS.INFO_REQUESTED:
                asked = plan.last(CASE)
                requests.append(
                    InfoRequest(
                        case=case,
                        message=asked.note,
                        due_on=timezone.localdate(asked.at) + datetime.timedelta(days=14),
                        created_by_id=self._actor(STAFF, plan, owners[plan.vendor_index]),
                        created_at=asked.at,
                    )
                )
        store(PermitCase, cases, history_reason=REASON)
        for request in requests:
            request.case_id = request.case.pk
        store(InfoRequest, requests)
        for case, plan in zip(cases, case_plans, strict=True):
            owner = owners[plan.vendor_index]
            self.log.name(
                PermitCase,
                case.pk,
                _("Permit %(kind)s for %(product)s")
                % {"kind": case.kind, "product": plan.product.name},
            )
            for step in plan.steps:
                if step.model == CASE and step.at is not None:
                    self.log.add(
                        step.at,
                        PermitCase,
                        case.pk,
                        step.transition,
                        step.source,
                        step.target,
                        self._actor(step.actor, plan, owner),
                        step.note,
                    )
        self._count("permit cases", len(cases))

    _permit_serial = 0

    def _reserve_permit_numbers(self) -> None:
        """Continue after the highest generated permit number on file, so numbers stay unique."""
        highest = 0
        for number in PermitCase.objects.exclude(permit_number="").values_list(
            "permit_number", flat=True
        ):
            tail = number.rsplit(" ", 1)[-1]
            if tail.isdigit():
                highest = max(highest, int(tail))
        self._permit_serial = max(highest, 21_600_000_000)

    # -- certificates, listings, the log --------------------------------------------------

    def finish(self) -> None:
        """Issue certificates and listings for the approved applications, then write the log."""
        with self.timed("certificates and listings"):
            self._certify()
        with self.timed(f"transition log ({len(self.log):,} rows, hash chain)"):
            written = self.log.write(self.report)
        self._count("transition log rows", written)

    def _certify(self) -> None:
        """Certificates numbered in order of approval, per year, after the ones on file."""
        approved = sorted(self._approved)
        self._approved = []
        if not approved:
            return
        with transaction.atomic():
            self._certify_all(approved)

    def _certify_all(self, approved: list[tuple]) -> None:
        rng = self.rng
        years = {timezone.localtime(at).year for at, _pk, _by in approved}
        counters = {}
        for year in sorted(years):
            counter, _created = CertificateCounter.objects.select_for_update().get_or_create(
                year=year
            )
            counters[year] = counter
        for start in range(0, len(approved), BATCH):
            batch = approved[start : start + BATCH]
            rows, cases = self._approved_rows([pk for _at, pk, _by in batch])
            certificates, listings, events = [], [], []
            for at, pk, approver in batch:
                application = rows[pk]
                case = cases.get(pk)
                issued_on = timezone.localdate(at)
                valid_until = add_months(
                    issued_on, application.programme.certificate_validity_months
                )
                if case is not None and case.valid_until:
                    valid_until = min(valid_until, case.valid_until)
                counter = counters[issued_on.year]
                counter.last += 1
                status = pick(rng, self.certificate_states)
                certificate = Certificate(
                    number=f"KRS-{issued_on.year}-{counter.last:06d}",
                    application=application,
                    vendor=application.vendor,
                    product=application.product,
                    programme=application.programme,
                    permit_case=case,
                    specification=application.specification,
                    issued_on=issued_on,
                    valid_until=valid_until,
                    approved_by_id=approver,
                    status=status,
                    status_changed_at=at,
                )
                changes = self._certificate_changes(certificate, at)
                certificate._history_user = self.system
                certificate._history_date = certificate.status_changed_at
                certificates.append(certificate)
                events.append(changes)
                listings.append(self._listing(certificate, application, at))
            store(Certificate, certificates, history_reason=REASON)
            for listing, certificate in zip(listings, certificates, strict=True):
                listing.certificate = certificate
                listing._history_user = self.system
                listing._history_date = listing.updated_at
            store(Listing, listings, history_reason=REASON)
            self._delivery_areas(listings)
            for certificate, changes in zip(certificates, events, strict=True):
                self.log.name(Certificate, certificate.pk, certificate.number)
                for moment, name, source, target, actor, note in changes:
                    self.log.add(
                        moment, Certificate, certificate.pk, name, source, target, actor, note
                    )
            self._count("certificates", len(certificates))
            self._count("listings", len(listings))
        for counter in counters.values():
            counter.save(update_fields=["last"])

    def _approved_rows(self, pks: list[int]) -> tuple[dict, dict]:
        """Applications with their vendor, product and programme, and their permit cases.

        Looked up by primary key table by table: one query joining all four makes PostgreSQL
        hash-join whole tables for each batch.
        """
        rows = Application.objects.only(
            "id", "vendor_id", "product_id", "programme_id", "specification"
        ).in_bulk(pks)
        vendors = Vendor.objects.in_bulk({a.vendor_id for a in rows.values()})
        products = Product.objects.in_bulk({a.product_id for a in rows.values()})
        programmes = Programme.objects.in_bulk({a.programme_id for a in rows.values()})
        for application in rows.values():
            application.vendor = vendors[application.vendor_id]
            application.product = products[application.product_id]
            application.programme = programmes[application.programme_id]
        cases = {c.application_id: c for c in PermitCase.objects.filter(application_id__in=pks)}
        return rows, cases

    def _certificate_changes(self, certificate: Certificate, approved_at) -> list[tuple]:
        """What happened to a certificate since approval, for its final state and the log."""
        rng = self.rng
        status = certificate.status
        changes = []
        if status == CERT.ACTIVE and rng.random() < 0.02:
            suspended = self._between(approved_at, self.horizon)
            reinstated = self._between(suspended, self.horizon)
            changes = [
                (
                    suspended,
                    "suspend",
                    CERT.ACTIVE,
                    CERT.SUSPENDED,
                    rng.choice(names.SUSPEND_REASONS),
                ),
                (reinstated, "reinstate", CERT.SUSPENDED, CERT.ACTIVE, _("Complaint resolved.")),
            ]
        elif status == CERT.SUSPENDED:
            changes = [
                (
                    self._between(approved_at, self.horizon),
                    "suspend",
                    CERT.ACTIVE,
                    CERT.SUSPENDED,
                    rng.choice(names.SUSPEND_REASONS),
                )
            ]
        elif status == CERT.REVOKED:
            changes = [
                (
                    self._between(approved_at, self.horizon),
                    "revoke",
                    CERT.ACTIVE,
                    CERT.REVOKED,
                    rng.choice(names.REVOKE_REASONS),
                )
            ]
        if changes:
            certificate.status_changed_at = changes[-1][0]
        return [
            (at, name, src, dst, rng.choice(self.approvers).pk, note)
            for at, name, src, dst, note in changes
        ]

    def _listing(self, certificate: Certificate, application: Application, approved_at) -> Listing:
        rng = self.rng
        vendor, product = application.vendor, application.product
        case = certificate.permit_case
        spec = application.specification or {}
        live = certificate.status == CERT.ACTIVE
        return Listing(
            vendor=vendor,
            product=product,
            status=Listing.Status.LIVE if live else Listing.Status.DELISTED,
            vendor_name=vendor.display_name,
            province_id=vendor.province_id,
            regency_id=vendor.regency_id,
            product_name=spec.get("name") or product.name,
            category=spec.get("category") or product.category,
            description=spec.get("description") or product.description,
            unit=spec.get("unit") or product.unit,
            price=max(1_000, int(round(product.indicative_price * rng.uniform(0.9, 1.15), -2))),
            price_includes_tax=rng.random() < 0.3,
            minimum_order=rng.choice((1, 10, 50, 100, 500)),
            capacity_per_month=product.capacity_per_month,
            tkdn_percent=Decimal(rng.randint(2000, 9000)) / 100 if rng.random() < 0.5 else None,
            business_phone=vendor.phone if rng.random() < 0.4 else "",
            business_email=vendor.email if rng.random() < 0.3 else "",
            certificate_number=certificate.number,
            certificate_valid_until=certificate.valid_until,
            permit_kind=case.kind if case else "",
            permit_number=case.permit_number if case else "",
            created_at=approved_at,
            updated_at=max(approved_at, certificate.status_changed_at),
        )

    def _delivery_areas(self, listings: list[Listing]) -> None:
        """Most vendors deliver everywhere; some name a few provinces, their own first."""
        through = Listing.delivery_provinces.through
        rows = []
        provinces = list(self.province_weights)
        for listing in listings:
            if self.rng.random() < 0.6:
                continue
            chosen = {listing.province_id, *self.rng.sample(provinces, self.rng.randint(0, 4))}
            rows += [(listing.pk, code) for code in chosen]
        insert_rows(through, ("listing", "province"), rows)
