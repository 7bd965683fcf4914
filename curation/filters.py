"""Filters of the staff screening queue."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from curation.models import CATEGORY_CHOICES, Application, Programme
from regions.models import Province

SORT_ORDER = {
    "waiting": ("status_changed_at", "pk"),
    "recent": ("-status_changed_at", "-pk"),
}
SORT_CHOICES = [
    ("waiting", _("Longest waiting first")),
    ("recent", _("Most recent first")),
]


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
    overdue = django_filters.BooleanFilter(
        label=_("Only overdue"), widget=forms.CheckboxInput, method="only_overdue"
    )
    # Empty (the default) keeps the selector's order: overdue first, then the longest waiting.
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=SORT_CHOICES,
        empty_label=_("Overdue first"),
        method="sort_by",
    )

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

    def only_overdue(self, queryset, name, value):
        # ``is_overdue`` is annotated by selectors.screening_queue from deadlines.overdue_q.
        return queryset.filter(is_overdue=True) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDER[value]) if value in SORT_ORDER else queryset
