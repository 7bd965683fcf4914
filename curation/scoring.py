"""The curation decision, computed from the curators' scores; pure functions, no database.

Each score is turned into a percentage of its criterion's scale. A curator's total is the
weighted mean of those percentages; the application's result is the mean of the curators'
totals. It passes when that mean reaches the programme's pass mark and no critical criterion is
below its minimum for a majority of the curators. If the curators' totals are further apart than
the programme's disagreement threshold, and no moderator has scored yet, nothing is decided:
the application is flagged for a further curator.

The returned dictionary is stored on the application and shown on its page, so a decision can
be explained line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PASSED, FAILED, MODERATION = "passed", "failed", "moderation"
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    name: str
    weight: Decimal
    scale_max: int
    critical_minimum: int | None = None


@dataclass(frozen=True)
class Sheet:
    label: str
    role: str  # "curator" or "moderator"
    values: dict[int, int]


def _round(value: Decimal) -> float:
    return float(value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP))


def decide(
    *,
    criteria: list[CriterionSpec],
    sheets: list[Sheet],
    pass_mark: Decimal,
    disagreement_threshold: Decimal,
) -> dict:
    if not criteria or not sheets:
        raise ValueError("a decision needs criteria and at least one scoresheet")
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    if total_weight <= 0:
        raise ValueError("criteria weights must add up to more than zero")

    rows = []
    weighted_sums = [Decimal(0)] * len(sheets)
    critical_failures = []
    for criterion in criteria:
        values = [sheet.values[criterion.id] for sheet in sheets]
        percents = [Decimal(v) * 100 / criterion.scale_max for v in values]
        for index, percent in enumerate(percents):
            weighted_sums[index] += percent * criterion.weight
        below = 0
        if criterion.critical_minimum is not None:
            below = sum(1 for v in values if v < criterion.critical_minimum)
            if below * 2 > len(sheets):
                critical_failures.append(criterion.name)
        rows.append(
            {
                "id": criterion.id,
                "name": criterion.name,
                "weight": _round(criterion.weight),
                "scale_max": criterion.scale_max,
                "critical_minimum": criterion.critical_minimum,
                "scores": values,
                "percents": [_round(p) for p in percents],
                "below_minimum": below,
            }
        )

    totals = [s / total_weight for s in weighted_sums]
    mean = sum(totals, Decimal(0)) / len(totals)
    spread = max(totals) - min(totals)
    moderated = any(sheet.role == "moderator" for sheet in sheets)

    reasons = []
    if len(sheets) > 1 and spread > disagreement_threshold and not moderated:
        outcome = MODERATION
        reasons.append("disagreement")
    else:
        if mean < pass_mark:
            reasons.append("below_pass_mark")
        if critical_failures:
            reasons.append("critical_minimum")
        outcome = FAILED if reasons else PASSED

    return {
        "criteria": rows,
        "curators": [
            {"label": sheet.label, "role": sheet.role, "total": _round(total)}
            for sheet, total in zip(sheets, totals, strict=True)
        ],
        "total_weight": _round(total_weight),
        "mean": _round(mean),
        "pass_mark": _round(pass_mark),
        "spread": _round(spread),
        "disagreement_threshold": _round(disagreement_threshold),
        "critical_failures": critical_failures,
        "outcome": outcome,
        "reasons": reasons,
    }
