"""What the curation pages show, shaped from data already loaded: the progress stepper, the
decision table with its reasons in words, the scoresheets, the frozen specification and the
deadline of each application as its applicant reads it.

Pure functions, no queries; templates cannot zip lists or look up a dict by a variable, so the
rows are built here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from curation import scoring
from curation.deadlines import deadline_for
from curation.models import Application
from curation.rules import SPEC_FIELDS
from vendors.models import Product

S = Application.Status

STEP_LABELS = (
    gettext_lazy("Draft"),
    gettext_lazy("Submitted"),
    gettext_lazy("Sample"),
    gettext_lazy("Curation"),
    gettext_lazy("Result"),
    gettext_lazy("Permit"),
    gettext_lazy("Approval"),
)
# Index of the current step for each state; len(STEP_LABELS) means every step is done.
CURRENT_STEP = {
    S.DRAFT: 0,
    S.SUBMITTED: 1,
    S.RETURNED: 1,
    S.SAMPLE_REQUESTED: 2,
    S.IN_CURATION: 3,
    S.CURATION_FAILED: 4,
    S.PASSED: 5,
    S.PERMIT_SUPPORT: 5,
    S.AWAITING_APPROVAL: 6,
    S.APPROVED: len(STEP_LABELS),
}
# States where the current step needs the applicant's attention or has gone wrong.
FLAGGED = {S.RETURNED: "attention", S.CURATION_FAILED: "failed"}


def application_steps(application: Application) -> list[dict]:
    """The stepper draft → … → approval; empty for an ended (rejected, withdrawn) application."""
    current = CURRENT_STEP.get(application.status)
    if current is None:
        return []
    return [
        {
            "label": label,
            "done": index < current,
            "current": index == current,
            "flag": FLAGGED.get(application.status, "") if index == current else "",
        }
        for index, label in enumerate(STEP_LABELS)
    ]


def applicants_turn(application: Application, *, sample_to_ship: bool) -> bool:
    """Whether the application waits for its applicant: returned for changes, or a requested
    sample still to be sent (once shipped, the assessor has to receive it)."""
    if application.status == S.RETURNED:
        return True
    return application.status == S.SAMPLE_REQUESTED and sample_to_ship


def applicant_rows(applications, today) -> list[dict]:
    """The applicant's applications, each with its deadline and whether it is their turn;
    the applications carry ``sample_to_ship`` (``selectors.applications_of_applicant``)."""
    return [
        {
            "application": application,
            "deadline": deadline_for(application, today),
            "your_turn": applicants_turn(application, sample_to_ship=application.sample_to_ship),
        }
        for application in applications
    ]


OUTCOME_LABELS = {
    scoring.PASSED: gettext_lazy("Passed curation"),
    scoring.FAILED: gettext_lazy("Failed curation"),
    scoring.MODERATION: gettext_lazy("Waiting for a moderating curator"),
}


def reason_texts(decision: dict) -> list[str]:
    """The decision's reason codes in words the applicant and the officers understand."""
    texts = []
    for code in decision.get("reasons", []):
        if code == "below_pass_mark":
            texts.append(
                _("The weighted mean of %(mean)s%% is below the pass mark of %(mark)s%%.")
                % {"mean": decision["mean"], "mark": decision["pass_mark"]}
            )
        elif code == "critical_minimum":
            texts.append(
                _("Most curators scored a critical criterion below its minimum: %(names)s.")
                % {"names": ", ".join(decision.get("critical_failures", []))}
            )
        elif code == "disagreement":
            texts.append(
                _(
                    "The curators' totals differ by %(spread)s points, more than the programme "
                    "allows (%(threshold)s): another curator moderates before a decision."
                )
                % {
                    "spread": decision["spread"],
                    "threshold": decision["disagreement_threshold"],
                }
            )
        else:
            texts.append(code)
    return texts


def decision_table(decision: dict | None, names: list[str] | None = None) -> dict | None:
    """Rows and headings for ``curation/_decision.html``; ``names`` label the curators in order
    (officers see names, applicants and curators see "Curator 1", "Curator 2")."""
    if not decision:
        return None
    names = names or []
    curators = []
    for index, sheet in enumerate(decision["curators"]):
        label = _("Curator %(n)s") % {"n": index + 1}
        if index < len(names) and names[index]:
            label = f"{label} · {names[index]}"
        curators.append(
            {
                "label": label,
                "moderator": sheet["role"] == "moderator",
                "total": sheet["total"],
            }
        )
    rows = []
    for row in decision["criteria"]:
        minimum = row.get("critical_minimum")
        rows.append(
            {
                "name": row["name"],
                "weight": row["weight"],
                "scale_max": row["scale_max"],
                "critical_minimum": minimum,
                "failed": row["name"] in decision.get("critical_failures", []),
                "cells": [
                    {
                        "score": score,
                        "percent": percent,
                        "below": minimum is not None and score < minimum,
                    }
                    for score, percent in zip(row["scores"], row["percents"], strict=True)
                ],
            }
        )
    return {
        "rows": rows,
        "curators": curators,
        "mean": decision["mean"],
        "pass_mark": decision["pass_mark"],
        "reaches_pass_mark": decision["mean"] >= decision["pass_mark"],
        "spread": decision["spread"],
        "critical_failures": decision.get("critical_failures", []),
        "outcome": decision["outcome"],
        "outcome_label": OUTCOME_LABELS.get(decision["outcome"], decision["outcome"]),
        "reasons": reason_texts(decision),
    }


def scoresheets(criteria, columns: list[tuple], visible: dict) -> dict | None:
    """Criteria × curators with each score and note the user may see.

    ``columns`` are ``(assignment, label)`` in display order; ``visible`` is
    ``selectors.scores_visible_to`` (scores per assignment id). Columns without visible scores
    are left out, so nothing hidden shows up even as an empty column.
    """
    by_assignment = {
        assignment_id: {score.criterion_id: score for score in scores}
        for assignment_id, scores in visible.items()
    }
    shown = [(assignment, label) for assignment, label in columns if assignment.pk in by_assignment]
    if not shown:
        return None
    return {
        "columns": [label for _assignment, label in shown],
        "rows": [
            {
                "criterion": criterion,
                "cells": [by_assignment[a.pk].get(criterion.pk) for a, _label in shown],
            }
            for criterion in criteria
        ],
    }


def curator_name(assignment) -> str:
    user = assignment.curator.user
    return user.get_full_name() or user.get_username()


def submitted_in_order(application: Application) -> list:
    """Active, submitted assignments in the order the decision numbers its curators."""
    return [a for a in application.assignments.all() if a.ended_at is None and a.submitted_at]


def specification_rows(application: Application) -> list[dict]:
    """The product as frozen at submission (as it is now, while still a draft)."""
    spec = application.specification or {}
    frozen = bool(spec.get("frozen_at"))
    categories = dict(Product.Category.choices)
    units = dict(Product.Unit.choices)
    rows = []
    for name in SPEC_FIELDS:
        value = spec.get(name) if frozen else getattr(application.product, name)
        if value in (None, ""):
            continue
        if name == "category":
            value = categories.get(value, value)
        elif name == "unit":
            value = units.get(value, value)
        rows.append(
            {
                "label": Product._meta.get_field(name).verbose_name,
                "value": value,
                "rupiah": name == "indicative_price",
            }
        )
    return rows
