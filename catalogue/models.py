"""The public purchasing catalogue: one Listing per certified product.

A listing is live exactly while its certificate is active; it is created, withdrawn and
restored by ``catalogue.services`` inside the transaction that changes the certificate (never by
a periodic sync). A withdrawn listing stays as a row with status ``delisted``: it is the feed's
tombstone, so a mirror learns that the product left the catalogue.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import ChangedM2MHistory
from certification.models import Certificate
from regions.models import Province, Regency
from vendors.models import Product, Vendor


class Listing(models.Model):
    class Status(models.TextChoices):
        LIVE = "live", _("In the catalogue")
        DELISTED = "delisted", _("Delisted")

    certificate = models.OneToOneField(
        Certificate,
        on_delete=models.PROTECT,
        related_name="listing",
        verbose_name=_("certificate"),
    )
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="listings", verbose_name=_("vendor")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="listings", verbose_name=_("product")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LIVE
    )
    vendor_name = models.CharField(_("vendor"), max_length=200)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency or city"),
    )
    product_name = models.CharField(_("product"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Product.Category.choices)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Product.Unit.choices)
    price = models.PositiveBigIntegerField(_("price per unit (Rp)"))
    price_includes_tax = models.BooleanField(_("price includes VAT"), default=False)
    minimum_order = models.PositiveIntegerField(
        _("minimum order"), default=1, validators=[MinValueValidator(1)]
    )
    capacity_per_month = models.PositiveIntegerField(_("capacity per month"))
    delivery_provinces = models.ManyToManyField(
        Province,
        blank=True,
        related_name="+",
        verbose_name=_("delivers to"),
        help_text=_("Empty: delivers to every province."),
    )
    tkdn_percent = models.DecimalField(
        _("local content (TKDN %)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    business_phone = models.CharField(_("published business phone"), max_length=20, blank=True)
    business_email = models.EmailField(_("published business e-mail"), blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=20)
    certificate_valid_until = models.DateField(_("certificate valid until"))
    permit_kind = models.CharField(_("permit kind"), max_length=3, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("listed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), db_index=True)
    history = ChangedM2MHistory(excluded_fields=["updated_at"], m2m_fields=[delivery_provinces])

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="listing_feed_order"),
            models.Index(fields=["status", "category", "price"], name="listing_search"),
            # The public search page's sort orders over live listings (docs/performance.md):
            # without them each page view sorts every live listing to show 24.
            models.Index(fields=["status", "created_at", "id"], name="listing_newest"),
            models.Index(fields=["status", "price", "id"], name="listing_by_price"),
            models.Index(fields=["status", "capacity_per_month", "id"], name="listing_by_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} — {self.vendor_name}"


def listing_photo_path(instance, filename: str) -> str:
    return f"listings/{instance.listing_id}/{filename}"


class ListingPhoto(models.Model):
    """A public copy of a product photo, made only when the product is listed."""

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="photos", verbose_name=_("listing")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    image = models.FileField(_("image"), upload_to=listing_photo_path, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=listing_photo_path, max_length=255)

    class Meta:
        verbose_name = _("listing photo")
        verbose_name_plural = _("listing photos")
        ordering = ["listing", "position"]

    def __str__(self) -> str:
        return f"{self.listing} #{self.position}"
