"""The e-mail preferences form: one choice per kind of notification the person can receive."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import APPLICANT, APPROVER, CURATOR, STAFF, Kind
from notifications.models import EmailPreference

AUDIENCE_LABELS = {
    APPLICANT: _("For your business and applications"),
    CURATOR: _("For your curation work"),
    STAFF: _("For ministry staff work"),
    APPROVER: _("For approvals"),
}


class EmailPreferencesForm(forms.Form):
    """Built from the kinds a person can receive, so that nobody is asked about other roles."""

    def __init__(self, *args, kinds: list[Kind], current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=EmailPreference.Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.code, EmailPreference.Delivery.IMMEDIATE),
            )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields grouped by the role they belong to, in the order of the kinds."""
        grouped: dict[str, list[forms.BoundField]] = {}
        for kind in self.kinds:
            grouped.setdefault(kind.audience, []).append(self[kind.code])
        return [
            (AUDIENCE_LABELS.get(audience, audience), fields)
            for audience, fields in grouped.items()
        ]
