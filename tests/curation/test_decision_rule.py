"""The curation decision rule, on small hand-built score sheets (no database).

Each score becomes a percentage of its criterion's scale; a curator's total is the weighted mean
of those percentages; the result is the mean of the totals. Every expected number below is
worked out by hand in the comment next to it.
"""

from decimal import Decimal

import pytest

from curation.scoring import FAILED, MODERATION, PASSED, CriterionSpec, Sheet, decide

PASS_MARK = Decimal("70")
THRESHOLD = Decimal("20")

# Three criteria: a heavy critical one, a middle one and one on a 0–10 scale.
LAYERS = CriterionSpec(1, "Jumlah lapisan", Decimal("50"), 5, critical_minimum=3)
SEAMS = CriterionSpec(2, "Jahitan", Decimal("30"), 5)
LABEL = CriterionSpec(3, "Label", Decimal("20"), 10)
CRITERIA = [LAYERS, SEAMS, LABEL]


def curator(label, layers, seams, label_score, role="curator"):
    return Sheet(label, role, {1: layers, 2: seams, 3: label_score})


def run(sheets, *, criteria=CRITERIA, pass_mark=PASS_MARK, threshold=THRESHOLD):
    return decide(
        criteria=criteria, sheets=sheets, pass_mark=pass_mark, disagreement_threshold=threshold
    )


def test_application_passes_when_the_weighted_mean_reaches_the_pass_mark():
    # K1: 4/5=80 %, 4/5=80 %, 8/10=80 %                → (80·50 + 80·30 + 80·20) / 100 = 80
    # K2: 5/5=100 %, 3/5=60 %, 7/10=70 %  → (100·50 + 60·30 + 70·20) / 100 = 8200/100 = 82
    # mean (80 + 82) / 2 = 81; spread 82 − 80 = 2
    result = run([curator("K1", 4, 4, 8), curator("K2", 5, 3, 7)])

    assert result["outcome"] == PASSED
    assert result["reasons"] == []
    assert [c["total"] for c in result["curators"]] == [80.0, 82.0]
    assert result["mean"] == 81.0
    assert result["spread"] == 2.0
    assert result["total_weight"] == 100.0
    assert result["pass_mark"] == 70.0
    assert result["critical_failures"] == []
    layers_row = result["criteria"][0]
    assert layers_row["scores"] == [4, 5]
    assert layers_row["percents"] == [80.0, 100.0]
    assert layers_row["below_minimum"] == 0


def test_application_fails_when_the_weighted_mean_is_under_the_pass_mark():
    # K1: 60 %, 60 %, 60 %                      → 60
    # K2: 3/5=60 %, 4/5=80 %, 7/10=70 % → (60·50 + 80·30 + 70·20) / 100 = 6800/100 = 68
    # mean (60 + 68) / 2 = 64 < 70
    result = run([curator("K1", 3, 3, 6), curator("K2", 3, 4, 7)])

    assert result["outcome"] == FAILED
    assert result["reasons"] == ["below_pass_mark"]
    assert [c["total"] for c in result["curators"]] == [60.0, 68.0]
    assert result["mean"] == 64.0
    assert result["critical_failures"] == []


def test_a_mean_exactly_at_the_pass_mark_passes():
    # one curator, 7/10 on the only criterion = 70 % = the pass mark
    only = CriterionSpec(9, "Kadar alkohol", Decimal("1"), 10)
    result = run([Sheet("K1", "curator", {9: 7})], criteria=[only])

    assert result["mean"] == 70.0
    assert result["outcome"] == PASSED


def test_application_fails_when_most_curators_score_a_critical_criterion_below_its_minimum():
    # Lapisan minimum 3; K1 and K2 give 2 (2 of 3 curators: a majority).
    # K1, K2: (2/5=40 %·50 + 100·30 + 100·20) / 100 = (2000 + 3000 + 2000) / 100 = 70
    # K3:     100 · 100 / 100 = 100
    # mean (70 + 70 + 100) / 3 = 80 ≥ 70, so only the critical criterion fails it.
    sheets = [curator("K1", 2, 5, 10), curator("K2", 2, 5, 10), curator("K3", 5, 5, 10)]
    result = run(sheets, threshold=Decimal("40"))  # spread 30 stays under the threshold

    assert result["mean"] == 80.0
    assert result["outcome"] == FAILED
    assert result["reasons"] == ["critical_minimum"]
    assert result["critical_failures"] == ["Jumlah lapisan"]
    assert result["criteria"][0]["below_minimum"] == 2


def test_one_curator_of_three_under_a_critical_minimum_does_not_fail_the_application():
    # K1 gives Lapisan 2 (1 of 3: a minority).
    # K1: 70 (as above); K2, K3: 100 → mean (70 + 100 + 100) / 3 = 90
    sheets = [curator("K1", 2, 5, 10), curator("K2", 5, 5, 10), curator("K3", 5, 5, 10)]
    result = run(sheets, threshold=Decimal("40"))

    assert result["mean"] == 90.0
    assert result["outcome"] == PASSED
    assert result["critical_failures"] == []
    assert result["criteria"][0]["below_minimum"] == 1


def test_half_of_the_curators_under_a_critical_minimum_is_not_a_majority():
    # K1 gives Lapisan 2, K2 gives 5: 1 of 2 is not more than half.
    # K1: 70, K2: 100 → mean 85; spread 30, threshold raised to 40 so it is decided.
    result = run([curator("K1", 2, 5, 10), curator("K2", 5, 5, 10)], threshold=Decimal("40"))

    assert result["outcome"] == PASSED
    assert result["mean"] == 85.0
    assert result["criteria"][0]["below_minimum"] == 1


def test_below_pass_mark_and_critical_failure_are_both_given_as_reasons():
    # K1, K2: Lapisan 0, everything else 3/5=60 %, 6/10=60 %
    # → (0·50 + 60·30 + 60·20) / 100 = 3000/100 = 30 each; mean 30
    result = run([curator("K1", 0, 3, 6), curator("K2", 0, 3, 6)])

    assert result["mean"] == 30.0
    assert result["outcome"] == FAILED
    assert result["reasons"] == ["below_pass_mark", "critical_minimum"]


def test_a_heavy_criterion_moves_the_mean_more_than_a_light_one():
    heavy = CriterionSpec(1, "Efisiensi filtrasi", Decimal("90"), 5)
    light = CriterionSpec(2, "Label", Decimal("10"), 5)

    # Same raw scores (one 5 and one 0), placed differently; an unweighted mean would be 50.
    # heavy 5 (100 %), light 0 (0 %): (100·90 + 0·10) / 100 = 90
    good_where_it_matters = run([Sheet("K1", "curator", {1: 5, 2: 0})], criteria=[heavy, light])
    # heavy 0 (0 %), light 5 (100 %): (0·90 + 100·10) / 100 = 10
    good_where_it_does_not = run([Sheet("K1", "curator", {1: 0, 2: 5})], criteria=[heavy, light])

    assert good_where_it_matters["mean"] == 90.0
    assert good_where_it_matters["outcome"] == PASSED
    assert good_where_it_does_not["mean"] == 10.0
    assert good_where_it_does_not["outcome"] == FAILED


def test_weights_need_not_add_up_to_one_hundred():
    # weights 1 and 3 (total 4): K1 scores 5/5=100 % and 2/5=40 % → (100·1 + 40·3) / 4 = 55
    first = CriterionSpec(1, "A", Decimal("1"), 5)
    second = CriterionSpec(2, "B", Decimal("3"), 5)
    result = run([Sheet("K1", "curator", {1: 5, 2: 2})], criteria=[first, second])

    assert result["total_weight"] == 4.0
    assert result["mean"] == 55.0


def test_curators_who_disagree_beyond_the_threshold_send_the_application_to_moderation():
    # K1: all top marks → 100; K2: 2/5=40 %, 2/5=40 %, 4/10=40 % → 40
    # spread 100 − 40 = 60 > 20; the mean (70) would pass but nothing is decided.
    result = run([curator("K1", 5, 5, 10), curator("K2", 2, 2, 4)])

    assert result["outcome"] == MODERATION
    assert result["reasons"] == ["disagreement"]
    assert result["spread"] == 60.0
    assert result["mean"] == 70.0
    assert result["disagreement_threshold"] == 20.0


def test_a_spread_equal_to_the_threshold_is_decided_without_moderation():
    # K1: 100; K2: 4/5=80 %, 4/5=80 %, 8/10=80 % → 80; spread 20 = threshold (not above it)
    result = run([curator("K1", 5, 5, 10), curator("K2", 4, 4, 8)])

    assert result["spread"] == 20.0
    assert result["outcome"] == PASSED
    assert result["mean"] == 90.0


def test_once_a_moderator_has_scored_the_disagreement_no_longer_holds_the_decision():
    # K1: 100; K2: 40; moderator: 4/5, 4/5, 8/10 → 80
    # mean (100 + 40 + 80) / 3 = 220/3 = 73.333… → 73.33 ≥ 70; spread still 60
    sheets = [
        curator("K1", 5, 5, 10),
        curator("K2", 2, 2, 4),
        curator("K3", 4, 4, 8, role="moderator"),
    ]
    result = run(sheets)

    assert result["outcome"] == PASSED
    assert result["spread"] == 60.0
    assert result["mean"] == 73.33
    assert [(c["label"], c["role"], c["total"]) for c in result["curators"]] == [
        ("K1", "curator", 100.0),
        ("K2", "curator", 40.0),
        ("K3", "moderator", 80.0),
    ]
    # Lapisan: only K2 (1 of 3) is under 3.
    assert result["critical_failures"] == []


def test_a_moderated_decision_can_still_fail():
    # K1: 100; K2: 40; moderator: 2/5, 3/5, 6/10 → (40·50 + 60·30 + 60·20) / 100 = 50
    # mean (100 + 40 + 50) / 3 = 190/3 = 63.333… → 63.33 < 70
    # Lapisan under 3 for K2 and the moderator: 2 of 3.
    sheets = [
        curator("K1", 5, 5, 10),
        curator("K2", 2, 2, 4),
        curator("K3", 2, 3, 6, role="moderator"),
    ]
    result = run(sheets)

    assert result["outcome"] == FAILED
    assert result["mean"] == 63.33
    assert result["reasons"] == ["below_pass_mark", "critical_minimum"]


def test_halves_are_rounded_up_not_to_even():
    # scale 0–16: 1/16 = 6.25 %; K2 scores 0.  mean (6.25 + 0) / 2 = 3.125 → 3.13
    # (rounding half to even would give 3.12)
    fine = CriterionSpec(1, "Halus", Decimal("1"), 16)
    result = run([Sheet("K1", "curator", {1: 1}), Sheet("K2", "curator", {1: 0})], criteria=[fine])

    assert result["criteria"][0]["percents"] == [6.25, 0.0]
    assert [c["total"] for c in result["curators"]] == [6.25, 0.0]
    assert result["mean"] == 3.13
    assert result["spread"] == 6.25


def test_thirds_are_kept_exact_until_the_final_rounding():
    # scale 0–3, weights 1 and 2 (total 3): 1/3 = 33.333… %, 2/3 = 66.666… %
    # total (100/3 · 1 + 200/3 · 2) / 3 = (500/3) / 3 = 500/9 = 55.555… → 55.56
    a = CriterionSpec(1, "A", Decimal("1"), 3)
    b = CriterionSpec(2, "B", Decimal("2"), 3)
    result = run([Sheet("K1", "curator", {1: 1, 2: 2})], criteria=[a, b])

    assert result["criteria"][0]["percents"] == [33.33]
    assert result["criteria"][1]["percents"] == [66.67]
    assert result["curators"][0]["total"] == 55.56
    assert result["mean"] == 55.56


def test_fractional_weights_and_pass_mark_are_reported_to_two_places():
    # weight 0.5 and 1.25 (total 1.75); K1 5/5 and 0/5 → (100·0.5 + 0·1.25) / 1.75
    # = 50 / 1.75 = 28.571… → 28.57
    a = CriterionSpec(1, "A", Decimal("0.5"), 5)
    b = CriterionSpec(2, "B", Decimal("1.25"), 5)
    result = run(
        [Sheet("K1", "curator", {1: 5, 2: 0})], criteria=[a, b], pass_mark=Decimal("28.575")
    )

    assert result["total_weight"] == 1.75
    assert [row["weight"] for row in result["criteria"]] == [0.5, 1.25]
    assert result["mean"] == 28.57
    assert result["pass_mark"] == 28.58  # 28.575 shown half up
    # compared unrounded: 28.5714… < 28.575, so it fails
    assert result["outcome"] == FAILED


def test_deciding_without_any_score_sheet_is_an_error():
    with pytest.raises(ValueError, match="at least one scoresheet"):
        run([])


def test_deciding_without_criteria_is_an_error():
    with pytest.raises(ValueError, match="criteria"):
        run([Sheet("K1", "curator", {})], criteria=[])


def test_criteria_whose_weights_are_all_zero_cannot_be_decided():
    zero = [CriterionSpec(1, "A", Decimal("0"), 5), CriterionSpec(2, "B", Decimal("0"), 5)]

    with pytest.raises(ValueError, match="weights must add up to more than zero"):
        run([Sheet("K1", "curator", {1: 5, 2: 5})], criteria=zero)
