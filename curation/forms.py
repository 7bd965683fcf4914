"""Forms of the curation pages: entering a programme, screening, samples, assignments and the
curator's scoresheet. They parse input only; every rule is checked again by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from curation.models import Application, AssessorOrganisation, Curator, Sample


class EnterProductForm(forms.Form):
    """Pick one of the applicant's own products (already loaded) to enter into a programme."""

    product = forms.TypedChoiceField(label=_("Product"), coerce=int)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = {product.pk: product for product in products}
        self.fields["product"].choices = [
            (product.pk, f"{product.name} — {product.vendor.display_name}") for product in products
        ]

    def clean_product(self):
        return self.products[self.cleaned_data["product"]]


class ShipmentForm(forms.Form):
    courier = forms.CharField(
        label=_("Courier"), max_length=100, help_text=_("E.g. JNE, J&T, Pos Indonesia.")
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    shipped_on = forms.DateField(
        label=_("Shipped on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SampleReceiptForm(forms.Form):
    quantity_received = forms.IntegerField(
        label=_("Units received"),
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    condition = forms.ChoiceField(
        label=_("Condition on arrival"), choices=Sample.Condition.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequestSampleForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Units to send"),
        min_value=1,
        max_value=1000,
        initial=5,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    instructions = forms.CharField(
        label=_("Shipping instructions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where to send the sample and how to pack it."),
    )
    assessor = forms.ModelChoiceField(
        label=_("Assessor"),
        queryset=AssessorOrganisation.objects.order_by("name"),
        required=False,
        empty_label=_("The programme's assessor"),
    )


class CuratorChoiceForm(forms.Form):
    curator = forms.ModelChoiceField(
        label=_("Curator"), queryset=Curator.objects.select_related("organisation")
    )


class EndAssignmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReassignForm(CuratorChoiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class NoConflictForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I have no family, business or work tie to the vendor of this application, and I "
            "will tell the ministry at once if I find one."
        )
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict?"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


BULK_CHOICES = [
    ("request_sample", _("Request a sample")),
    ("return_for_changes", _("Return for changes")),
    ("reject", _("Reject")),
]


class BulkScreenForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label=_("Action"), choices=BULK_CHOICES)
    reason = forms.CharField(
        label=_("Reason for the applicants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset
        self.fields["applications"].error_messages["required"] = _("Tick at least one application.")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("action") in ("return_for_changes", "reject")
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give a reason the applicants can act on."))
        return cleaned


class ScoreSheetForm(forms.Form):
    """One score (0 … top of the scale) and one note per criterion of the rubric."""

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = scores or {}
        for criterion in self.criteria:
            stored = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(str(v), str(v)) for v in range(criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=str(stored.value) if stored else None,
                error_messages={
                    "invalid_choice": _("Choose a score from 0 to %(max)s.")
                    % {"max": criterion.scale_max}
                },
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=stored.note if stored else "",
            )

    def blocks(self) -> list[dict]:
        return [
            {
                "criterion": criterion,
                "score": self[f"score_{criterion.pk}"],
                "note": self[f"note_{criterion.pk}"],
            }
            for criterion in self.criteria
        ]

    def values(self) -> dict:
        """In the shape of ``services.save_scores``: {criterion_id: (value or None, note)}."""
        return {
            criterion.pk: (
                self.cleaned_data[f"score_{criterion.pk}"],
                self.cleaned_data[f"note_{criterion.pk}"],
            )
            for criterion in self.criteria
        }
