"""Forms of the applicant portal and the staff review page.

Identity fields are validated and normalised here (digits only, E.164 phone); every field may be
left empty while the vendor is a draft, and the submit transition says what is still missing.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from regions.models import Province, Regency
from vendors import identity
from vendors.models import Product, Vendor
from vendors.scale import business_scale

HELP_RUPIAH = _("Whole rupiah, without dots.")


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = [
            "legal_name",
            "trading_name",
            "nib",
            "npwp",
            "owner_name",
            "owner_nik",
            "phone",
            "email",
            "address",
            "province",
            "regency",
            "postal_code",
            "capital_rupiah",
            "yearly_sales_rupiah",
            "year_founded",
            "workforce",
            "is_cooperative_member",
            "cooperative_name",
        ]
        widgets = {
            "nib": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "npwp": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "owner_nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "postal_code": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "capital_rupiah": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "yearly_sales_rupiah": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }
        help_texts = {"capital_rupiah": HELP_RUPIAH, "yearly_sales_rupiah": HELP_RUPIAH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Widen the max_length of identity fields: people type them with dots and dashes.
        # The form field already holds a MaxLengthValidator of the model's (digits-only)
        # length; replace it, or "01.234.567.4-123.000" is refused before it is normalised.
        for name in ("nib", "npwp", "owner_nik", "phone"):
            field = self.fields[name]
            field.max_length = 32
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ] + [MaxLengthValidator(32)]
            field.widget.attrs["maxlength"] = 32
        self.fields["province"].queryset = Province.objects.order_by("name")
        province_id = self.data.get(self.add_prefix("province")) or self.instance.province_id
        # Regencies are listed for the chosen province only; a phone need not carry 514 options.
        self.fields["regency"].queryset = (
            Regency.objects.filter(province_id=province_id).order_by("name")
            if province_id
            else Regency.objects.none()
        )

    def _normalise(self, name, normaliser):
        value = self.cleaned_data.get(name, "")
        return normaliser(value) if value else ""

    def clean_nib(self):
        return self._normalise("nib", identity.normalize_nib)

    def clean_npwp(self):
        return self._normalise("npwp", identity.normalize_npwp)

    def clean_owner_nik(self):
        return self._normalise("owner_nik", identity.normalize_nik)

    def clean_phone(self):
        return self._normalise("phone", identity.normalize_phone)

    def clean_postal_code(self):
        return self._normalise("postal_code", identity.normalize_postal_code)

    def clean(self):
        cleaned = super().clean()
        province, regency = cleaned.get("province"), cleaned.get("regency")
        if regency and province and regency.province_id != province.pk:
            self.add_error("regency", _("This regency or city is not in the chosen province."))
        capital, sales = cleaned.get("capital_rupiah"), cleaned.get("yearly_sales_rupiah")
        if capital is not None or sales is not None:
            scale = business_scale(capital=capital, yearly_sales=sales)
            if scale is None:
                raise ValidationError(
                    _(
                        "Kurasi is for micro, small and medium businesses (PP 7/2021): capital "
                        "above Rp10 miliar or yearly sales above Rp50 miliar is not eligible."
                    ),
                    code="not_umkm",
                )
            self.instance.business_scale = scale
        else:
            self.instance.business_scale = ""
        if cleaned.get("is_cooperative_member") and not cleaned.get("cooperative_name"):
            self.add_error("cooperative_name", _("Name the cooperative you are a member of."))
        return cleaned

    def field_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["business_scale"] = self.instance.business_scale
        return values


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "category",
            "name",
            "description",
            "material",
            "standard_reference",
            "layers",
            "size",
            "alcohol_percent",
            "volume_ml",
            "shelf_life_months",
            "unit",
            "capacity_per_month",
            "indicative_price",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "capacity_per_month": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "indicative_price": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        masks = (Product.Category.CLOTH_MASK, Product.Category.MEDICAL_MASK)
        if category in masks and not cleaned.get("layers"):
            self.add_error("layers", _("Give the number of layers of the mask."))
        if category == Product.Category.HAND_SANITIZER:
            alcohol = cleaned.get("alcohol_percent")
            if alcohol is None:
                self.add_error("alcohol_percent", _("Give the alcohol content of the sanitizer."))
            elif alcohol < 60:
                self.add_error(
                    "alcohol_percent",
                    _("A hand sanitizer needs at least 60% alcohol to be effective."),
                )
        if cleaned.get("capacity_per_month") == 0:
            self.add_error("capacity_per_month", _("Capacity must be at least 1."))
        if cleaned.get("indicative_price") == 0:
            self.add_error("indicative_price", _("Price must be at least Rp 1."))
        return cleaned

    def field_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos at once; each is validated by the photo pipeline in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                # An empty selection is a list too; without this, "0 photo(s) added".
                raise ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class PhotoUploadForm(forms.Form):
    photos = MultipleImageField(
        label=_("Photos"),
        help_text=_("JPEG, PNG or WebP; you may pick several photos or take them with the camera."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
