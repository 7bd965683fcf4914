"""Every change to vendors, products and photos.

State changes go through ``audit.workflow.perform_transition`` (permission, conditions, row
lock, history with the actor, hash-chained log); plain edits check the same permissions and
record the actor in history.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from audit.workflow import (
    Decision,
    TransitionRefused,
    check_transition,
    perform_transition,
    require,
)
from vendors import permissions
from vendors.images import process_photo
from vendors.models import Product, ProductPhoto, Vendor


def _transition_with_reason(vendor: Vendor, name: str, *, by, reason: str) -> Vendor:
    """Run a transition that must tell the applicant why; who may run it is checked first."""
    decision = check_transition(vendor, name, by)
    if not decision:
        raise TransitionRefused(decision)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(Decision.deny(_("Give a reason the applicant can act on.")))
    return perform_transition(vendor, name, by=by, note=reason)


def create_vendor(*, by, **fields) -> Vendor:
    with transaction.atomic():
        vendor = Vendor(**fields)
        vendor._history_user = by
        vendor.save()
        vendor.owners.add(by)
    return vendor


def update_vendor(*, vendor: Vendor, by, **fields) -> Vendor:
    # Lock and re-check: the vendor may have been submitted since the form was opened.
    with transaction.atomic():
        locked = Vendor.objects.select_for_update().get(pk=vendor.pk)
        require(permissions.can_edit_vendor(by, locked))
        for name, value in fields.items():
            setattr(locked, name, value)
        locked._history_user = by
        try:
            locked.save()
        except ConcurrentTransition:
            raise PermissionDenied(
                _("The registration changed while you were editing. Reload the page.")
            ) from None
    return locked


def submit_vendor(*, vendor: Vendor, by) -> Vendor:
    return perform_transition(vendor, "submit", by=by)


def verify_vendor(*, vendor: Vendor, by, note: str = "") -> Vendor:
    return perform_transition(vendor, "verify", by=by, note=note.strip())


def return_vendor(*, vendor: Vendor, by, reason: str) -> Vendor:
    return _transition_with_reason(vendor, "return_for_changes", by=by, reason=reason)


def reject_vendor(*, vendor: Vendor, by, reason: str) -> Vendor:
    return _transition_with_reason(vendor, "reject", by=by, reason=reason)


def suspend_vendor(*, vendor: Vendor, by, reason: str) -> Vendor:
    return _transition_with_reason(vendor, "suspend", by=by, reason=reason)


def reinstate_vendor(*, vendor: Vendor, by, reason: str) -> Vendor:
    return _transition_with_reason(vendor, "reinstate", by=by, reason=reason)


def save_product(*, vendor: Vendor, by, product: Product | None = None, **fields) -> Product:
    require(permissions.can_manage_products(by, vendor))
    with transaction.atomic():
        product = product or Product(vendor=vendor)
        if product.vendor_id != vendor.pk:
            raise PermissionDenied(_("This product belongs to another vendor."))
        for name, value in fields.items():
            setattr(product, name, value)
        product._history_user = by
        product.save()
    return product


def delete_product(*, product: Product, by) -> None:
    require(permissions.can_manage_products(by, product.vendor))
    with transaction.atomic():
        photos = list(product.photos.all())
        product._history_user = by
        product.delete()
        transaction.on_commit(lambda: _delete_files(photos))


def add_product_photos(*, product: Product, by, uploads) -> list[ProductPhoto]:
    """Process every upload first; store none unless all are valid (nothing half-saved)."""
    from django.conf import settings

    require(permissions.can_manage_products(by, product.vendor))
    existing = product.photos.count()
    if existing + len(uploads) > settings.PHOTO_MAX_PER_PRODUCT:
        raise ValidationError(
            _("A product may have at most %(n)s photos.") % {"n": settings.PHOTO_MAX_PER_PRODUCT},
            code="too_many_photos",
        )
    errors = []
    processed = []
    for position, upload in enumerate(uploads, start=1):
        try:
            processed.append(process_photo(upload))
        except ValidationError as error:
            errors.append(
                _("Photo %(n)s: %(error)s") % {"n": position, "error": " ".join(error.messages)}
            )
    if errors:
        raise ValidationError(errors)
    saved: list[ProductPhoto] = []
    try:
        with transaction.atomic():
            for item in processed:
                photo = ProductPhoto(
                    product=product,
                    width=item.width,
                    height=item.height,
                    size_bytes=item.image.size,
                    uploaded_by=by,
                )
                photo.image.save(item.image.name, item.image, save=False)
                photo.thumbnail.save(item.thumbnail.name, item.thumbnail, save=False)
                saved.append(photo)
                photo._history_user = by
                photo.save()
    except Exception:
        # The rows rolled back; the files written before the failure must go too.
        _delete_files(saved)
        raise
    return saved


def delete_product_photo(*, photo: ProductPhoto, by) -> None:
    require(permissions.can_manage_products(by, photo.product.vendor))
    with transaction.atomic():
        photo._history_user = by
        photo.delete()
        transaction.on_commit(lambda: _delete_files([photo]))


def _delete_files(photos) -> None:
    for photo in photos:
        for field in (photo.image, photo.thumbnail):
            if field.name:
                field.storage.delete(field.name)
