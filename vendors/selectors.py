"""Every read the vendor pages need, scoped to what the user may see and joined up front."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, OuterRef, Prefetch, QuerySet
from django.http import Http404

from accounts.roles import is_ministry_officer
from config.queries import count_of
from vendors import deadlines
from vendors.models import Product, ProductPhoto, Vendor


def vendors_visible_to(user) -> QuerySet[Vendor]:
    if not user.is_authenticated:
        return Vendor.objects.none()
    if is_ministry_officer(user):
        return Vendor.objects.all()
    return Vendor.objects.filter(owners=user)


def vendors_owned_by(user) -> QuerySet[Vendor]:
    """The applicant's own vendors with their products and photo counts, for the portal."""
    return (
        Vendor.objects.filter(owners=user)
        .select_related("province", "regency")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.annotate(photo_count=Count("photos")))
        )
        .order_by("created_at")
    )


def get_vendor_for(user, pk: int) -> Vendor:
    """The vendor if ``user`` may see it; 404 otherwise, so others' vendors stay invisible."""
    try:
        vendor = (
            vendors_visible_to(user)
            .select_related("province", "regency")
            .prefetch_related("owners")
            .get(pk=pk)
        )
    except (Vendor.DoesNotExist, ValueError):
        raise Http404 from None
    vendor._owner_ids = {owner.pk for owner in vendor.owners.all()}
    return vendor


def products_of(vendor: Vendor) -> QuerySet[Product]:
    return (
        vendor.products.annotate(photo_count=Count("photos"))
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("created_at")))
        .order_by("name")
    )


def get_product_for(user, pk: int) -> Product:
    try:
        product = Product.objects.select_related("vendor").get(
            pk=pk, vendor__in=vendors_visible_to(user)
        )
    except (Product.DoesNotExist, ValueError):
        raise Http404 from None
    return product


def get_photo_for(user, pk) -> ProductPhoto:
    try:
        return ProductPhoto.objects.select_related("product__vendor").get(
            pk=pk, product__vendor__in=vendors_visible_to(user)
        )
    except ProductPhoto.DoesNotExist:
        raise Http404 from None


def vendor_review_queue(today: date | None = None) -> QuerySet[Vendor]:
    """Vendors for ministry staff: overdue for verification first, then the oldest submission,
    so nothing waits forever. Each vendor carries ``is_overdue``."""
    return (
        Vendor.objects.exclude(status=Vendor.Status.DRAFT)
        .select_related("province", "regency")
        .annotate(
            # Counted for the vendors of the page only, after the LIMIT (see count_of).
            product_count=count_of(Product.objects.filter(vendor=OuterRef("pk"))),
            is_overdue=deadlines.overdue_flag(today),
        )
        .order_by("-is_overdue", "submitted_at", "pk")
    )


def registration_steps(vendor: Vendor | None, user) -> list[dict]:
    """The portal's progress stepper, from data already loaded (no queries per step)."""
    from django.utils.translation import gettext as _

    products = list(vendor.products.all()) if vendor else []
    status = vendor.status if vendor else None
    after_submit = status in (
        Vendor.Status.SUBMITTED,
        Vendor.Status.VERIFIED,
        Vendor.Status.SUSPENDED,
    )
    steps = [
        (_("Account"), True),
        (_("E-mail verified"), user.email_verified_at is not None),
        (_("Business details"), bool(vendor) and not vendor.missing_details()),
        (_("Products with photos"), any(getattr(p, "photo_count", 0) for p in products)),
        (_("Submitted"), after_submit),
        (_("Verified"), status == Vendor.Status.VERIFIED),
    ]
    current_found = False
    result = []
    for label, done in steps:
        current = not done and not current_found
        current_found = current_found or current
        result.append({"label": label, "done": done, "current": current})
    return result
