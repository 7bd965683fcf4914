"""Conditions of the certification transitions and the checks of a permit's number and dates."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.workflow import Decision

MAX_PERMIT_YEARS = 5


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def permit_problems(*, kind: str, number: str, issued_on, valid_until) -> list[str]:
    """What is wrong with a permit's number and dates, in words an officer can act on."""
    from certification.models import PERMIT_NUMBER_RE

    problems = []
    match = PERMIT_NUMBER_RE.match((number or "").strip())
    if not match:
        problems.append(
            _(
                "The permit number must look like “KEMENKES RI AKD 21603020123”: the kind "
                "(AKD, AKL, PKD or PKL) and 11 digits."
            )
        )
    elif match.group(1) != kind:
        problems.append(
            _("The number is of kind %(found)s, but this case needs %(kind)s.")
            % {"found": match.group(1), "kind": kind}
        )
    if issued_on is None or valid_until is None:
        problems.append(_("Give the issue date and the date the permit is valid until."))
        return problems
    if issued_on > timezone.localdate():
        problems.append(_("The issue date cannot be in the future."))
    if valid_until <= issued_on:
        problems.append(_("The permit must be valid until a date after it was issued."))
    elif valid_until > _add_years(issued_on, MAX_PERMIT_YEARS):
        problems.append(_("A distribution permit is valid for at most 5 years."))
    elif valid_until < timezone.localdate():
        # An expired permit would send the application to approval, where it is refused.
        problems.append(_("This permit is no longer valid: record a permit that is valid today."))
    return problems


def missing_documents(case) -> list[str]:
    from certification.models import ChecklistItem, PermitDocument

    required = ChecklistItem.objects.filter(kind=case.kind, required=True)
    verified = set(
        PermitDocument.objects.filter(
            case=case, is_current=True, review=PermitDocument.Review.VERIFIED
        ).values_list("item_id", flat=True)
    )
    return [item.name for item in required if item.pk not in verified]


def documents_verified(case) -> Decision:
    missing = missing_documents(case)
    if missing:
        return Decision.deny(
            _("Every required document must be verified first; still missing: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    return Decision.allow()


def not_existing_permit(case) -> Decision:
    if case.existing_permit:
        return Decision.deny(_("The vendor already holds this permit: accept it instead."))
    return Decision.allow()


def is_existing_permit(case) -> Decision:
    if not case.existing_permit:
        return Decision.deny(_("A new permit is issued only after the Kemenkes review."))
    return Decision.allow()


def permit_date_passed(case) -> Decision:
    if case.valid_until and case.valid_until < timezone.localdate():
        return Decision.allow()
    return Decision.deny(_("The permit is still valid."))


def certificate_date_passed(certificate) -> Decision:
    if certificate.valid_until < timezone.localdate():
        return Decision.allow()
    return Decision.deny(_("The certificate is still valid."))


def certificate_still_valid(certificate) -> Decision:
    if certificate.valid_until >= timezone.localdate():
        return Decision.allow()
    return Decision.deny(_("The certificate's validity has ended."))


def permit_still_valid(certificate) -> Decision:
    case = certificate.permit_case
    if case is None:
        return Decision.allow()
    if case.status == case.Status.ISSUED and case.valid_until >= timezone.localdate():
        return Decision.allow()
    return Decision.deny(_("The distribution permit behind this certificate is no longer valid."))
