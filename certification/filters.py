"""Filters of the staff permit board and the officers' certificate list."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.models import Certificate, PermitCase, PermitKind
from curation.models import Programme


def _names_match(prefix: str, value: str) -> Q:
    return (
        Q(**{f"{prefix}product__name__icontains": value})
        | Q(**{f"{prefix}vendor__legal_name__icontains": value})
        | Q(**{f"{prefix}vendor__trading_name__icontains": value})
    )


class PermitBoardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PermitCase.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Permit kind"), choices=PermitKind.choices, empty_label=_("All")
    )
    q = django_filters.CharFilter(label=_("Product or vendor"), method="search")
    overdue = django_filters.BooleanFilter(
        label=_("Only overdue (information requests or permit support)"),
        widget=forms.CheckboxInput,
        method="only_overdue",
    )

    class Meta:
        model = PermitCase
        fields = ["status", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_names_match("application__", value)) if value else queryset

    def only_overdue(self, queryset, name, value):
        # Both flags are annotated by selectors.permit_board.
        if not value:
            return queryset
        return queryset.filter(Q(has_overdue_request=True) | Q(permit_overdue=True))


class CertificateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Certificate.Status.choices, empty_label=_("All")
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.order_by("-opens_on"), empty_label=_("All")
    )
    q = django_filters.CharFilter(label=_("Number, product or vendor"), method="search")

    class Meta:
        model = Certificate
        fields = ["status", "programme"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(_names_match("", value) | Q(number__iexact=value))
