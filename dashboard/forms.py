"""The dashboard's filter form: which programme, province, category and creation dates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from curation.models import Programme
from dashboard.selectors import DashboardFilters
from regions.models import Province
from vendors.models import Product


class DashboardFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.order_by("-opens_on", "name"),
        required=False,
        empty_label=_("All programmes"),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        required=False,
        empty_label=_("All provinces"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *Product.Category.choices],
        required=False,
    )
    created_from = forms.DateField(
        label=_("Created from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    created_to = forms.DateField(
        label=_("Created until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The first creation date must not be after the last one.")
            )
        return cleaned

    def filters(self) -> DashboardFilters:
        """The filters of a valid form (an unbound form filters nothing)."""
        if not self.is_bound:
            return DashboardFilters()
        data = self.cleaned_data
        return DashboardFilters(
            programme=data["programme"],
            province=data["province"],
            category=data["category"],
            created_from=data["created_from"],
            created_to=data["created_to"],
        )
