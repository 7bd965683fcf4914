"""Business scale per PP 7/2021, from capital (excluding land and buildings) or yearly sales."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MILIAR = 1_000_000_000


class BusinessScale(models.TextChoices):
    MICRO = "mikro", _("Micro (mikro)")
    SMALL = "kecil", _("Small (kecil)")
    MEDIUM = "menengah", _("Medium (menengah)")


# Upper bounds, inclusive, in rupiah: (capital, yearly sales).
THRESHOLDS = [
    (BusinessScale.MICRO, 1 * MILIAR, 2 * MILIAR),
    (BusinessScale.SMALL, 5 * MILIAR, 15 * MILIAR),
    (BusinessScale.MEDIUM, 10 * MILIAR, 50 * MILIAR),
]


def _scale_by(amount: int, index: int) -> BusinessScale | None:
    for scale, *bounds in THRESHOLDS:
        if amount <= bounds[index]:
            return scale
    return None


def business_scale(*, capital: int | None, yearly_sales: int | None) -> BusinessScale | None:
    """The scale a business has under PP 7/2021, or None when it is above menengah.

    PP 7/2021 uses capital for a business being established and yearly sales for one already
    running; when both are known the larger category wins, so a business is never placed below
    what either figure shows.
    """
    order = [s for s, _c, _y in THRESHOLDS]
    found = []
    if capital is not None:
        found.append(_scale_by(capital, 0))
    if yearly_sales is not None:
        found.append(_scale_by(yearly_sales, 1))
    if not found:
        return None
    if None in found:
        return None
    return max(found, key=order.index)
