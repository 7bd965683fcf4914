from django.contrib import admin

from audit.admin_mixins import HistoryEvidenceAdmin
from catalogue.models import Listing


@admin.register(Listing)
class ListingAdmin(HistoryEvidenceAdmin):
    """Listings follow certificates and the vendor's own terms; the operator may only record
    the local-content (TKDN) figure, which comes from the Kemenperin certificate."""

    list_display = (
        "product_name",
        "vendor_name",
        "province",
        "category",
        "price",
        "status",
        "updated_at",
    )
    list_filter = ("status", "category", "province")
    search_fields = ("product_name", "vendor_name", "certificate_number")
    list_select_related = ("province",)
    fields = (
        "product_name",
        "vendor_name",
        "category",
        "status",
        "price",
        "minimum_order",
        "capacity_per_month",
        "certificate_number",
        "certificate_valid_until",
        "permit_kind",
        "permit_number",
        "tkdn_percent",
        "updated_at",
    )
    readonly_fields = tuple(f for f in fields if f != "tkdn_percent")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        # A changed figure must reach feed mirrors: it moves the listing in the feed order.
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
