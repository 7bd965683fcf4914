"""Every kind of notification Kurasi sends: who it is for, its title and its message.

Texts are lazy translations filled from the notification's stored parameters when shown, so
the same notification reads in Bahasa Indonesia or English as its reader chooses. Dates are
stored as ISO strings and application states as codes; both are shown in the reader's language.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    audience: str
    label: Promise
    title: Promise
    body: Promise
    dates: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def _values(self, params: dict) -> dict:
        values = {key: str(value) for key, value in (params or {}).items()}
        for key in self.dates:
            if values.get(key):
                with suppress(ValueError):
                    values[key] = date_format(date.fromisoformat(values[key]), "j F Y")
        if self.states:
            from curation.models import Application

            labels = dict(Application.Status.choices)
            for key in self.states:
                if key in values:
                    values[key] = str(labels.get(values[key], values[key]))
        if self.categories:
            from vendors.models import Product

            labels = dict(Product.Category.choices)
            for key in self.categories:
                if key in values:
                    values[key] = str(labels.get(values[key], values[key]))
        return values

    def render(self, params: dict) -> tuple[str, str]:
        """Title and message in the active language; a missing parameter shows as "?"."""
        values = _Lenient(self._values(params))
        return str(self.title) % values, str(self.body) % values


class _Lenient(dict):
    def __missing__(self, key):
        return "?"


APPLICANT, CURATOR, STAFF, APPROVER = "applicant", "curator", "staff", "approver"

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        # Applicants
        Kind(
            "vendor_verified",
            APPLICANT,
            _("Business verified"),
            _("%(vendor)s is verified"),
            _("Your business is verified. You can now enter your products in a programme."),
        ),
        Kind(
            "vendor_returned",
            APPLICANT,
            _("Business registration returned for changes"),
            _("%(vendor)s: changes needed"),
            _("The ministry returned your business registration: %(reason)s"),
        ),
        Kind(
            "vendor_rejected",
            APPLICANT,
            _("Business registration rejected"),
            _("%(vendor)s was not accepted"),
            _("The ministry rejected your business registration: %(reason)s"),
        ),
        Kind(
            "application_returned",
            APPLICANT,
            _("Application returned for changes"),
            _("%(reference)s returned for changes"),
            _("Your application for %(product)s needs changes: %(reason)s"),
        ),
        Kind(
            "application_rejected",
            APPLICANT,
            _("Application rejected"),
            _("%(reference)s rejected"),
            _("Your application for %(product)s was rejected: %(reason)s"),
        ),
        Kind(
            "sample_requested",
            APPLICANT,
            _("Sample requested"),
            _("Please send a sample of %(product)s"),
            _(
                "Application %(reference)s passed screening. Send a sample to the assessor and"
                " record the courier and tracking number: %(instructions)s"
            ),
        ),
        Kind(
            "curation_passed",
            APPLICANT,
            _("Curation result: passed"),
            _("%(product)s passed curation"),
            _("Application %(reference)s passed curation. The scores and notes are on its page."),
        ),
        Kind(
            "curation_failed",
            APPLICANT,
            _("Curation result: not passed"),
            _("%(product)s did not pass curation"),
            _(
                "Application %(reference)s did not pass curation. The scores and the reasons"
                " are on its page."
            ),
        ),
        Kind(
            "permit_info_requested",
            APPLICANT,
            _("Permit: information requested"),
            _("Information needed for the permit of %(product)s"),
            _("%(message)s — please answer by %(due_on)s."),
            dates=("due_on",),
        ),
        Kind(
            "application_approved",
            APPLICANT,
            _("Application approved"),
            _("%(product)s is approved"),
            _(
                "Certificate %(number)s was issued, valid until %(valid_until)s. The product is"
                " now in the public catalogue."
            ),
            dates=("valid_until",),
        ),
        Kind(
            "certificate_suspended",
            APPLICANT,
            _("Certificate suspended"),
            _("Certificate %(number)s suspended"),
            _("%(product)s is out of the catalogue while suspended: %(reason)s"),
        ),
        Kind(
            "certificate_reinstated",
            APPLICANT,
            _("Certificate reinstated"),
            _("Certificate %(number)s reinstated"),
            _("%(product)s is back in the catalogue."),
        ),
        Kind(
            "certificate_revoked",
            APPLICANT,
            _("Certificate revoked"),
            _("Certificate %(number)s revoked"),
            _("%(product)s was removed from the catalogue: %(reason)s"),
        ),
        Kind(
            "certificate_expired",
            APPLICANT,
            _("Certificate expired"),
            _("Certificate %(number)s expired"),
            _("%(product)s left the catalogue because its certificate expired."),
        ),
        Kind(
            "permit_expiring",
            APPLICANT,
            _("Distribution permit about to expire"),
            _("Permit %(permit_number)s expires on %(valid_until)s"),
            _(
                "The distribution permit of %(product)s expires on %(valid_until)s. Start the"
                " renewal with the Ministry of Health now; its certificate is suspended when"
                " the permit expires."
            ),
            dates=("valid_until",),
        ),
        Kind(
            "certificate_expiring",
            APPLICANT,
            _("Certificate about to expire"),
            _("Certificate %(number)s expires on %(valid_until)s"),
            _("%(product)s leaves the catalogue on %(valid_until)s unless it is curated again."),
            dates=("valid_until",),
        ),
        Kind(
            "applicant_overdue",
            APPLICANT,
            _("Reminder: waiting for you"),
            _("%(reference)s is waiting for you"),
            _(
                "Your application for %(product)s has been “%(state)s” since %(since)s; it was"
                " due on %(due_on)s."
            ),
            dates=("since", "due_on"),
            states=("state",),
        ),
        # Curators
        Kind(
            "curator_assigned",
            CURATOR,
            _("New assignment"),
            _("New assignment: %(reference)s"),
            _(
                "You are assigned to curate a %(category)s application. Declare that you have no"
                " conflict of interest to see it and score the sample."
            ),
            categories=("category",),
        ),
        Kind(
            "curator_overdue",
            CURATOR,
            _("Reminder: scores overdue"),
            _("Scores for %(reference)s are overdue"),
            _("The application has been in curation since %(since)s; it was due on %(due_on)s."),
            dates=("since", "due_on"),
        ),
        # Staff
        Kind(
            "vendor_submitted",
            STAFF,
            _("Business submitted for verification"),
            _("%(vendor)s asks to be verified"),
            _("A business registration from %(province)s waits for verification."),
        ),
        Kind(
            "application_submitted",
            STAFF,
            _("Application submitted"),
            _("New application %(reference)s"),
            _("%(vendor)s submitted %(product)s to %(programme)s."),
        ),
        Kind(
            "sample_shipped",
            STAFF,
            _("Sample shipped"),
            _("Sample for %(reference)s shipped"),
            # Curators read this too, possibly before declaring no conflict: no vendor name.
            _("The sample of %(product)s was shipped (%(courier)s %(tracking)s)."),
        ),
        Kind(
            "curation_decided",
            STAFF,
            _("Curation decided"),
            _("Curation of %(reference)s is complete"),
            _("%(product)s: “%(state)s”. Release the result to the applicant."),
            states=("state",),
        ),
        Kind(
            "document_uploaded",
            STAFF,
            _("Permit document uploaded"),
            _("Document uploaded for %(product)s"),
            _("%(vendor)s uploaded “%(document)s” for the permit case; it waits for checking."),
        ),
        Kind(
            "permit_info_answered",
            STAFF,
            _("Permit information answered"),
            _("%(vendor)s answered"),
            _("The applicant answered the information request on %(product)s: %(response)s"),
        ),
        Kind(
            "staff_overdue",
            STAFF,
            _("Reminder: overdue applications"),
            _("%(reference)s is overdue"),
            _(
                "%(product)s of %(vendor)s has been “%(state)s” since %(since)s; it was due on"
                " %(due_on)s."
            ),
            dates=("since", "due_on"),
            states=("state",),
        ),
        # Approvers
        Kind(
            "awaiting_approval",
            APPROVER,
            _("Awaiting approval"),
            _("%(reference)s awaits approval"),
            _("%(product)s of %(vendor)s is ready for the final decision."),
        ),
        Kind(
            "approver_overdue",
            APPROVER,
            _("Reminder: approval overdue"),
            _("%(reference)s: approval overdue"),
            _("%(product)s has been awaiting approval since %(since)s; it was due on %(due_on)s."),
            dates=("since", "due_on"),
        ),
    ]
}

KIND_CHOICES = [(kind.code, kind.label) for kind in KINDS.values()]


def kinds_for(audiences) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.audience in audiences]
