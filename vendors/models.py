"""A vendor (the UMKM's business identity), what it makes, and the photos of it.

The vendor's registration is a state machine (django-fsm-2): ``draft → submitted → verified``,
``submitted → returned → submitted``, ``submitted → rejected``, ``verified ⇄ suspended``.
Transitions are run only by ``vendors.services`` through ``audit.workflow``.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from audit.history import ChangedM2MHistory
from audit.workflow import Decision
from config.storage import get_private_storage
from regions.models import Province, Regency
from vendors import permissions
from vendors.scale import BusinessScale

MIN_PHOTOS_FOR_SUBMISSION = 1


class Vendor(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    EDITABLE_STATES = (Status.DRAFT, Status.RETURNED)

    legal_name = models.CharField(_("legal name"), max_length=200)
    trading_name = models.CharField(_("trading name"), max_length=200, blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="vendors", verbose_name=_("owners")
    )
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        help_text=_("Nomor Induk Berusaha: 13 digits, from OSS."),
    )
    npwp = models.CharField(
        _("NPWP"), max_length=16, blank=True, help_text=_("Tax number: 15 or 16 digits.")
    )
    owner_name = models.CharField(_("owner's name"), max_length=150, blank=True)
    owner_nik = models.CharField(
        _("owner's NIK"),
        max_length=16,
        blank=True,
        help_text=_("16-digit national identity number (KTP)."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("business e-mail"), blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency or city"),
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    capital_rupiah = models.PositiveBigIntegerField(
        _("business capital (Rp)"),
        null=True,
        blank=True,
        help_text=_("Capital excluding land and buildings, in rupiah."),
    )
    yearly_sales_rupiah = models.PositiveBigIntegerField(
        _("yearly sales (Rp)"), null=True, blank=True
    )
    business_scale = models.CharField(
        _("business scale"),
        max_length=10,
        choices=BusinessScale.choices,
        blank=True,
        help_text=_("Derived from capital and yearly sales under PP 7/2021."),
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    workforce = models.PositiveIntegerField(_("number of workers"), null=True, blank=True)
    is_cooperative_member = models.BooleanField(_("member of a cooperative"), default=False)
    cooperative_name = models.CharField(_("cooperative name"), max_length=200, blank=True)
    status = FSMField(
        _("registration status"),
        default=Status.DRAFT,
        choices=Status.choices,
        protected=True,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = ChangedM2MHistory(bases=[FSMModelMixin, models.Model], m2m_fields=[owners])

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name

    # Conditions, each explaining what is missing.

    def missing_details(self) -> list[str]:
        required = [
            ("legal_name", _("Legal name is not filled in.")),
            ("nib", _("NIB is not filled in.")),
            ("npwp", _("NPWP is not filled in.")),
            ("owner_name", _("Owner's name is not filled in.")),
            ("owner_nik", _("Owner's NIK is not filled in.")),
            ("phone", _("Phone number is not filled in.")),
            ("address", _("Street address is not filled in.")),
            ("province_id", _("Province is not chosen.")),
            ("regency_id", _("Regency or city is not chosen.")),
            ("postal_code", _("Postal code is not filled in.")),
            ("business_scale", _("Capital or yearly sales is not filled in.")),
            ("year_founded", _("Year founded is not filled in.")),
            ("workforce", _("Number of workers is not filled in.")),
        ]
        return [str(message) for name, message in required if getattr(self, name) in (None, "")]

    def details_complete(self) -> Decision:
        return Decision.from_checks(self.missing_details())

    def has_products_with_photos(self) -> Decision:
        ready = self.products.annotate(n=models.Count("photos")).filter(
            n__gte=MIN_PHOTOS_FOR_SUBMISSION
        )
        if ready.exists():
            return Decision.allow()
        return Decision.deny(gettext("Add at least one product with a photo."))

    def owner_email_verified(self) -> Decision:
        if self.owners.filter(email_verified_at__isnull=False).exists():
            return Decision.allow()
        return Decision.deny(
            gettext("Verify your e-mail address first: open the link we sent you.")
        )

    # Transitions: run only through vendors.services.

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        permission=permissions.can_submit_vendor,
        conditions=[details_complete, has_products_with_photos, owner_email_verified],
        custom={"label": _("Submit for verification")},
    )
    def submit(self):
        """Sent to the ministry for verification."""
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.VERIFIED,
        permission=permissions.can_review_vendor,
        custom={"label": _("Verify")},
    )
    def verify(self):
        """Identity and documents checked by ministry staff."""

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=permissions.can_review_vendor,
        custom={"label": _("Return for changes"), "needs_reason": True},
    )
    def return_for_changes(self):
        """Sent back to the applicant with a reason."""

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission=permissions.can_review_vendor,
        custom={"label": _("Reject"), "needs_reason": True},
    )
    def reject(self):
        """Not eligible; final."""

    @transition(
        field=status,
        source=Status.VERIFIED,
        target=Status.SUSPENDED,
        permission=permissions.can_review_vendor,
        custom={"label": _("Suspend"), "needs_reason": True},
    )
    def suspend(self):
        """Temporarily barred, e.g. while a complaint is investigated."""

    @transition(
        field=status,
        source=Status.SUSPENDED,
        target=Status.VERIFIED,
        permission=permissions.can_review_vendor,
        custom={"label": _("Reinstate"), "needs_reason": True},
    )
    def reinstate(self):
        """Suspension lifted."""


class Product(models.Model):
    class Category(models.TextChoices):
        CLOTH_MASK = "cloth_mask", _("Cloth mask")
        MEDICAL_MASK = "medical_mask", _("Medical mask")
        COVERALL_GOWN = "coverall_gown", _("Coverall / gown")
        FACE_SHIELD = "face_shield", _("Face shield")
        HAND_SANITIZER = "hand_sanitizer", _("Hand sanitizer")
        OTHER = "other", _("Other")

    class Unit(models.TextChoices):
        PIECE = "pcs", _("piece")
        BOX = "box", _("box")
        PACK = "pack", _("pack")
        BOTTLE = "bottle", _("bottle")
        LITRE = "litre", _("litre")
        SET = "set", _("set")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="products", verbose_name=_("vendor")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name = models.CharField(_("product name"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    material = models.CharField(
        _("material"),
        max_length=200,
        blank=True,
        help_text=_("E.g. cotton combed 30s, spunbond 75 gsm."),
    )
    standard_reference = models.CharField(
        _("standard followed"),
        max_length=100,
        blank=True,
        help_text=_("E.g. SNI 8914:2020 for cloth masks."),
    )
    layers = models.PositiveSmallIntegerField(
        _("number of layers"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    size = models.CharField(_("size or dimensions"), max_length=100, blank=True)
    alcohol_percent = models.DecimalField(
        _("alcohol content (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    volume_ml = models.PositiveIntegerField(_("volume per unit (ml)"), null=True, blank=True)
    shelf_life_months = models.PositiveSmallIntegerField(
        _("shelf life (months)"), null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    capacity_per_month = models.PositiveIntegerField(_("production capacity per month"))
    indicative_price = models.PositiveBigIntegerField(
        _("indicative price per unit (Rp)"), help_text=_("Whole rupiah, e.g. 11000.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return self.name


def photo_upload_path(instance, filename: str) -> str:
    # The name is generated; the user's file name is never used.
    return f"photos/{instance.product.vendor_id}/{filename}"


class ProductPhoto(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    image = models.FileField(
        _("image"), upload_to=photo_upload_path, storage=get_private_storage, max_length=255
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=photo_upload_path, storage=get_private_storage, max_length=255
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size_bytes = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.product} · {self.pk}"
