"""The vendor's terms of sale of a live listing (the specification is not editable here)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import Province
from vendors import identity


class ListingTermsForm(forms.Form):
    price = forms.IntegerField(label=_("Price per unit (Rp)"), min_value=1)
    price_includes_tax = forms.BooleanField(label=_("Price includes VAT"), required=False)
    minimum_order = forms.IntegerField(label=_("Minimum order"), min_value=1)
    capacity_per_month = forms.IntegerField(label=_("Capacity per month"), min_value=1)
    delivery_provinces = forms.ModelMultipleChoiceField(
        label=_("Delivers to"),
        queryset=Province.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to deliver to every province."),
    )
    business_phone = forms.CharField(
        label=_("Published business phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Shown to buyers. Leave empty to publish no phone."),
    )
    business_email = forms.EmailField(
        label=_("Published business e-mail"),
        required=False,
        help_text=_("Shown to buyers. Leave empty to publish no e-mail."),
    )

    @classmethod
    def for_listing(cls, listing, data=None):
        initial = {
            "price": listing.price,
            "price_includes_tax": listing.price_includes_tax,
            "minimum_order": listing.minimum_order,
            "capacity_per_month": listing.capacity_per_month,
            "delivery_provinces": [p.pk for p in listing.delivery_provinces.all()],
            "business_phone": listing.business_phone,
            "business_email": listing.business_email,
        }
        return cls(data, initial=initial)

    def clean_business_phone(self):
        value = self.cleaned_data.get("business_phone", "").strip()
        return identity.normalize_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        minimum, capacity = cleaned.get("minimum_order"), cleaned.get("capacity_per_month")
        if minimum and capacity and capacity < minimum:
            self.add_error(
                "capacity_per_month", _("The monthly capacity cannot be below the minimum order.")
            )
        return cleaned
