"""Curation: programmes (a call or wave), the application lifecycle, assessors, samples, rubrics
and scores.

An Application is one product of one vendor in one programme; its state machine is the funnel
of DESIGN.md. States after ``passed`` belong to the certification stage, which drives them
through its own services; they are declared here so the graph is whole. Every transition runs
through ``curation.services`` (and later ``certification.services``) via
``audit.workflow.perform_transition``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from curation import permissions, rules
from vendors.models import Product, Vendor

CATEGORY_CHOICES = Product.Category.choices


class AssessorOrganisation(models.Model):
    """A partner assessor (e.g. the company running the Karya Nusantara programme)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_assessor_organisations",
        verbose_name=_("lead"),
        help_text=_("May assign the organisation's curators to applications."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessor organisation")
        verbose_name_plural = _("assessor organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Curator(models.Model):
    """A person who scores samples for an assessor organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="curator_profile",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        AssessorOrganisation,
        on_delete=models.PROTECT,
        related_name="curators",
        verbose_name=_("organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("curator")
        verbose_name_plural = _("curators")

    def __str__(self) -> str:
        return str(self.user)


class CuratorQualification(models.Model):
    curator = models.ForeignKey(
        Curator, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("curator")
    )
    category = models.CharField(_("product category"), max_length=20, choices=CATEGORY_CHOICES)

    class Meta:
        verbose_name = _("curator qualification")
        verbose_name_plural = _("curator qualifications")
        constraints = [
            models.UniqueConstraint(fields=["curator", "category"], name="unique_qualification")
        ]

    def __str__(self) -> str:
        return f"{self.curator}: {self.get_category_display()}"


def validate_expected_days(value) -> None:
    """A mapping of application state → whole working days (0–365); anything else is refused."""
    if not isinstance(value, dict):
        raise ValidationError(_("Give a mapping of state code to a number of working days."))
    known = {code for code, _label in Application.Status.choices}
    for state, days in value.items():
        if state not in known:
            raise ValidationError(
                _("“%(state)s” is not a state of an application."), params={"state": state}
            )
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 365:
            raise ValidationError(
                _("The working days for “%(state)s” must be a whole number from 0 to 365."),
                params={"state": state},
            )


def default_expected_days() -> dict:
    # Working days, counted by config.workdays.
    return {
        "submitted": 5,
        "returned": 10,
        "sample_requested": 10,
        "in_curation": 10,
        "passed": 5,
        "permit_support": 60,
        "awaiting_approval": 5,
    }


class Programme(models.Model):
    """A curation call or wave, e.g. "Kurasi APD dan Masker UMKM — Gelombang I 2020"."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    categories = models.JSONField(
        _("product categories accepted"),
        default=list,
        help_text=_("Codes of the product categories this programme accepts."),
    )
    assessor = models.ForeignKey(
        AssessorOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("partner assessor"),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    quota = models.PositiveIntegerField(
        _("quota"),
        null=True,
        blank=True,
        help_text=_("Most applications accepted; empty: no limit."),
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Weighted mean of the curators' scores, as a percentage of the scale."),
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("When curators' totals differ by more, a moderator curator is added."),
    )
    curators_per_application = models.PositiveSmallIntegerField(
        _("curators per application"), default=2, validators=[MinValueValidator(1)]
    )
    max_revisions = models.PositiveSmallIntegerField(_("maximum revision attempts"), default=1)
    one_chance = models.BooleanField(
        _("one chance per vendor"),
        default=True,
        help_text=_("A vendor may hold only one active application in this programme."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Never beyond the validity of the product's distribution permit."),
    )
    expected_days = models.JSONField(
        _("expected maximum working days per state"),
        default=default_expected_days,
        blank=True,
        validators=[validate_expected_days],
        help_text=_(
            "State code → working days (weekends, public holidays and joint leave days do not"
            " count). An application longer in a state is shown as overdue."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-opens_on", "name"]

    def __str__(self) -> str:
        return self.name

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def accepts(self, category: str) -> bool:
        return category in (self.categories or [])

    def category_labels(self) -> list[str]:
        labels = dict(CATEGORY_CHOICES)
        return [str(labels.get(code, code)) for code in self.categories or []]


class Rubric(models.Model):
    """Criteria for one product category; ``programme`` empty means a default to copy from."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rubrics",
        verbose_name=_("programme"),
    )
    category = models.CharField(_("product category"), max_length=20, choices=CATEGORY_CHOICES)
    name = models.CharField(_("name"), max_length=200)
    standard = models.CharField(_("standard"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "category"], name="one_rubric_per_programme_category"
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(programme__isnull=True),
                name="one_default_rubric_per_category",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance for curators"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("top of the scale"), default=5, validators=[MinValueValidator(1)]
    )
    critical_minimum = models.PositiveSmallIntegerField(
        _("critical minimum"),
        null=True,
        blank=True,
        help_text=_("If set, a score below this by most curators fails the application."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Application(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Rejected")
        SAMPLE_REQUESTED = "sample_requested", _("Sample requested")
        IN_CURATION = "in_curation", _("In curation")
        PASSED = "passed", _("Passed curation")
        CURATION_FAILED = "curation_failed", _("Failed curation")
        PERMIT_SUPPORT = "permit_support", _("Permit support")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Ended applications do not count against the quota or the one-chance rule.
    INACTIVE_STATES = (Status.WITHDRAWN, Status.REJECTED)
    BEFORE_APPROVAL = [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.SAMPLE_REQUESTED,
        Status.IN_CURATION,
        Status.PASSED,
        Status.CURATION_FAILED,
        Status.PERMIT_SUPPORT,
        Status.AWAITING_APPROVAL,
    ]

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("programme"),
    )
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="applications", verbose_name=_("vendor")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="applications", verbose_name=_("product")
    )
    status = FSMField(
        _("status"),
        default=Status.DRAFT,
        choices=Status.choices,
        protected=True,
        db_index=True,
    )
    specification = models.JSONField(
        _("specification as submitted"),
        default=dict,
        blank=True,
        help_text=_("Frozen at submission: later product edits do not change what is curated."),
    )
    assessor = models.ForeignKey(
        AssessorOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("assessor"),
    )
    revision_count = models.PositiveSmallIntegerField(_("revisions used"), default=0)
    needs_moderation = models.BooleanField(_("needs moderation"), default=False)
    decision = models.JSONField(_("decision computation"), default=dict, blank=True)
    result_released_at = models.DateTimeField(_("result released at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(bases=[FSMModelMixin, models.Model])

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["vendor", "programme"]),
            # The dashboard's overdue work (curation.deadlines.overdue_q: programme, state, in
            # it since before a cutoff) counted and listed from the index alone.
            models.Index(
                fields=["programme", "status", "status_changed_at", "id"],
                name="application_overdue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.programme}"

    @property
    def reference(self) -> str:
        return f"KUR-{self.pk:06d}" if self.pk else ""

    def _moved(self):
        self.status_changed_at = timezone.now()

    # Applicant

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=permissions.can_act_as_applicant,
        conditions=[rules.ready_to_submit],
        custom={"label": _("Submit to the programme")},
    )
    def submit(self):
        self.specification = rules.specification_of(self.product)
        self.submitted_at = timezone.now()
        self._moved()

    @transition(
        field=status,
        source=Status.RETURNED,
        target=Status.SUBMITTED,
        permission=permissions.can_act_as_applicant,
        conditions=[rules.ready_to_submit],
        custom={"label": _("Resubmit")},
    )
    def resubmit(self):
        self.specification = rules.specification_of(self.product)
        self.submitted_at = timezone.now()
        self._moved()

    @transition(
        field=status,
        source=BEFORE_APPROVAL,
        target=Status.WITHDRAWN,
        permission=permissions.can_act_as_applicant,
        custom={"label": _("Withdraw")},
    )
    def withdraw(self):
        self._moved()

    # Staff screening

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=permissions.can_screen,
        custom={"label": _("Return for changes"), "needs_reason": True},
    )
    def return_for_changes(self):
        self._moved()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission=permissions.can_screen,
        custom={"label": _("Reject"), "needs_reason": True},
    )
    @transition(
        field=status,
        source=Status.AWAITING_APPROVAL,
        target=Status.REJECTED,
        permission=permissions.can_approve,
        custom={"label": _("Reject"), "needs_reason": True},
    )
    # Kemenkes refused the permit: the product cannot be approved (certification drives this).
    @transition(
        field=status,
        source=Status.PERMIT_SUPPORT,
        target=Status.REJECTED,
        permission=permissions.can_screen,
        custom={"label": _("Reject"), "needs_reason": True},
    )
    def reject(self):
        self._moved()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.SAMPLE_REQUESTED,
        permission=permissions.can_screen,
        conditions=[rules.has_assessor],
        custom={"label": _("Request a sample")},
    )
    def request_sample(self):
        self._moved()

    # Assessor

    @transition(
        field=status,
        source=Status.SAMPLE_REQUESTED,
        target=Status.IN_CURATION,
        permission=permissions.can_receive_sample,
        custom={"label": _("Sample received")},
    )
    def receive_sample(self):
        self._moved()

    # Decided from the scores by the system, never typed in.

    @transition(
        field=status,
        source=Status.IN_CURATION,
        target=Status.PASSED,
        permission=permissions.is_system,
        conditions=[rules.all_scores_in],
        custom={"label": _("Passed curation")},
    )
    def pass_curation(self):
        self._moved()

    @transition(
        field=status,
        source=Status.IN_CURATION,
        target=Status.CURATION_FAILED,
        permission=permissions.is_system,
        conditions=[rules.all_scores_in],
        custom={"label": _("Failed curation")},
    )
    def fail_curation(self):
        self._moved()

    @transition(
        field=status,
        source=Status.CURATION_FAILED,
        target=Status.DRAFT,
        permission=permissions.can_screen,
        conditions=[rules.revisions_left],
        custom={"label": _("Allow a revision")},
    )
    def allow_revision(self):
        self.revision_count += 1
        self.needs_moderation = False
        self.decision = {}
        self.result_released_at = None
        self._moved()

    # Certification stage (driven by certification.services).

    @transition(
        field=status,
        source=Status.PASSED,
        target=Status.PERMIT_SUPPORT,
        permission=permissions.can_screen,
        custom={"label": _("Open permit support")},
    )
    def open_permit(self):
        self._moved()

    @transition(
        field=status,
        source=Status.PASSED,
        target=Status.AWAITING_APPROVAL,
        permission=permissions.can_screen,
        custom={"label": _("No permit needed: send for approval")},
    )
    def skip_permit(self):
        self._moved()

    @transition(
        field=status,
        source=Status.PERMIT_SUPPORT,
        target=Status.AWAITING_APPROVAL,
        permission=permissions.can_screen,
        custom={"label": _("Permit issued")},
    )
    def permit_issued(self):
        self._moved()

    @transition(
        field=status,
        source=Status.AWAITING_APPROVAL,
        target=Status.APPROVED,
        permission=permissions.can_approve,
        custom={"label": _("Approve")},
    )
    def approve(self):
        self._moved()


class Assignment(models.Model):
    """A curator assigned to score one application; ended assignments are kept, not deleted."""

    class Role(models.TextChoices):
        CURATOR = "curator", _("Curator")
        MODERATOR = "moderator", _("Moderator")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("application"),
    )
    curator = models.ForeignKey(
        Curator, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("curator")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CURATOR)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    no_conflict_declared_at = models.DateTimeField(
        _("no conflict of interest declared at"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "curator"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assignment_per_curator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.curator} → {self.application}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Score(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assignment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(_("score"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Sample(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SHIPPED = "shipped", _("Shipped")
        RECEIVED = "received", _("Received")
        TESTED = "tested", _("Tested")
        RETURNED = "returned", _("Returned to the vendor")
        RETAINED = "retained", _("Retained")

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        DAMAGED = "damaged", _("Damaged")
        INCOMPLETE = "incomplete", _("Incomplete")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="samples", verbose_name=_("application")
    )
    status = FSMField(_("status"), default=Status.REQUESTED, choices=Status.choices, protected=True)
    quantity_requested = models.PositiveSmallIntegerField(
        _("units requested"), default=5, validators=[MinValueValidator(1)]
    )
    instructions = models.TextField(_("shipping instructions"), blank=True)
    courier = models.CharField(_("courier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    quantity_received = models.PositiveSmallIntegerField(_("units received"), null=True, blank=True)
    condition_on_arrival = models.CharField(
        _("condition on arrival"), max_length=12, choices=Condition.choices, blank=True
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    tested_at = models.DateTimeField(_("tested at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("returned or retained at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    history = HistoricalRecords(bases=[FSMModelMixin, models.Model])

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Sample for %(application)s") % {"application": self.application}

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.SHIPPED,
        permission=permissions.can_ship_sample,
        conditions=[rules.sample_still_needed],
        custom={"label": _("Record shipment")},
    )
    def ship(self, *, courier: str, tracking_number: str, shipped_on):
        self.courier = courier
        self.tracking_number = tracking_number
        self.shipped_on = shipped_on

    # A parcel can arrive before the applicant records the shipment; the curator still logs it.
    @transition(
        field=status,
        source=[Status.REQUESTED, Status.SHIPPED],
        target=Status.RECEIVED,
        permission=permissions.can_handle_sample,
        conditions=[rules.sample_still_needed],
        custom={"label": _("Record receipt")},
    )
    def receive(self, *, quantity_received: int, condition: str, notes: str = ""):
        self.quantity_received = quantity_received
        self.condition_on_arrival = condition
        if notes:
            self.notes = notes
        self.received_at = timezone.now()

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.TESTED,
        permission=permissions.can_handle_sample_or_system,
        custom={"label": _("Testing done")},
    )
    def mark_tested(self):
        self.tested_at = timezone.now()

    @transition(
        field=status,
        source=Status.TESTED,
        target=Status.RETURNED,
        permission=permissions.can_handle_sample,
        custom={"label": _("Returned to the vendor")},
    )
    def return_to_vendor(self):
        self.closed_at = timezone.now()

    @transition(
        field=status,
        source=Status.TESTED,
        target=Status.RETAINED,
        permission=permissions.can_handle_sample,
        custom={"label": _("Retained")},
    )
    def retain(self):
        self.closed_at = timezone.now()
