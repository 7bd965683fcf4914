"""Every change to listings: following certificates, and the vendor's own terms of sale.

``sync_listing`` is the only code that makes a listing live or delisted; it runs inside the
transaction of the certificate change (see ``catalogue.subscribers``), so if either fails both
roll back.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Listing, ListingPhoto
from certification.models import Certificate
from vendors.models import ProductPhoto
from vendors.permissions import is_owner

# The certificate's relations a listing copies from.
_COPIED = ("vendor", "product", "permit_case")


def _fill_from_certificate(listing: Listing, certificate: Certificate) -> None:
    spec = certificate.specification or {}
    vendor, product = certificate.vendor, certificate.product
    listing.vendor = vendor
    listing.product = product
    listing.vendor_name = vendor.display_name
    listing.province_id = vendor.province_id
    listing.regency_id = vendor.regency_id
    listing.product_name = spec.get("name") or product.name
    listing.category = spec.get("category") or product.category
    listing.description = spec.get("description") or product.description
    listing.unit = spec.get("unit") or product.unit
    listing.certificate_number = certificate.number
    listing.certificate_valid_until = certificate.valid_until
    case = certificate.permit_case
    listing.permit_kind = case.kind if case else ""
    listing.permit_number = case.permit_number if case else ""


def _publish_photos(listing: Listing, certificate: Certificate) -> None:
    """Copy the certified photos into public storage; only listed products have public photos."""
    ids = (certificate.specification or {}).get("photo_ids") or []
    photos = {str(p.pk): p for p in ProductPhoto.objects.filter(pk__in=ids)}
    public = storages["default"]
    for position, photo_id in enumerate(ids):
        photo = photos.get(photo_id)
        if photo is None:
            continue
        copy = ListingPhoto(listing=listing, position=position)
        for field_name in ("image", "thumbnail"):
            source = getattr(photo, field_name)
            with source.open("rb") as handle:
                name = public.save(
                    f"listings/{listing.pk}/{source.name.rsplit('/', 1)[-1]}",
                    ContentFile(handle.read()),
                )
            getattr(copy, field_name).name = name
        copy.save()


def _withdraw_photos(listing: Listing) -> None:
    photos = list(listing.photos.all())
    if not photos:
        return
    ListingPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()

    def delete_files():
        for photo in photos:
            for field in (photo.image, photo.thumbnail):
                if field.name:
                    field.storage.delete(field.name)

    transaction.on_commit(delete_files)


def sync_listing(*, certificate: Certificate, actor) -> Listing | None:
    """Make the certificate's listing live while it is active and delisted otherwise."""
    # No savepoint of its own: a failure here must undo the certificate change it follows
    # (the signal is sent with ``send``, so it does), and a savepoint costs two more round trips
    # on every certificate transition.
    with transaction.atomic(savepoint=False):
        rows = Listing.objects.select_for_update(of=("self",)).filter(certificate=certificate)
        # A relisted listing copies from the certificate's vendor, product and permit case: read
        # them with the listing's lock (on approval the new certificate already holds them).
        copies = certificate.status == Certificate.Status.ACTIVE and not all(
            Certificate._meta.get_field(name).is_cached(certificate) for name in _COPIED
        )
        if copies:
            rows = rows.select_related(*(f"certificate__{name}" for name in _COPIED))
        listing = rows.first()
        if copies:
            certificate = (
                listing.certificate
                if listing is not None
                else Certificate.objects.select_related(*_COPIED).get(pk=certificate.pk)
            )
        now = timezone.now()
        if certificate.status == Certificate.Status.ACTIVE:
            created = listing is None
            if created:
                spec = certificate.specification or {}
                listing = Listing(
                    certificate=certificate,
                    price=spec.get("indicative_price") or certificate.product.indicative_price,
                    capacity_per_month=spec.get("capacity_per_month")
                    or certificate.product.capacity_per_month,
                )
            restored = listing.status == Listing.Status.DELISTED
            _fill_from_certificate(listing, certificate)
            listing.status = Listing.Status.LIVE
            listing.updated_at = now
            listing._history_user = actor
            listing.save()
            if created or restored:
                _publish_photos(listing, certificate)
            return listing
        if listing is not None and listing.status == Listing.Status.LIVE:
            listing.status = Listing.Status.DELISTED
            listing.updated_at = now
            listing._history_user = actor
            listing.save(update_fields=["status", "updated_at"])
            _withdraw_photos(listing)
        return listing


def update_listing_terms(
    *,
    listing: Listing,
    by,
    price: int,
    price_includes_tax: bool,
    minimum_order: int,
    capacity_per_month: int,
    delivery_provinces,
    business_phone: str = "",
    business_email: str = "",
) -> Listing:
    """The vendor's terms of sale; the specification itself needs a new application."""
    if not is_owner(by, listing.vendor):
        raise PermissionDenied(_("Only the vendor's owners may change this listing."))
    errors = []
    if price is None or price < 1:
        errors.append(_("The price must be at least Rp 1."))
    if minimum_order is None or minimum_order < 1:
        errors.append(_("The minimum order must be at least 1."))
    if capacity_per_month is None or capacity_per_month < 1:
        errors.append(_("The capacity must be at least 1 per month."))
    elif minimum_order and capacity_per_month < minimum_order:
        errors.append(_("The monthly capacity cannot be below the minimum order."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        if locked.status != Listing.Status.LIVE:
            raise PermissionDenied(_("This product is not in the catalogue now."))
        locked.price = price
        locked.price_includes_tax = price_includes_tax
        locked.minimum_order = minimum_order
        locked.capacity_per_month = capacity_per_month
        locked.business_phone = business_phone
        locked.business_email = business_email
        locked.updated_at = timezone.now()
        locked._history_user = by
        locked.save()
        locked.delivery_provinces.set(delivery_provinces)
    return locked
