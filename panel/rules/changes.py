"""What has changed since the panel last reviewed a case, as a pure function: the panel reads
this first for each case it discusses (the case page, the meeting screen, the agenda pack).

It compares two snapshots of the assessment (`panel.reviews.assessment_snapshot`): the one
kept with the latest review and one taken now, and adds what happened since the review to
the actions and the agencies' returns. Risks, desired outcomes and actions are matched by
their ids, so a risk reworded since is still the same risk. Each change is one plain
sentence, and the sentences come grouped by kind, in a fixed order.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

RISKS = "Risks"
PLAN = "The plan"
OUTCOMES = "Desired outcomes"
ACTIONS = "Actions"
CAPACITY = "Mental capacity"
TRIED = "What has been tried"
RETURNS = "Agencies' returns"
KINDS = (RISKS, PLAN, OUTCOMES, CAPACITY, TRIED, ACTIONS, RETURNS)

# The parts of a risk's plan, as the page names them.
PLAN_PARTS = {
    "monitored_by": "who monitors it",
    "monitoring_officer": "the monitoring officer",
    "contingency_trigger": "the contingency's trigger",
    "contingency_response": "who does what",
    "out_of_hours_contact": "the out-of-hours contact",
}

QUOTE_AT = 60


@dataclass(frozen=True)
class ActionFacts:
    """An action on the case as it is now, with the date of its owner's latest update."""

    reference: str
    description: str
    owner: str
    is_open: bool
    due_on: date
    agreed_on: date
    last_update_on: date | None
    status_display: str


@dataclass(frozen=True)
class ReturnFacts:
    """An agency's return for the coming meeting: in, or not yet."""

    agency: str
    is_in: bool
    due_on: date


@dataclass(frozen=True)
class Group:
    kind: str
    sentences: tuple[str, ...]


def quoted(text: str) -> str:
    """A risk or outcome named by its first words."""
    text = " ".join((text or "").split()).rstrip(".")
    if len(text) > QUOTE_AT:
        cut = text[: QUOTE_AT - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…"
    return f"“{text}”"


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _scored(risk: dict) -> str:
    return f"{risk['band']} ({risk['score']})"


def _by_id(rows: Iterable[dict]) -> dict:
    return {row["id"]: row for row in rows}


def risk_changes(before: Sequence[dict], now: Sequence[dict]) -> tuple[list[str], list[str]]:
    """(sentences about the risks, sentences about their plans)."""
    was, is_ = _by_id(before), _by_id(now)
    risks, plans = [], []
    for risk_id, risk in is_.items():
        name = quoted(risk["description"])
        old = was.get(risk_id)
        if old is None:
            if risk["current"]:
                risks.append(f"New risk {name}: {_scored(risk)}.")
            else:
                risks.append(f"Risk {name} was added and retired since the review.")
            continue
        if old["current"] and not risk["current"]:
            why = (risk.get("retired_reason") or "").strip()
            risks.append(f"Risk {name} retired" + (f": {why}" if why else "."))
        elif risk["current"] and not old["current"]:
            risks.append(f"Risk {name} is current again: {_scored(risk)}.")
        if risk["current"] and (old["likelihood"], old["severity"]) != (
            risk["likelihood"],
            risk["severity"],
        ):
            risks.append(f"Risk {name} re-scored: {_scored(old)} → {_scored(risk)}.")
        if risk["current"]:
            parts = [label for key, label in PLAN_PARTS.items() if old.get(key) != risk.get(key)]
            new_mitigations = sorted(
                {a["reference"] for a in risk.get("actions", ())}
                - {a["reference"] for a in old.get("actions", ())}
            )
            if new_mitigations:
                parts.append("new mitigating actions " + ", ".join(new_mitigations))
            if parts:
                plans.append(f"The plan for risk {name} changed: {', '.join(parts)}.")
    for risk_id, old in was.items():
        if risk_id not in is_ and old["current"]:
            risks.append(f"Risk {quoted(old['description'])} is no longer in the assessment.")
    return risks, plans


def outcome_changes(before: Sequence[dict], now: Sequence[dict]) -> list[str]:
    was = _by_id(before)
    sentences = []
    for outcome_id, outcome in _by_id(now).items():
        name = quoted(outcome["outcome"])
        old = was.get(outcome_id)
        if old is None:
            sentences.append(f"New desired outcome {name}.")
        elif outcome.get("achievement") and outcome.get("achievement") != old.get("achievement"):
            sentences.append(f"Desired outcome {name} marked {outcome['achievement_display']}.")
    return sentences


def action_changes(actions: Sequence[ActionFacts], *, reviewed_on: date, today: date) -> list:
    """Finished since the review; stalled: open and overdue, or agreed before the review and
    not updated since (an action agreed at the review or after it, and not yet due, has not
    stalled)."""
    finished, stalled = [], []
    for action in actions:
        about = f"{action.reference} ({action.owner}): {quoted(action.description)}"
        if not action.is_open:
            if action.last_update_on is not None and action.last_update_on >= reviewed_on:
                finished.append(f"Finished: {about}, {action.status_display.lower()}.")
            continue
        if action.due_on < today:
            stalled.append(f"Stalled: {about}, overdue since {_day(action.due_on)}.")
        elif action.agreed_on < reviewed_on and (
            action.last_update_on is None or action.last_update_on < reviewed_on
        ):
            stalled.append(f"Stalled: {about}, no update since the review.")
    return finished + stalled


def capacity_changes(before: Sequence[dict], now: Sequence[dict]) -> list[str]:
    """Each capacity assessment recorded since the review, for its decision."""
    was = _by_id(before)
    return [
        f"Capacity assessed for {quoted(found['decision'])}: {found['outcome_display'].lower()}."
        for found_id, found in _by_id(now).items()
        if found_id not in was
    ]


def intervention_changes(before: Sequence[dict], now: Sequence[dict]) -> list[str]:
    """What agencies have started, and what has ended, since the review."""
    was = _by_id(before)
    sentences = []
    for found_id, found in _by_id(now).items():
        old = was.get(found_id)
        what = f"{found['agency']}: {quoted(found['what'])}"
        if old is None:
            sentences.append(f"Recorded as tried: {what}.")
        elif found.get("ended_on") and not old.get("ended_on"):
            sentences.append(f"Ended: {what}.")
    return sentences


def return_changes(returns: Sequence[ReturnFacts]) -> list[str]:
    received = [f"Return received from {r.agency}." for r in returns if r.is_in]
    missing = [f"No return from {r.agency} (due {_day(r.due_on)})." for r in returns if not r.is_in]
    return missing + received


def changes_since_review(
    *,
    before: dict,
    now: dict,
    actions: Sequence[ActionFacts] = (),
    returns: Sequence[ReturnFacts] = (),
    reviewed_on: date,
    today: date,
) -> list[Group]:
    """What has changed since the review whose snapshot is `before`: the kinds with something
    to say, in the order of KINDS."""
    risks, plans = risk_changes(before.get("risks", ()), now.get("risks", ()))
    found = {
        RISKS: risks,
        PLAN: plans,
        OUTCOMES: outcome_changes(
            before.get("desired_outcomes", ()), now.get("desired_outcomes", ())
        ),
        CAPACITY: capacity_changes(
            before.get("capacity_assessments", ()), now.get("capacity_assessments", ())
        ),
        TRIED: intervention_changes(before.get("interventions", ()), now.get("interventions", ())),
        ACTIONS: action_changes(actions, reviewed_on=reviewed_on, today=today),
        RETURNS: return_changes(returns),
    }
    return [Group(kind, tuple(found[kind])) for kind in KINDS if found[kind]]
