"""Where a referral stands, in words, for the person who made it: the referral's own status
until it is accepted, then the case it opened, followed to its close. One rule for every page
that says it (the referrer's list, their home page, the referral page), so a referral whose case
closed a year ago never still reads "accepted for the next panel"."""

from dataclasses import dataclass
from datetime import date

# The referral's statuses (referrals.choices.Status) and the case's (panel.models.CaseStatus),
# as their stored values: this module is pure and imports neither.
REFERRAL_WORDS = {
    "draft": ("Draft", "grey", "Not sent yet: finish it and send it for screening."),
    "submitted": ("Waiting for screening", "blue", "The panel coordinator will screen it."),
    "more_information": (
        "More information asked for",
        "orange",
        "The coordinator has asked a question: answer it and send the referral back.",
    ),
    "declined": ("Declined", "red", "The coordinator declined it at screening."),
}


@dataclass(frozen=True)
class Standing:
    tag: str  # the few words of the tag
    colour: str  # the GOV.UK tag's colour: grey, blue, orange, green, red
    detail: str  # one sentence more, in the referrer's words

    @property
    def tag_class(self) -> str:
        return f"govuk-tag govuk-tag--{self.colour}"


def _within(words: str) -> str:
    """Words that start a sentence, set inside one: "The case" → "the case"."""
    return words[:1].lower() + words[1:]


def _on(day: date | None) -> str:
    return f" on {day:%-d %B %Y}" if day else ""


def referral_standing(
    *,
    referral_status: str,
    case_status: str | None = None,
    case_reference: str = "",
    joined_caseload_on: date | None = None,
    closed_on: date | None = None,
    outcome_words: str = "",
) -> Standing:
    """The referral's standing. `case_*`: the case it opened, once accepted (None before)."""
    if case_status is None:
        tag, colour, detail = REFERRAL_WORDS.get(
            referral_status, ("Accepted", "green", "Accepted at screening.")
        )
        return Standing(tag, colour, detail)
    case = f"Case {case_reference}" if case_reference else "The case"
    if case_status == "waiting":
        return Standing(
            "Accepted: waiting for a place",
            "orange",
            f"Accepted at screening. The pathway is full: {_within(case)} waits for a place.",
        )
    if case_status == "awaiting_panel":
        return Standing(
            "Accepted: awaiting its first panel",
            "blue",
            f"{case} joined the caseload{_on(joined_caseload_on)} and goes to the next panel.",
        )
    if case_status == "active":
        return Standing("Adopted by the panel", "green", f"{case} is on the panel's caseload.")
    if case_status == "not_adopted":
        return Standing(
            "Not adopted",
            "grey",
            f"The panel did not adopt {_within(case)}; it named a better route.",
        )
    if case_status == "closed":
        said = f": {_within(outcome_words)}" if outcome_words else ""
        return Standing("Case closed", "grey", f"{case} closed{_on(closed_on)}{said}.")
    raise ValueError(f"unknown case status {case_status!r}")
