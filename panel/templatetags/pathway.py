"""How full the pathway is, for any page: {% load pathway %}{% caseload as caseload %}.

The pathway's own figures (panel.selectors.caseload), so that pages outside the panel app,
the referral pages among them, show the cap without importing the panel app.
"""

from django import template

from panel import selectors

register = template.Library()


@register.simple_tag
def caseload() -> selectors.Caseload:
    """The caseload now: held, cap, waiting and places_left."""
    return selectors.caseload()
