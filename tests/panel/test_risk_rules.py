"""The risk assessment's pure rules (panel/rules/risk.py), over every case there is: all 25
scores, every set of bands, every recorded level."""

from itertools import chain, combinations, product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from panel.rules import risk

PAIRS = list(product(range(1, 6), repeat=2))

# docs/risk-assessment.md's matrix, written out by hand: the band of each (likelihood, severity).
MATRIX = {
    1: ["low", "low", "low", "low", "medium"],
    2: ["low", "low", "medium", "medium", "high"],
    3: ["low", "medium", "medium", "high", "high"],
    4: ["low", "medium", "high", "high", "critical"],
    5: ["medium", "high", "high", "critical", "critical"],
}


@pytest.mark.parametrize(("likelihood", "severity"), PAIRS)
def test_every_score_is_likelihood_times_severity_and_its_band_is_the_matrixs(likelihood, severity):
    assert risk.score(likelihood=likelihood, severity=severity) == likelihood * severity
    assert risk.band(likelihood=likelihood, severity=severity) == MATRIX[likelihood][severity - 1]


@pytest.mark.parametrize(("likelihood", "severity"), PAIRS)
def test_each_band_holds_the_scores_the_document_states(likelihood, severity):
    value = likelihood * severity
    expected = (
        "critical" if value >= 20 else "high" if value >= 10 else "medium" if value >= 5 else "low"
    )
    assert risk.band_for_score(value) == expected


def test_no_possible_score_falls_between_16_and_20():
    scores = {likelihood * severity for likelihood, severity in PAIRS}
    assert not scores & {17, 18, 19}
    assert {risk.band_for_score(value) for value in scores} == set(risk.BANDS)


@pytest.mark.parametrize(
    ("likelihood", "severity"), [(0, 3), (3, 0), (6, 1), (1, 6), (-1, 5), (5, 10)]
)
def test_a_number_off_the_scale_is_refused_with_the_scales_message(likelihood, severity):
    with pytest.raises(ValueError, match=risk.OUT_OF_SCALE):
        risk.score(likelihood=likelihood, severity=severity)


@pytest.mark.parametrize("value", [0, -3])
def test_a_score_below_one_has_no_band(value):
    with pytest.raises(ValueError, match="A score is 1 to 25"):
        risk.band_for_score(value)


def test_the_scales_state_words_for_each_number():
    assert set(risk.LIKELIHOOD) == set(risk.SEVERITY) == set(risk.SCALE) == {1, 2, 3, 4, 5}
    assert risk.LIKELIHOOD[5].startswith("Almost certain")
    assert risk.SEVERITY[1].startswith("Negligible")


def all_subsets(items):
    return chain.from_iterable(combinations(items, size) for size in range(len(items) + 1))


@pytest.mark.parametrize("bands", list(all_subsets(risk.BANDS)))
def test_the_cases_level_is_the_highest_band_of_its_risks(bands):
    expected = next((band for band in risk.BANDS if band in bands), None)
    assert risk.derived_level(bands) == expected
    assert risk.derived_level(reversed(bands)) == expected


@given(st.lists(st.sampled_from(risk.BANDS)))
def test_the_level_does_not_depend_on_how_many_risks_share_a_band(bands):
    assert risk.derived_level(bands) == risk.derived_level(set(bands))


def test_a_case_without_risks_has_no_level():
    assert risk.derived_level([]) is None


@pytest.mark.parametrize(("derived", "recorded"), list(product(risk.BANDS, repeat=2)))
def test_a_level_other_than_the_risks_give_needs_a_reason(derived, recorded):
    without = risk.level_problems(derived=derived, recorded=recorded, reason="  ")
    with_reason = risk.level_problems(
        derived=derived, recorded=recorded, reason="Police intelligence not yet shared"
    )
    if derived == recorded:
        assert without == {}
    else:
        assert without == {"reason": risk.REASON_NEEDED.format(recorded=recorded, derived=derived)}
    assert with_reason == {}


@pytest.mark.parametrize("recorded", risk.BANDS)
def test_no_level_can_be_agreed_without_a_risk(recorded):
    assert risk.level_problems(derived=None, recorded=recorded, reason="any") == {
        "level": risk.NO_RISKS
    }


@pytest.mark.parametrize(("before", "now"), list(product(risk.BANDS, repeat=2)))
def test_the_trend_reads_the_last_two_levels(before, now):
    expected = (
        "steady" if before == now else "rising" if risk.rank(now) < risk.rank(before) else "falling"
    )
    assert risk.trend([before, now]) == expected
    # Only the last two count: what came before them does not change the trend.
    assert risk.trend(["low", "critical", before, now]) == expected


@pytest.mark.parametrize("levels", [[], ["high"]])
def test_fewer_than_two_levels_have_no_trend(levels):
    assert risk.trend(levels) is None


@pytest.mark.parametrize("level", risk.BANDS)
def test_only_medium_and_low_are_below_high(level):
    assert risk.is_below_high(level) == (level in ("medium", "low"))
