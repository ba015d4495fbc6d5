"""The actions' parts of the panel's pages (the case page, the meeting screen, the agenda
pack). The panel sits below the actions in the app graph, so its pages take these through
template tags rather than importing them (docs/architecture.md)."""

from django import template
from django.utils import timezone

from actions.forms import AgreeActionForm
from actions.selectors import actions_for_review, agency_open_actions_on_case
from panel.forms import offer
from panel.pages import apply_drafts, ids_for
from panel.selectors import current_risks

register = template.Library()


@register.inclusion_tag("actions/_agree_form.html", takes_context=True)
def agree_action_form(context, case, meeting=None):
    """The form to agree an action for the case: the one the user sent back, if the page is
    shown again with its errors, or a blank one (at a meeting: recorded as agreed there)."""
    form = context.get("bound_forms", {}).get("action")
    if form is None:
        form = AgreeActionForm(
            case=case,
            with_mdt=meeting is None,
            initial={"meeting": meeting.pk} if meeting else None,
            auto_id=ids_for("action"),
        )
        # Drawn from what the page has read of the case already (its agencies, read with it,
        # and its current risks), not read again for the boxes.
        offer(
            form.fields["owner_agency"], case.involved_agencies.all(), case.involved_agencies.all()
        )
        offer(form.fields["risk"], case.risks.current(), current_risks(case))
        # On the control view: what the coordinator typed and has not yet agreed, kept.
        apply_drafts(form, context.get("action_drafts") or {})
    return {
        "form": form,
        "case": case,
        "return_to": context.get("return_to", ""),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def review_actions(case, since):
    """What the panel reviews for the case: stalled first, and those finished since `since`."""
    return actions_for_review(case, since=since)


@register.simple_tag
def agency_open_actions(case, agency):
    """The agency's open actions on the case, for its return before a panel meeting."""
    return list(agency_open_actions_on_case(case, agency))


@register.inclusion_tag("actions/_risk_mitigations.html")
def risk_mitigations(risk):
    """The actions agreed to reduce this risk: its plan's mitigations."""
    return {"actions": risk.mitigations.all()}  # due first (Action's ordering); prefetched


# The room display holds this many stalled actions; the rest are counted.
ROOM_STALLED_SHOWN = 3


@register.inclusion_tag("actions/_room_actions.html")
def room_actions(case, since):
    """For the room display of a meeting: the case's stalled actions (escalated, then overdue:
    `actions_for_review`'s order), the first few with their owner's latest update, and how
    many others are open on time and finished since the case's last review (`since`)."""
    review = actions_for_review(case, since=since)
    today = timezone.localdate()
    stalled = [a for a in review if a.is_open and (a.is_escalated or a.is_overdue(today))]
    on_time = [a for a in review if a.is_open and a not in stalled]
    return {
        "stalled": stalled[:ROOM_STALLED_SHOWN],
        "stalled_more": max(len(stalled) - ROOM_STALLED_SHOWN, 0),
        "on_time": len(on_time),
        "finished": len([a for a in review if not a.is_open]),
        "since": since,
    }
