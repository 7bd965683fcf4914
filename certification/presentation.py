"""What the certification pages show, shaped from data already loaded: the permit case stepper,
the effective status of a certificate on a given day and the certified specification.

Pure functions, no queries (the curation presentation module does the same for its pages).
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils.translation import gettext_lazy

from certification.models import Certificate, PermitCase
from curation.presentation import specification_rows

S = PermitCase.Status

NEW_PERMIT_STEPS = (
    gettext_lazy("Documents"),
    gettext_lazy("Submitted to Kemenkes"),
    gettext_lazy("Review"),
    gettext_lazy("Permit issued"),
)
EXISTING_PERMIT_STEPS = (gettext_lazy("Permit check"), gettext_lazy("Permit accepted"))
CURRENT_STEP = {
    S.PREPARING: 0,
    S.SUBMITTED: 1,
    S.UNDER_REVIEW: 2,
    S.INFO_REQUESTED: 2,
    S.REFUSED: 2,
}
FLAGGED = {S.INFO_REQUESTED: "attention", S.REFUSED: "failed", S.EXPIRED: "failed"}


def case_steps(case: PermitCase) -> list[dict]:
    """The stepper of a permit case; an expired permit shows every step done but the last."""
    labels = EXISTING_PERMIT_STEPS if case.existing_permit else NEW_PERMIT_STEPS
    if case.status in (S.ISSUED, S.EXPIRED):
        current = len(labels) if case.status == S.ISSUED else len(labels) - 1
    elif case.existing_permit:
        current = 0
    else:
        current = CURRENT_STEP[case.status]
    return [
        {
            "label": label,
            "done": index < current,
            "current": index == current,
            "flag": FLAGGED.get(case.status, "") if index == current else "",
        }
        for index, label in enumerate(labels)
    ]


def effective_status(certificate: Certificate, today: datetime.date) -> str:
    """The status a reader should trust: an active certificate past its date is expired, even
    before the nightly expiry job has recorded it."""
    if certificate.status == Certificate.Status.ACTIVE and certificate.valid_until < today:
        return Certificate.Status.EXPIRED
    return certificate.status


def certified_specification(certificate: Certificate) -> list[dict]:
    """The specification rows as frozen in the certificate (what was certified)."""
    frozen = SimpleNamespace(specification=certificate.specification, product=certificate.product)
    return specification_rows(frozen)
