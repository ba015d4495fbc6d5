"""Leaving the pathway: the closing page's readiness checklist, and marking the person's
desired outcomes, which a step-down needs (panel/rules/closure.py has the rule itself).

The closing page's readiness checklist and `services.case_close` both read the case through
`selectors.closure_facts` into the one rule, so the page cannot promise what the service
refuses.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from caspa.core.locking import lock_at_version, save_as
from panel import permissions, services
from panel.chronology import EventKind, record_event
from panel.models import Achievement, Case, DesiredOutcome
from panel.rules import closure as rules
from panel.selectors import closure_facts
from panel.services import require_on_caseload, shorten


@dataclass(frozen=True)
class Check:
    """One line of the closing page's readiness checklist: what a step-down needs, and what is
    missing (empty when it is done)."""

    name: str
    label: str
    missing: list[str]

    @property
    def done(self) -> bool:
        return not self.missing


def step_down_checklist(
    case: Case,
    *,
    override_reason: str = "",
    handover_plan: str = "",
    handover_contingency: str = "",
) -> list[Check]:
    """Whether the case could step down now, from the same rule the service applies: the
    review, the handover (as typed, when the form came back) and the desired outcomes."""
    facts = closure_facts(case)
    problems = rules.closure_problems(
        outcome=rules.STEPPED_DOWN,
        agreed_on_given=True,
        override_reason=override_reason,
        handover_plan=handover_plan,
        handover_contingency=handover_contingency,
        **facts,
    )

    def missing(*keys):
        return [problems[key] for key in keys if key in problems]

    overriding = rules.override_used(
        latest_reviewed_level=facts["latest_reviewed_level"], override_reason=override_reason
    )
    review = (
        "The panel records why it steps the case down with the risk not reviewed below high"
        if overriding
        else "The latest review put the risk below high"
    )
    return [
        Check("review", review, missing("override_reason")),
        Check(
            "handover",
            "A handover to the agency taking the case on: what it will keep doing, and the "
            "contingency it inherits",
            missing("handover_plan", "handover_contingency"),
        ),
        Check(
            "outcomes",
            "Each of the person's desired outcomes is marked",
            missing("desired_outcomes"),
        ),
        Check(
            "actions",
            "Every action is finished: done, could not be done, or no longer needed",
            [services.open_actions_problem(still_open)]
            if (still_open := services.open_actions(case))
            else [],
        ),
    ]


ACHIEVEMENT_NEEDED = "Select whether the outcome was achieved, partly achieved or not achieved"


@transaction.atomic
def desired_outcome_mark(
    *, outcome_id: int, by, version: int, achievement: str, note: str = ""
) -> DesiredOutcome:
    """Mark one of the person's desired outcomes achieved, partly achieved or not achieved,
    with a note: what a step-down closure asks of each."""
    permissions.require_running_the_panel(by)
    if achievement not in Achievement.values:
        raise ValidationError({"achievement": ACHIEVEMENT_NEEDED})
    case_id = DesiredOutcome.objects.values_list("case_id", flat=True).get(pk=outcome_id)
    # The case first, as closing takes it: a closure counting unmarked outcomes waits for this.
    case = Case.objects.select_for_update().get(pk=case_id)
    require_on_caseload(case)
    outcome = lock_at_version(DesiredOutcome.objects, pk=outcome_id, version=version)
    before = outcome.achievement
    outcome.achievement = achievement
    outcome.achievement_note = note.strip()
    save_as(outcome, by=by)
    words = Achievement(achievement).label.lower()
    was = f" (was {Achievement(before).label.lower()})" if before and before != achievement else ""
    record_event(
        case,
        f"Desired outcome marked {words}{was}: '{shorten(outcome.outcome, 60)}'",
        by,
        kind=EventKind.ASSESSMENT,
    )
    return outcome
