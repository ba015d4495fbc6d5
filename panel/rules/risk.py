"""The shared risk assessment's rules, as pure functions: a risk's score and band, and the
case's level that follows from its risks (docs/risk-assessment.md says why these numbers).

Each risk is scored on two stated 1-5 scales, likelihood and severity; the score is their
product (1-25) and the band follows from the score. The case's level is the highest band of
its current risks; the panel may record another level only with a reason.
"""

from collections.abc import Iterable

LIKELIHOOD = {
    1: "Rare: not expected, though not impossible",
    2: "Unlikely: could happen at some time",
    3: "Possible: might well happen in the coming months",
    4: "Likely: will probably happen in the coming weeks",
    5: "Almost certain: expected soon, or happening now",
}
SEVERITY = {
    1: "Negligible: no lasting harm",
    2: "Minor: harm that passes with little help",
    3: "Moderate: harm that needs services' help to recover from",
    4: "Major: serious harm, lasting injury or loss of home",
    5: "Catastrophic: death or life-changing harm",
}
SCALE = range(1, 6)

CRITICAL = "critical"
HIGH = "high"
MEDIUM = "medium"
LOW = "low"
# Highest first: the order the case's level is read in.
BANDS = (CRITICAL, HIGH, MEDIUM, LOW)
# The lowest score in each band.
BAND_FLOORS = {CRITICAL: 20, HIGH: 10, MEDIUM: 5, LOW: 1}

OUT_OF_SCALE = "Choose a number from 1 to 5"
REASON_NEEDED = (
    "Say why the panel records the risk as {recorded} when its risks give {derived}: the "
    "reason is shown wherever the level is."
)
NO_RISKS = "Record at least one current risk before the panel agrees the level."


def score(*, likelihood: int, severity: int) -> int:
    """Likelihood times severity: 1 to 25."""
    if likelihood not in SCALE or severity not in SCALE:
        raise ValueError(OUT_OF_SCALE)
    return likelihood * severity


def band_for_score(value: int) -> str:
    """Critical 20-25, high 10-16, medium 5-9, low 1-4."""
    for band in BANDS:
        if value >= BAND_FLOORS[band]:
            return band
    raise ValueError(f"A score is 1 to 25, not {value}")


def band(*, likelihood: int, severity: int) -> str:
    return band_for_score(score(likelihood=likelihood, severity=severity))


def rank(level: str) -> int:
    """0 for critical … 3 for low: lower is worse."""
    return BANDS.index(level)


def is_below_high(level: str) -> bool:
    """Medium or low: the practice example's "high-level risk has been reduced"."""
    return rank(level) > rank(HIGH)


def derived_level(bands: Iterable[str]) -> str | None:
    """The case's level from its current risks' bands: the highest. None with no risks."""
    found = sorted(bands, key=rank)
    return found[0] if found else None


def level_problems(*, derived: str | None, recorded: str, reason: str) -> dict[str, str]:
    """What is wrong with the level the panel records: another level than its risks give
    needs a reason; a level needs risks to come from."""
    if derived is None:
        return {"level": NO_RISKS}
    if recorded != derived and not reason.strip():
        return {"reason": REASON_NEEDED.format(recorded=recorded, derived=derived)}
    return {}


def trend(levels: Iterable[str]) -> str | None:
    """'rising', 'falling' or 'steady' from the last two levels, oldest first; None with
    fewer than two."""
    last_two = list(levels)[-2:]
    if len(last_two) < 2:
        return None
    before, now = (rank(level) for level in last_two)
    if now < before:
        return "rising"
    if now > before:
        return "falling"
    return "steady"
