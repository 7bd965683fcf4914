"""Filters of the staff screening queue."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from curation.models import CATEGORY_CHOICES, Application, Programme
from regions.models import Province


class ScreeningQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in Application.Status.choices if c[0] != Application.Status.DRAFT],
        empty_label=_("All"),
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.order_by("-opens_on"), empty_label=_("All")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        field_name="vendor__province",
        queryset=Province.objects.order_by("name"),
        empty_label=_("All"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        field_name="product__category",
        choices=CATEGORY_CHOICES,
        empty_label=_("All"),
    )
    q = django_filters.CharFilter(label=_("Product or vendor"), method="search")

    class Meta:
        model = Application
        fields = ["status", "programme", "province", "category"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(product__name__icontains=value)
            | Q(vendor__legal_name__icontains=value)
            | Q(vendor__trading_name__icontains=value)
        )
