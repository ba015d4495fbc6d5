"""The actions' part of a meeting's minutes: the escalations of a case's actions resolved
since the previous meeting, in words. The panel drafts the minutes (panel/minutes.py) but may
not import the actions app, so this drafter is registered with it when Django starts
(actions/apps.py)."""

from collections import defaultdict

from django.utils import timezone

from actions.selectors import escalations_resolved_for_minutes


def escalations_resolved_lines(meeting, case_ids) -> dict[int, list[str]]:
    """The lines for each of the cases, read at once for the whole agenda."""
    lines = defaultdict(list)
    for escalation in escalations_resolved_for_minutes(case_ids, meeting):
        days = escalation.days_to_resolve
        response = escalation.response.strip()
        by = f" by {escalation.resolved_by}," if escalation.resolved_by else ""
        on = timezone.localtime(escalation.resolved_at)
        took = f"{days} day{'' if days == 1 else 's'}"
        lines[escalation.action.case_id].append(
            f"Action {escalation.action.reference} ({escalation.action.description}), "
            f"escalated to {escalation.get_level_display()}: "
            f"{escalation.get_outcome_display().lower()},{by} on {on:%-d %B %Y}, after {took}."
            + (f" {response}" if response else "")
        )
    return lines
