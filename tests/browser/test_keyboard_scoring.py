"""A curator declares no conflict and scores a whole rubric with the keyboard alone: Tab into
each row of score buttons, arrow keys to choose, type the note, Enter to submit. The mouse is
never used."""

import pytest

from curation.models import Score
from tests.browser.support import expect, expect_message, main, t
from tests.curation import builders

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the focused element is, for the assertions and their messages.
FOCUSED = """() => {
  const el = document.activeElement;
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    name: el.name || "",
    id: el.id || "",
    value: el.value || "",
    checked: !!el.checked,
    text: (el.innerText || "").trim(),
  };
}"""
# The score button drawn for the focused (invisible) radio input.
DRAWN_OUTLINE = """() => {
  const drawn = document.activeElement.nextElementSibling;
  const style = getComputedStyle(drawn);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""
MAX_TABS = 80


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_until(page, wanted, what: str) -> dict:
    """Press Tab until ``wanted(focused element)`` holds, as a keyboard user looks for a field."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
    raise AssertionError(f"{what} cannot be reached with Tab")


def enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_curator_declares_and_scores_a_rubric_with_the_keyboard_alone(pages, shot):
    case = builders.in_curation(declare=False)
    assignment = case.assignments[1]
    criteria = list(case.rubric.criteria.order_by("position", "pk"))
    # A different score for neighbouring criteria, so a key press that lands in the wrong
    # row shows up in the saved scores.
    wanted = {c.pk: (3, 4, 5, 0)[index % 4] for index, c in enumerate(criteria)}
    page = pages.open(user=assignment.curator.user)
    page.goto(f"/curator/applications/{case.application.pk}/")
    shot(page, "scoring page before the declaration")

    # The skip link comes first and jumps over the header.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == t("Skip to content")
    page.keyboard.press("Enter")
    tab_until(page, lambda el: el["id"] == "coi-confirm", "The no-conflict statement")
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    submit = tab_until(page, lambda el: el["tag"] == "button", "The declaration button")
    assert submit["text"] == t("Declare no conflict")
    enter_and_wait(page)
    expect_message(page, "Declaration recorded. You can now see the vendor and score the sample.")

    first = tab_until(
        page, lambda el: el["name"].startswith("score_"), "The first row of score buttons"
    )
    assert first["name"] == f"score_{criteria[0].pk}"
    for index, criterion in enumerate(criteria):
        radio = focused(page)
        assert radio["name"] == f"score_{criterion.pk}", f"Tab left row {index + 1} early"
        page.keyboard.press("Space")  # chooses the first button, 0
        for _ in range(wanted[criterion.pk]):
            page.keyboard.press("ArrowRight")
        radio = focused(page)
        assert (radio["value"], radio["checked"]) == (str(wanted[criterion.pk]), True)
        assert page.evaluate(DRAWN_OUTLINE), "the focused score button shows no focus ring"
        if index == 0:
            shot(page, "first score chosen with the arrow keys")
        page.keyboard.press("Tab")
        note = focused(page)
        assert (note["tag"], note["name"]) == ("textarea", f"note_{criterion.pk}")
        page.keyboard.type(f"Catatan kriteria {index + 1}")
        page.keyboard.press("Tab")

    assert focused(page)["text"] == t("Save draft")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == t("Submit scores")
    shot(page, "every criterion scored")
    enter_and_wait(page)  # the confirmation prompt is accepted
    expect_message(page, "Scores submitted. Thank you.")
    expect(main(page).locator("fieldset.criterion")).to_have_count(0)
    shot(page, "scores submitted")

    assignment.refresh_from_db()
    assert assignment.no_conflict_declared_at is not None
    assert assignment.submitted_at is not None
    saved = {
        score.criterion_id: (score.value, score.note)
        for score in Score.objects.filter(assignment=assignment)
    }
    assert saved == {
        c.pk: (wanted[c.pk], f"Catatan kriteria {index + 1}") for index, c in enumerate(criteria)
    }
