"""Conditions of the application transitions, each saying what is missing, and the snapshot
of the product frozen at submission."""

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.workflow import Decision

MIN_PHOTOS = 3
SPEC_FIELDS = (
    "category",
    "name",
    "description",
    "material",
    "standard_reference",
    "layers",
    "size",
    "alcohol_percent",
    "volume_ml",
    "shelf_life_months",
    "unit",
    "capacity_per_month",
    "indicative_price",
)


def specification_of(product) -> dict:
    spec = {}
    for name in SPEC_FIELDS:
        value = getattr(product, name)
        spec[name] = str(value) if value is not None and name == "alcohol_percent" else value
    spec["photo_ids"] = [
        str(pk) for pk in product.photos.order_by("created_at").values_list("pk", flat=True)
    ]
    spec["frozen_at"] = timezone.now().isoformat()
    return spec


def _active_elsewhere(application):
    from curation.models import Application

    return (
        Application.objects.filter(programme=application.programme)
        .exclude(pk=application.pk)
        .exclude(status__in=Application.INACTIVE_STATES)
    )


def ready_to_submit(application) -> Decision:
    from vendors.models import Vendor

    programme, vendor, product = application.programme, application.vendor, application.product
    reasons = []
    if vendor.status not in (Vendor.Status.VERIFIED, Vendor.Status.SUBMITTED):
        reasons.append(_("The business must be submitted for verification or verified first."))
    if product.vendor_id != vendor.pk:
        reasons.append(_("The product does not belong to this vendor."))
    if not programme.is_open():
        reasons.append(
            _("The programme is not open (%(start)s – %(end)s).")
            % {"start": programme.opens_on, "end": programme.closes_on}
        )
    if not programme.accepts(product.category):
        reasons.append(
            _("This programme does not accept %(category)s.")
            % {"category": product.get_category_display()}
        )
    elif not programme.rubrics.filter(category=product.category).exists():
        reasons.append(_("The programme has no rubric for this category yet."))
    photo_count = product.photos.count()
    if photo_count < MIN_PHOTOS:
        reasons.append(
            _("Add at least %(n)s photos of the product (now %(count)s).")
            % {"n": MIN_PHOTOS, "count": photo_count}
        )
    if not product.description.strip():
        reasons.append(_("Describe the product."))
    others = _active_elsewhere(application)
    if programme.quota is not None:
        taken = others.filter(submitted_at__isnull=False).count()
        if taken >= programme.quota:
            reasons.append(
                _("The programme is full (quota %(quota)s).") % {"quota": programme.quota}
            )
    # Like the quota, only applications that were submitted count: a draft holds no chance.
    same = others.filter(vendor=vendor, submitted_at__isnull=False)
    if not programme.one_chance:
        same = same.filter(product=product)
    if same.exists():
        reasons.append(
            _("Only one active application per vendor is allowed in this programme.")
            if programme.one_chance
            else _("This product already has an active application in this programme.")
        )
    return Decision.from_checks(reasons)


def has_assessor(application) -> Decision:
    if application.assessor_id is None:
        return Decision.deny(_("Choose the assessor organisation first."))
    return Decision.allow()


def sample_still_needed(sample) -> Decision:
    """A sample is shipped and received only while its application waits for it."""
    application = sample.application
    if application.status in ("sample_requested", "in_curation"):
        return Decision.allow()
    return Decision.deny(
        _("This sample is no longer needed: the application is “%(state)s”.")
        % {"state": application.get_status_display()}
    )


def all_scores_in(application) -> Decision:
    active = application.assignments.filter(ended_at__isnull=True)
    needed = application.programme.curators_per_application
    submitted = active.filter(submitted_at__isnull=False).count()
    if active.filter(submitted_at__isnull=True).exists() or submitted < needed:
        return Decision.deny(_("Not every assigned curator has submitted scores."))
    return Decision.allow()


def revisions_left(application) -> Decision:
    if application.revision_count >= application.programme.max_revisions:
        return Decision.deny(_("No revision attempts are left in this programme."))
    return Decision.allow()
