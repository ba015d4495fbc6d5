"""A rule read in one place shows the same everywhere: the cap comes from the pathway, not a
copy of 15; an action is overdue on every page that lists it, or on none."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services as action_services
from actions.models import Action
from panel.models import Pathway
from tests.factories import fill_pathway, make_referral


def test_every_page_shows_the_cap_the_pathway_holds(client_for, rosa, cora, maya):
    Pathway.objects.update_or_create(pk=1, defaults={"cap": 3})
    results = fill_pathway(rosa, cora, 4)
    assert [placement.waiting_position for _, placement in results] == [None, None, None, 1]
    coordinator = client_for(cora)
    assert "3 of 3" in coordinator.get(reverse("panel:cases")).text
    assert "holds 3 of 3 cases" in coordinator.get(reverse("panel:waiting_list")).text
    referral = make_referral(rosa, submit=True, nhs_number="", family_name="Later")
    screening = coordinator.get(reverse("referrals:screening_detail", args=[referral.pk])).text
    assert "3 of 3" in screening


def overdue_on(page: str, reference: str) -> bool:
    row = page[page.index(reference) :].split("</tr>")[0].split("</li>")[0]
    return "Overdue" in row


def test_an_action_is_overdue_on_every_page_or_on_none(client_for, rosa, cora, harriet, housing):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    late, today = (
        action_services.action_agree(
            case=case, by=cora, owner_agency=housing, description=what, due_on=timezone.localdate()
        )
        for what in ("Repair the heating", "Book the visit")
    )
    Action.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    pages = {
        "case's actions": client_for(cora).get(reverse("panel:case_actions", args=[case.pk])).text,
        "action log": client_for(cora).get(reverse("actions:list")).text,
        "SPoC's actions": client_for(harriet).get(reverse("actions:list")).text,
        "SPoC's home": client_for(harriet).get(reverse("home")).text,
    }
    for name, page in pages.items():
        assert overdue_on(page, late.reference), name
        assert not overdue_on(page, today.reference), name  # due today is not yet overdue
    for action, overdue in ((late, True), (today, False)):
        page = client_for(harriet).get(reverse("actions:detail", args=[action.pk])).text
        assert ("Overdue</strong>" in page) is overdue
