"""Indonesian identity numbers and contact details: validated and normalised to digits.

NPWP and NIK checks come from python-stdnum (check digits, birth date and registration place
inside the NIK); NIB has no public check digit, so only its shape is checked; phone numbers are
parsed with phonenumbers and stored in E.164.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

_SEPARATORS = re.compile(r"[\s.\-/]")


def normalize_nib(value: str) -> str:
    digits = _SEPARATORS.sub("", value or "")
    # Not str.isdigit(): it accepts Arabic-Indic and full-width digits, which are no NIB.
    if not re.fullmatch(r"[0-9]{13}", digits):
        raise ValidationError(
            _("NIB must be exactly 13 digits (Nomor Induk Berusaha from OSS)."), code="nib"
        )
    return digits


def normalize_npwp(value: str) -> str:
    try:
        return stdnum_npwp.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _("NPWP is not valid: enter the 15-digit (99.999.999.9-999.999) or 16-digit number."),
            code="npwp",
        ) from None


def normalize_nik(value: str) -> str:
    try:
        return stdnum_nik.validate(value or "")
    except StdnumError:
        raise ValidationError(
            _(
                "NIK is not valid: it has 16 digits and starts with the code of the place of "
                "registration."
            ),
            code="nik",
        ) from None


def normalize_phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value or "", "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Phone number is not valid: use a number such as 0812 3456 7890."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_postal_code(value: str) -> str:
    digits = (value or "").strip()
    if not re.fullmatch(r"[1-9][0-9]{4}", digits):  # ASCII only: \d matches any script
        raise ValidationError(_("Postal code must be 5 digits."), code="postal_code")
    return digits
