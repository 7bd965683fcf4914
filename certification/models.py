"""Certification: the Ministry of Health distribution permit (izin edar) case with its document
checklist, and the certificate issued when an official approves a curated product.

PermitCase: ``preparing_documents → submitted → under_review ⇄ info_requested → issued |
refused``, ``issued → expired``; a permit the vendor already holds is recorded on a case and
accepted by staff (``preparing_documents → issued``). Certificate: ``active ⇄ suspended``,
``active|suspended → revoked``, ``active → expired``. Transitions run only through
``certification.services``.
"""

import re
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from certification import permissions, rules
from config.storage import get_private_storage
from curation.models import CATEGORY_CHOICES, Application, Programme
from vendors.models import Product, Vendor

# [0-9], not \d: \d also matches full-width and other Unicode digits.
PERMIT_NUMBER_RE = re.compile(r"^KEMENKES RI (AKD|AKL|PKD|PKL) ([0-9]{11})$")


class PermitKind(models.TextChoices):
    AKD = "AKD", _("AKD — domestic medical device")
    AKL = "AKL", _("AKL — imported medical device")
    PKD = "PKD", _("PKD — domestic household health supply (PKRT)")
    PKL = "PKL", _("PKL — imported household health supply (PKRT)")


class PermitRequirement(models.Model):
    """Whether a product category needs an izin edar, and of which kind (data, not code)."""

    category = models.CharField(
        _("product category"), max_length=20, choices=CATEGORY_CHOICES, unique=True
    )
    kind = models.CharField(
        _("permit kind"),
        max_length=3,
        choices=PermitKind.choices,
        blank=True,
        help_text=_("Empty: this category needs no distribution permit."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permit requirement")
        verbose_name_plural = _("permit requirements")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.kind or '—'}"


class ChecklistItem(models.Model):
    """One document of the checklist of a permit kind."""

    kind = models.CharField(_("permit kind"), max_length=3, choices=PermitKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("document"), max_length=200)
    description = models.TextField(_("what is needed"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_checklist_code")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"


class PermitCase(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing_documents", _("Preparing documents")
        SUBMITTED = "submitted", _("Submitted to Kemenkes")
        UNDER_REVIEW = "under_review", _("Under review at Kemenkes")
        INFO_REQUESTED = "info_requested", _("Information requested")
        ISSUED = "issued", _("Issued")
        REFUSED = "refused", _("Refused")
        EXPIRED = "expired", _("Expired")

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="permit_case",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("permit kind"), max_length=3, choices=PermitKind.choices)
    status = FSMField(
        _("status"),
        default=Status.PREPARING,
        choices=Status.choices,
        protected=True,
        db_index=True,
    )
    existing_permit = models.BooleanField(_("the vendor already holds this permit"), default=False)
    kemenkes_reference = models.CharField(_("Kemenkes reference"), max_length=100, blank=True)
    submitted_on = models.DateField(_("submitted to Kemenkes on"), null=True, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    history = HistoricalRecords(bases=[FSMModelMixin, models.Model])

    class Meta:
        verbose_name = _("permit case")
        verbose_name_plural = _("permit cases")
        ordering = ["status_changed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit_number"],
                condition=~models.Q(permit_number=""),
                name="unique_permit_number",
            )
        ]

    def __str__(self) -> str:
        return _("Permit %(kind)s for %(product)s") % {
            "kind": self.kind,
            "product": self.application.product,
        }

    def _moved(self):
        self.status_changed_at = timezone.now()

    @transition(
        field=status,
        source=Status.PREPARING,
        target=Status.SUBMITTED,
        permission=permissions.can_run_case,
        conditions=[rules.documents_verified, rules.not_existing_permit],
        custom={"label": _("Submitted to Kemenkes")},
    )
    def submit(self, *, reference: str, submitted_on):
        self.kemenkes_reference = reference
        self.submitted_on = submitted_on
        self._moved()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        permission=permissions.can_run_case,
        custom={"label": _("Review started")},
    )
    def start_review(self):
        self._moved()

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.INFO_REQUESTED,
        permission=permissions.can_run_case,
        custom={"label": _("Information requested")},
    )
    def request_info(self):
        self._moved()

    @transition(
        field=status,
        source=Status.INFO_REQUESTED,
        target=Status.UNDER_REVIEW,
        permission=permissions.can_run_case,
        custom={"label": _("Information sent, review resumed")},
    )
    def resume_review(self):
        self._moved()

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.ISSUED,
        permission=permissions.can_run_case,
        custom={"label": _("Permit issued")},
    )
    @transition(
        field=status,
        source=Status.PREPARING,
        target=Status.ISSUED,
        permission=permissions.can_run_case,
        conditions=[rules.is_existing_permit],
        custom={"label": _("Existing permit accepted")},
    )
    def issue(self, *, permit_number: str, issued_on, valid_until):
        self.permit_number = permit_number
        self.issued_on = issued_on
        self.valid_until = valid_until
        self._moved()

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.REFUSED,
        permission=permissions.can_run_case,
        custom={"label": _("Permit refused"), "needs_reason": True},
    )
    def refuse(self):
        self._moved()

    @transition(
        field=status,
        source=Status.ISSUED,
        target=Status.EXPIRED,
        permission=permissions.is_system,
        conditions=[rules.permit_date_passed],
        custom={"label": _("Permit expired")},
    )
    def expire(self):
        self._moved()


class InfoRequest(models.Model):
    """Kemenkes asked for more information; the applicant answers by the due date."""

    case = models.ForeignKey(
        PermitCase, on_delete=models.CASCADE, related_name="info_requests", verbose_name=_("case")
    )
    message = models.TextField(_("message to the applicant"))
    due_on = models.DateField(_("due on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    response = models.TextField(_("applicant's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def is_overdue(self) -> bool:
        return self.closed_at is None and self.due_on < timezone.localdate()


def document_upload_path(instance, filename: str) -> str:
    # Generated name: the user's file name is never used.
    return f"permits/{instance.case_id}/{filename}"


class PermitDocument(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        PermitCase, on_delete=models.CASCADE, related_name="documents", verbose_name=_("case")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    file = models.FileField(
        _("file"), upload_to=document_upload_path, storage=get_private_storage, max_length=255
    )
    content_type = models.CharField(_("file type"), max_length=40)
    size_bytes = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.CharField(_("why it was rejected"), max_length=500, blank=True)
    is_current = models.BooleanField(
        _("current version"),
        default=True,
        help_text=_("A re-upload replaces the current version; older versions are kept."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permit document")
        verbose_name_plural = _("permit documents")
        ordering = ["case", "item__position", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "item"],
                condition=models.Q(is_current=True),
                name="one_current_document_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.name} ({self.get_review_display()})"


class CertificateCounter(models.Model):
    """The last certificate number of a year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certificate counter")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Certificate(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("application"),
    )
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("vendor")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("product")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("programme"),
    )
    permit_case = models.ForeignKey(
        PermitCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("permit"),
    )
    specification = models.JSONField(_("specification as certified"), default=dict)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approval_note = models.TextField(_("approval note"), blank=True)
    status = FSMField(
        _("status"), default=Status.ACTIVE, choices=Status.choices, protected=True, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    history = HistoricalRecords(bases=[FSMModelMixin, models.Model])

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        # The certificate list pages in this order (docs/performance.md).
        indexes = [models.Index(fields=["issued_on", "id"], name="certificate_newest")]

    def __str__(self) -> str:
        return self.number

    def _moved(self):
        self.status_changed_at = timezone.now()

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.SUSPENDED,
        permission=permissions.can_manage_certificate,
        custom={"label": _("Suspend"), "needs_reason": True},
    )
    def suspend(self):
        self._moved()

    @transition(
        field=status,
        source=Status.SUSPENDED,
        target=Status.ACTIVE,
        permission=permissions.can_reinstate_certificate,
        conditions=[rules.certificate_still_valid, rules.permit_still_valid],
        custom={"label": _("Reinstate"), "needs_reason": True},
    )
    def reinstate(self):
        self._moved()

    @transition(
        field=status,
        source=[Status.ACTIVE, Status.SUSPENDED],
        target=Status.REVOKED,
        permission=permissions.can_manage_certificate,
        custom={"label": _("Revoke"), "needs_reason": True},
    )
    def revoke(self):
        self._moved()

    @transition(
        field=status,
        source=[Status.ACTIVE, Status.SUSPENDED],
        target=Status.EXPIRED,
        permission=permissions.is_system,
        conditions=[rules.certificate_date_passed],
        custom={"label": _("Expired")},
    )
    def expire(self):
        self._moved()
