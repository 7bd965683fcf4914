"""Filters of the staff vendor queue."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.models import Province
from vendors.deadlines import overdue_review_q
from vendors.models import Vendor
from vendors.scale import BusinessScale


class VendorQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in Vendor.Status.choices if c[0] != "draft"],
        empty_label=_("All"),
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.order_by("name"), empty_label=_("All")
    )
    business_scale = django_filters.ChoiceFilter(
        label=_("Scale"), choices=BusinessScale.choices, empty_label=_("All")
    )
    q = django_filters.CharFilter(label=_("Name or NIB"), method="search")
    overdue = django_filters.BooleanFilter(
        label=_("Only overdue"), widget=forms.CheckboxInput, method="only_overdue"
    )

    class Meta:
        model = Vendor
        fields = ["status", "province", "business_scale"]

    def search(self, queryset, name, value):
        value = value.strip()
        digits = value.replace(" ", "").replace(".", "")
        condition = Q(legal_name__icontains=value) | Q(trading_name__icontains=value)
        if digits.isdigit():
            condition |= Q(nib__startswith=digits)
        return queryset.filter(condition)

    def only_overdue(self, queryset, name, value):
        # The plain condition rather than the sort annotation: it can use (status, submitted_at).
        return queryset.filter(overdue_review_q()) if value else queryset
