"""Forms of the certification pages. They parse input only; the services check every rule again
(permit number and dates, document type and size, who may act) and say why when they refuse."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.workdays import add_working_days

DOCUMENT_TYPES = "application/pdf,image/jpeg,image/png,image/webp"
# What staff usually give a vendor to answer Kemenkes, offered so nobody counts by hand.
INFO_REQUEST_WORKING_DAYS = 10


def _date_input() -> forms.DateInput:
    # ISO format so that the browser's date picker shows initial and re-displayed values.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class OpenPermitCaseForm(forms.Form):
    existing_permit = forms.BooleanField(
        label=_("The vendor already holds this permit (staff check it and record its number)"),
        required=False,
    )


class DocumentUploadForm(forms.Form):
    """One file for a checklist item: a PDF or a photo chosen from the phone, or a photo taken
    now. Two inputs, because ``capture`` makes some phones open the camera only, which would
    leave no way to pick a PDF."""

    file = forms.FileField(
        label=_("PDF, or a JPEG/PNG scan"),
        required=False,
        widget=forms.FileInput(attrs={"accept": DOCUMENT_TYPES}),
    )
    photo = forms.FileField(
        label=_("Or take a photo of the document"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("photo"):
            raise forms.ValidationError(_("Choose a file or take a photo of the document."))
        return cleaned

    @property
    def upload(self):
        return self.cleaned_data.get("file") or self.cleaned_data.get("photo")


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubmitCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Kemenkes submission reference"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The number Regalkes gave the submission."),
    )
    submitted_on = forms.DateField(
        label=_("Submitted on"),
        required=False,
        widget=_date_input(),
        help_text=_("Empty: today."),
    )


class InfoRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What Kemenkes asks the vendor"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(
        label=_("Answer due on"),
        widget=_date_input(),
        # Callable, so the date is counted from the day the form is shown.
        initial=lambda: add_working_days(timezone.localdate(), INFO_REQUEST_WORKING_DAYS),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled here, not at import, so that it reads in the language of this request.
        self.fields["due_on"].help_text = ngettext(
            "Offered: %(days)d working day from today (weekends, public holidays and joint"
            " leave days not counted). Change it if Kemenkes set another date.",
            "Offered: %(days)d working days from today (weekends, public holidays and joint"
            " leave days not counted). Change it if Kemenkes set another date.",
            INFO_REQUEST_WORKING_DAYS,
        ) % {"days": INFO_REQUEST_WORKING_DAYS}


class InfoResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IssuePermitForm(forms.Form):
    permit_number = forms.CharField(
        label=_("Permit number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=_date_input())
    valid_until = forms.DateField(label=_("Valid until"), widget=_date_input())

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        example = f"KEMENKES RI {kind or 'AKD'} 21603020123"
        self.fields["permit_number"].widget.attrs["placeholder"] = example
        self.fields["permit_number"].help_text = _(
            "As printed on the permit, e.g. %(example)s."
        ) % {"example": example}


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Approval note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "KRS-2026-000123", "autocapitalize": "characters"}
        ),
    )
