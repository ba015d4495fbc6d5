"""The pathway's figures for any page: how full it is ({% load pathway %}{% caseload as
caseload %}) and where a referral stands ({% referral_standing referral as standing %}).

The pathway's own figures (panel.selectors.caseload), so that pages outside the panel app,
the referral pages among them, show the cap without importing the panel app.
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from panel import selectors
from panel.rules.referral_standing import Standing
from panel.rules.referral_standing import referral_standing as rule

register = template.Library()


@register.simple_tag
def caseload() -> selectors.Caseload:
    """The caseload now: held, cap, waiting and places_left."""
    return selectors.caseload()


@register.simple_tag
def referral_standing(referral) -> Standing:
    """Where this referral stands (panel.rules.referral_standing), following its case to its
    close: {% referral_standing referral as standing %}. Lists select the referral's case with
    it (`select_related("case")`) so that this asks no query of its own."""
    try:
        case = referral.case
    except ObjectDoesNotExist:
        case = None
    if case is None:
        return rule(referral_status=referral.status)
    return rule(
        referral_status=referral.status,
        case_status=case.status,
        case_reference=case.reference,
        joined_caseload_on=_day(case.joined_caseload_at),
        closed_on=_day(case.closed_at),
        outcome_words=case.get_outcome_display() if case.outcome else "",
    )


def _day(moment):
    return timezone.localdate(moment) if moment else None
