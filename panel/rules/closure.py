"""When a case may leave the pathway, as one pure function.

The practice example's rule: a case stays "until high-level risk has been reduced and it is
safe for one agency to continue". So a step-down needs the latest reviewed level below high
(or the panel overriding that, with its reason), a handover to the one agency that carries
on (what it will keep doing, and the contingency it inherits), and each of the person's
desired outcomes marked achieved, partly achieved or not achieved. The other outcomes keep
rules of their own (docs/risk-assessment.md).
"""

from panel.rules import risk

STEPPED_DOWN = "stepped_down"
MOVED_AWAY = "moved_away"
DIED = "died"
DECLINED_WITH_CAPACITY = "declined_with_capacity"
OTHER = "other"

OUTCOME_NEEDED = "Select the outcome: a case cannot close without one"
AGREED_ON_NEEDED = "Enter the date the panel agreed to close the case"
STEP_DOWN_AGENCY_NEEDED = "Select the agency taking the case on"
STEP_DOWN_AGENCY_NOT_INVOLVED = "The agency taking the case on must be involved in it already"
NOT_REVIEWED = "The panel has not reviewed this case's risk yet: review it before it steps down."
STILL_HIGH = (
    "The latest review put the risk at {level}: a case steps down only once the high-level "
    "risk is reduced. Review it again, or record why the panel steps it down anyway."
)
RISEN_SINCE_REVIEW = (
    "Since the latest review its risks have been re-scored: they now give {level}. Review the "
    "case again before it steps down, or record why the panel steps it down anyway."
)
HANDOVER_PLAN_NEEDED = "Say what the agency taking the case on will keep doing"
HANDOVER_CONTINGENCY_NEEDED = (
    "Say what the agency taking the case on will do if the risk rises again: the contingency "
    "it inherits"
)
OUTCOMES_UNMARKED = (
    "Mark each of the person's desired outcomes achieved, partly achieved or not achieved "
    "({count} still to mark)"
)
NO_CAPACITY_RECORDED = (
    "Record a capacity assessment finding the person has capacity for the decision they "
    "made, before closing on their declining"
)
OUTCOME_DETAIL_NEEDED = "Explain the outcome"


def closure_problems(
    *,
    outcome: str,
    agreed_on_given: bool,
    latest_reviewed_level: str | None,
    override_reason: str = "",
    step_down_agency_id: int | None = None,
    involved_agency_ids: frozenset[int] | set[int] = frozenset(),
    handover_plan: str = "",
    handover_contingency: str = "",
    desired_outcomes_unmarked: int = 0,
    capacity_to_decline_recorded: bool = False,
    outcome_detail: str = "",
    current_level: str | None = None,
) -> dict[str, str]:
    """Why the case cannot close with this outcome now, by the field to put right; {} when it
    can."""
    problems = {}
    if not outcome:
        problems["outcome"] = OUTCOME_NEEDED
    if not agreed_on_given:
        problems["agreed_on"] = AGREED_ON_NEEDED
    if outcome == STEPPED_DOWN:
        if step_down_agency_id is None:
            problems["step_down_agency"] = STEP_DOWN_AGENCY_NEEDED
        elif step_down_agency_id not in involved_agency_ids:
            problems["step_down_agency"] = STEP_DOWN_AGENCY_NOT_INVOLVED
        if not override_reason.strip():
            if latest_reviewed_level is None:
                problems["override_reason"] = NOT_REVIEWED
            elif not risk.is_below_high(latest_reviewed_level):
                problems["override_reason"] = STILL_HIGH.format(level=latest_reviewed_level)
            elif current_level is not None and not risk.is_below_high(current_level):
                problems["override_reason"] = RISEN_SINCE_REVIEW.format(level=current_level)
        if not handover_plan.strip():
            problems["handover_plan"] = HANDOVER_PLAN_NEEDED
        if not handover_contingency.strip():
            problems["handover_contingency"] = HANDOVER_CONTINGENCY_NEEDED
        if desired_outcomes_unmarked:
            problems["desired_outcomes"] = OUTCOMES_UNMARKED.format(count=desired_outcomes_unmarked)
    if outcome == DECLINED_WITH_CAPACITY and not capacity_to_decline_recorded:
        problems["outcome"] = NO_CAPACITY_RECORDED
    if outcome == OTHER and not outcome_detail.strip():
        problems["outcome_detail"] = OUTCOME_DETAIL_NEEDED
    return problems


def ready_to_step_down(**facts) -> bool:
    """Whether a step-down closure would be accepted on these facts."""
    return not closure_problems(outcome=STEPPED_DOWN, agreed_on_given=True, **facts)


def override_used(*, latest_reviewed_level: str | None, override_reason: str) -> bool:
    """Whether a step-down rests on the panel's reason rather than on the review: a reason is
    given, and the latest review did not put the risk below high (or there was none)."""
    if not override_reason.strip():
        return False
    return latest_reviewed_level is None or not risk.is_below_high(latest_reviewed_level)
