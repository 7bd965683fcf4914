"""Filters of the public catalogue search: what a buyer narrows the live listings by."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Listing
from regions.models import Province
from vendors.models import Product


class WholeNumberFilter(django_filters.NumberFilter):
    """Rupiah and quantities are whole numbers: "12.5" is a form error, not a filter."""

    field_class = forms.IntegerField


class ListingFilter(django_filters.FilterSet):
    SORTS = {
        "price": ("price", "pk"),
        "-price": ("-price", "-pk"),
        "-capacity": ("-capacity_per_month", "-pk"),
        "newest": ("-created_at", "-pk"),
    }

    q = django_filters.CharFilter(label=_("Product or vendor"), method="search")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Product.Category.choices, empty_label=_("All")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.order_by("name"), empty_label=_("All")
    )
    price_min = WholeNumberFilter(
        label=_("Price from (Rp)"), field_name="price", lookup_expr="gte", min_value=0
    )
    price_max = WholeNumberFilter(
        label=_("Price up to (Rp)"), field_name="price", lookup_expr="lte", min_value=0
    )
    capacity_min = WholeNumberFilter(
        label=_("Capacity per month at least"),
        field_name="capacity_per_month",
        lookup_expr="gte",
        min_value=0,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest")),
            ("price", _("Price: low to high")),
            ("-price", _("Price: high to low")),
            ("-capacity", _("Capacity: largest first")),
        ],
        empty_label=None,
        method="order",
    )

    class Meta:
        model = Listing
        fields = ["q", "category", "province"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(product_name__icontains=value) | Q(vendor_name__icontains=value))

    def order(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, self.SORTS["newest"]))
