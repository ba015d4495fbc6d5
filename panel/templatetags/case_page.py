"""The case page's chronology with its references as references: each kept whole
(`caspa-ref`), and each of the case's actions a link to its page."""

import re

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

REFERENCE = re.compile(r"\b([ACR])-(\d{6,})\b")


@register.filter
def with_references(text: str, action_ids) -> str:
    """`text`, escaped, with every R-, C- and A- reference wrapped so that it does not break at
    its hyphen; an A- reference to one of `action_ids` (the case's own actions, which whoever
    sees the case may open) links to its action's page."""

    def wrap(match: re.Match) -> str:
        reference = match.group(0)
        if match.group(1) == "A" and int(match.group(2)) in action_ids:
            href = reverse("actions:detail", args=[int(match.group(2))])
            return f'<a class="govuk-link caspa-ref" href="{href}">{reference}</a>'
        return f'<span class="caspa-ref">{reference}</span>'

    return mark_safe(REFERENCE.sub(wrap, escape(text)))  # noqa: S308 (escaped first)
