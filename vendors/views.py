"""Applicant portal and staff review pages for vendors (function-based views).

Each view parses input, calls one selector or one service and renders; permission answers
come from ``vendors.permissions`` and objects the user may not see are 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role
from audit.selectors import latest_transition, timeline_for
from audit.workflow import TransitionRefused, check_transition
from vendors import permissions, selectors, services
from vendors.deadlines import review_deadline
from vendors.files import PHOTO_VARIANTS, serve_photo
from vendors.filters import VendorQueueFilter
from vendors.forms import PhotoUploadForm, ProductForm, ReasonForm, VendorForm
from vendors.models import Vendor
from vendors.portal import sections_for


def _refuse(decision):
    raise PermissionDenied(decision.reason)


@login_required
def portal(request):
    vendors = list(selectors.vendors_owned_by(request.user))
    cards = [{"vendor": v, "steps": selectors.registration_steps(v, request.user)} for v in vendors]
    return render(
        request,
        "vendors/portal.html",
        {
            "cards": cards,
            "steps": selectors.registration_steps(None, request.user) if not vendors else None,
            "can_register": has_role(request.user, Role.APPLICANT),
            "sections": sections_for(request.user),
        },
    )


@login_required
def vendor_create(request):
    if not has_role(request.user, Role.APPLICANT):
        raise PermissionDenied(_("Only UMKM applicants may register a business."))
    form = VendorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        vendor = services.create_vendor(by=request.user, **form.field_values())
        messages.success(request, _("Business saved. Now add your products with photos."))
        return redirect("vendors:detail", pk=vendor.pk)
    return render(request, "vendors/vendor_form.html", {"form": form})


@login_required
def vendor_edit(request, pk):
    vendor = selectors.get_vendor_for(request.user, pk)
    decision = permissions.can_edit_vendor(request.user, vendor)
    if not decision:
        _refuse(decision)
    form = VendorForm(request.POST or None, instance=vendor)
    if request.method == "POST" and form.is_valid():
        services.update_vendor(vendor=vendor, by=request.user, **form.field_values())
        messages.success(request, _("Business details saved."))
        return redirect("vendors:detail", pk=vendor.pk)
    return render(request, "vendors/vendor_form.html", {"form": form, "vendor": vendor})


REVIEW_ACTIONS = {
    "verify": services.verify_vendor,
    "return_for_changes": services.return_vendor,
    "reject": services.reject_vendor,
    "suspend": services.suspend_vendor,
    "reinstate": services.reinstate_vendor,
}


@login_required
def vendor_detail(request, pk):
    vendor = selectors.get_vendor_for(request.user, pk)
    user = request.user
    is_owner = permissions.is_owner(user, vendor)
    review_actions = []
    if has_role(user, Role.STAFF):
        for name in REVIEW_ACTIONS:
            decision = check_transition(vendor, name, user)
            if decision:
                transition = getattr(vendor, name)._django_fsm.get_transition(vendor.status)
                review_actions.append(
                    {
                        "name": name,
                        "label": transition.custom["label"],
                        "needs_reason": transition.custom.get("needs_reason"),
                    }
                )
    context = {
        "vendor": vendor,
        "is_owner": is_owner,
        "products": selectors.products_of(vendor),
        "timeline": timeline_for(vendor),
        "can_edit": permissions.can_edit_vendor(user, vendor),
        "can_manage_products": permissions.can_manage_products(user, vendor),
        "submit_check": check_transition(vendor, "submit", user) if is_owner else None,
        "review_actions": review_actions,
        "reason_form": ReasonForm(),
        "last_reason": latest_transition(vendor)
        if vendor.status
        in (Vendor.Status.RETURNED, Vendor.Status.REJECTED, Vendor.Status.SUSPENDED)
        else None,
    }
    return render(request, "vendors/vendor_detail.html", context)


@login_required
@require_POST
def vendor_submit(request, pk):
    vendor = selectors.get_vendor_for(request.user, pk)
    try:
        services.submit_vendor(vendor=vendor, by=request.user)
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("Submitted. Ministry staff will verify your business."))
    return redirect("vendors:detail", pk=vendor.pk)


@login_required
@require_POST
def vendor_review(request, pk, action):
    vendor = selectors.get_vendor_for(request.user, pk)
    service = REVIEW_ACTIONS.get(action)
    if service is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        # Nothing happens on a reason that cannot be kept (too long, NUL bytes): acting
        # without it would record a decision with its reason silently dropped.
        for error in form.errors.get("reason", []):
            messages.error(request, f"{form['reason'].label}: {error}")
        return redirect("vendors:detail", pk=vendor.pk)
    reason = form.cleaned_data["reason"]
    try:
        if action == "verify":
            service(vendor=vendor, by=request.user, note=reason)
        else:
            service(vendor=vendor, by=request.user, reason=reason)
    except TransitionRefused as refused:
        for message in refused.reasons:
            messages.error(request, message)
    else:
        vendor.refresh_from_db()
        messages.success(
            request, _("The vendor is now “%(state)s”.") % {"state": vendor.get_status_display()}
        )
    return redirect("vendors:detail", pk=vendor.pk)


@login_required
def product_edit(request, vendor_pk, pk=None):
    vendor = selectors.get_vendor_for(request.user, vendor_pk)
    decision = permissions.can_manage_products(request.user, vendor)
    if not decision:
        _refuse(decision)
    product = None
    if pk is not None:
        product = selectors.get_product_for(request.user, pk)
        if product.vendor_id != vendor.pk:
            raise Http404
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        product = services.save_product(
            vendor=vendor, by=request.user, product=product, **form.field_values()
        )
        messages.success(request, _("Product saved."))
        return redirect("vendors:product_photos", pk=product.pk)
    return render(
        request, "vendors/product_form.html", {"form": form, "vendor": vendor, "product": product}
    )


@login_required
@require_POST
def product_delete(request, pk):
    product = selectors.get_product_for(request.user, pk)
    services.delete_product(product=product, by=request.user)
    messages.success(request, _("Product deleted."))
    return redirect("vendors:detail", pk=product.vendor_id)


@login_required
def product_photos(request, pk):
    product = selectors.get_product_for(request.user, pk)
    vendor = product.vendor
    can_manage = permissions.can_manage_products(request.user, vendor)
    form = PhotoUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            _refuse(can_manage)
        if form.is_valid():
            try:
                saved = services.add_product_photos(
                    product=product, by=request.user, uploads=form.cleaned_data["photos"]
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("photos", message)
            else:
                messages.success(request, _("%(n)s photo(s) added.") % {"n": len(saved)})
                return redirect("vendors:product_photos", pk=product.pk)
    photos = product.photos.order_by("created_at")
    return render(
        request,
        "vendors/product_photos.html",
        {
            "product": product,
            "vendor": vendor,
            "photos": photos,
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def photo_delete(request, pk):
    photo = selectors.get_photo_for(request.user, pk)
    services.delete_product_photo(photo=photo, by=request.user)
    messages.success(request, _("Photo removed."))
    return redirect("vendors:product_photos", pk=photo.product_id)


@login_required
def photo_file(request, pk, variant):
    """A private photo, handed out only after the permission check; never from a public URL."""
    if variant not in PHOTO_VARIANTS:
        raise Http404
    return serve_photo(selectors.get_photo_for(request.user, pk), variant)


@login_required
def review_queue(request):
    if not has_role(request.user, Role.STAFF) and not has_role(request.user, Role.APPROVER):
        raise PermissionDenied(_("Only ministry officers may see the review queue."))
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = Vendor.Status.SUBMITTED
    today = timezone.localdate()
    queue = VendorQueueFilter(data, queryset=selectors.vendor_review_queue(today))
    page = Paginator(queue.qs, 25).get_page(request.GET.get("page"))
    rows = [
        {"vendor": vendor, "deadline": review_deadline(vendor, today)}
        for vendor in page.object_list
    ]
    return render(
        request, "vendors/review_queue.html", {"filter": queue, "page": page, "rows": rows}
    )
