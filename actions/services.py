"""Agreeing actions on a case. One function per change, each in a transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions import rules
from actions.models import Action
from panel.services import record_event


@transaction.atomic
def action_agree(
    *,
    case,
    by,
    description: str,
    owner_agency,
    due_on,
    owner_officer: str = "",
    meeting=None,
    mdt=None,
) -> Action:
    """An action agreed at a panel meeting, an MDT, or by the coordinator."""
    problems = rules.action_problems(
        description=description,
        due_on=due_on,
        today=timezone.localdate(),
        owner_agency_id=owner_agency.pk if owner_agency else None,
        involved_agency_ids=set(case.involved_agencies.values_list("pk", flat=True)),
    )
    if problems:
        raise ValidationError(problems)
    action = Action(
        case=case,
        description=description.strip(),
        owner_agency=owner_agency,
        owner_officer=owner_officer,
        due_on=due_on,
        agreed_at_meeting=meeting,
        agreed_at_mdt=mdt,
        created_by=by,
    )
    action._history_user = by
    action.save()
    where = (
        f"at the panel meeting of {meeting.date:%-d %B %Y}"
        if meeting
        else f"at the MDT of {mdt.held_on:%-d %B %Y}"
        if mdt
        else "by the coordinator"
    )
    record_event(
        case,
        f"Action {action.reference} agreed {where}: {owner_agency.short_name}, "
        f"due {due_on:%-d %B %Y}",
        by,
    )
    return action
