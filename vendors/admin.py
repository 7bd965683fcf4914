from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import HistoryEvidenceAdmin, ServiceFSMAdminMixin
from vendors import services
from vendors.models import Product, ProductPhoto, Vendor


class AdminReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


class ProductInline(admin.TabularInline):
    model = Product
    fields = ("name", "category", "unit", "capacity_per_month", "indicative_price")
    extra = 0
    show_change_link = True


@admin.register(Vendor)
class VendorAdmin(ServiceFSMAdminMixin, HistoryEvidenceAdmin):
    list_display = ("display_name", "nib", "province", "business_scale", "status", "submitted_at")
    list_filter = ("status", "business_scale", "province")
    search_fields = ("legal_name", "trading_name", "nib")
    list_select_related = ("province",)
    autocomplete_fields = ("owners",)
    raw_id_fields = ("regency",)
    inlines = [ProductInline]
    fsm_fields = ["status"]
    fsm_forms = {
        name: AdminReasonForm for name in ("return_for_changes", "reject", "suspend", "reinstate")
    }
    fsm_services = {
        "submit": lambda obj, by: services.submit_vendor(vendor=obj, by=by),
        "verify": lambda obj, by: services.verify_vendor(vendor=obj, by=by),
        "return_for_changes": lambda obj, by, reason: services.return_vendor(
            vendor=obj, by=by, reason=reason
        ),
        "reject": lambda obj, by, reason: services.reject_vendor(vendor=obj, by=by, reason=reason),
        "suspend": lambda obj, by, reason: services.suspend_vendor(
            vendor=obj, by=by, reason=reason
        ),
        "reinstate": lambda obj, by, reason: services.reinstate_vendor(
            vendor=obj, by=by, reason=reason
        ),
    }


@admin.register(Product)
class ProductAdmin(HistoryEvidenceAdmin):
    list_display = ("name", "vendor", "category", "unit", "capacity_per_month", "indicative_price")
    list_filter = ("category",)
    search_fields = ("name", "vendor__legal_name")
    list_select_related = ("vendor",)


@admin.register(ProductPhoto)
class ProductPhotoAdmin(HistoryEvidenceAdmin):
    list_display = ("pk", "product", "width", "height", "size_bytes", "created_at")
    list_select_related = ("product",)
    readonly_fields = ("image", "thumbnail", "width", "height", "size_bytes", "uploaded_by")

    def has_add_permission(self, request):
        # Photos enter only through the pipeline that validates and cleans them.
        return False
