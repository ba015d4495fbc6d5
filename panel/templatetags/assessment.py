"""The risk assessment's words on any page: {% load assessment %}, then a band as a tag
(`{% band_tag risk.band %}`) and a score's numbers in the stated scales' words."""

from django import template
from django.utils.html import format_html

from panel.models import RiskBand
from panel.rules import risk as risk_rules

register = template.Library()

BAND_COLOURS = {
    risk_rules.CRITICAL: "red",
    risk_rules.HIGH: "orange",
    risk_rules.MEDIUM: "yellow",
    risk_rules.LOW: "green",
}


@register.simple_tag
def band_tag(band):
    """The band as a GOV.UK tag, coloured from red (critical) to green (low)."""
    if band not in BAND_COLOURS:
        return ""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
        BAND_COLOURS[band],
        RiskBand(band).label,
    )


def _first_words(scale: dict, number) -> str:
    """'Likely' from '4: Likely: will probably happen…'."""
    return scale.get(number, "").split(":")[0]


@register.filter
def likelihood_words(number) -> str:
    return _first_words(risk_rules.LIKELIHOOD, number)


@register.filter
def severity_words(number) -> str:
    return _first_words(risk_rules.SEVERITY, number)
