"""The person's rights on the person's page (a referrals page): the subject access export
button, for the coordinator only. The page takes it through this tag, so referrals imports
nothing of the project layer (docs/architecture.md)."""

from django import template

from referrals.permissions import can_answer_persons_rights

register = template.Library()


@register.inclusion_tag("caspa/_person_rights.html", takes_context=True)
def person_rights(context, person):
    user = context["request"].user
    return {
        "person": person,
        "shown": can_answer_persons_rights(user) and not person.merged_into_id,
        "csrf_token": context.get("csrf_token"),
    }
