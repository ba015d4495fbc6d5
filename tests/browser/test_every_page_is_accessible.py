"""Every page a coordinator, a SPoC and a manager reach, and every role's home page, with the
demo's data (seeded once a session: the `demo` fixture, tests/conftest.py), passes axe."""

import pytest
from django.urls import reverse

from actions.models import Action
from demo.data import DEMO_PASSWORD
from panel.models import AgencyReturn, Case, PanelMeeting
from referrals.models import Person, Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_every_page_passes_axe_for_each_role(demo, page, assert_accessible):
    waiting = Referral.objects.screening_queue().first()
    meeting = PanelMeeting.objects.filter(items__isnull=False).order_by("date").first()
    case = Case.objects.filter(status="active").first()
    risk = case.risks.current().first()
    outcome = case.desired_outcomes.first()
    intervention = case.interventions.first()
    escalated = Action.objects.escalated().first()
    housing_return = AgencyReturn.objects.filter(
        agency__short_name="Housing", case__status="active"
    ).first()
    approved = PanelMeeting.objects.filter(minutes_status="approved", items__isnull=False).first()
    draft = PanelMeeting.objects.filter(minutes_status="draft", items__isnull=False).first()
    closed = Case.objects.filter(status="closed").first()
    pages = {
        "coordinator": [
            "/",
            reverse("referrals:list"),
            reverse("referrals:screening_queue"),
            reverse("referrals:screening_detail", args=[waiting.pk]),
            reverse(
                "referrals:screening_detail",
                args=[Referral.objects.filter(questions__answered_at__isnull=False).first().pk],
            ),
            reverse("referrals:person", args=[Person.objects.first().pk]),
            reverse("panel:cases"),
            reverse("panel:waiting_list"),
            case.get_absolute_url(),
            reverse("panel:case_actions", args=[case.pk]),
            reverse("panel:case_meetings", args=[case.pk]),
            reverse("panel:case_chronology", args=[case.pk]),
            reverse("panel:case_chronology", args=[case.pk]) + "?kind=actions",
            reverse("panel:case_chronology", args=[case.pk]) + "?kind=nothing-such",
            reverse("panel:case_people", args=[case.pk]),
            reverse("panel:case_review", args=[case.pk, case.reviews.first().pk]),
            reverse("panel:risk_add", args=[case.pk]),
            reverse("panel:risk_change", args=[risk.pk]),
            reverse("panel:risk_retire", args=[risk.pk]),
            reverse("panel:persons_views_revise", args=[case.pk]),
            reverse("panel:desired_outcome_add", args=[case.pk]),
            reverse("panel:desired_outcome_change", args=[outcome.pk]),
            reverse("panel:capacity_record", args=[case.pk]),
            reverse("panel:intervention_record", args=[case.pk]),
            reverse("panel:intervention_change", args=[intervention.pk]),
            reverse("panel:lead_disagreement", args=[case.pk]),
            reverse("panel:case_closing", args=[case.pk]),
            reverse("actions:detail", args=[escalated.pk]),
            reverse("panel:meetings"),
            meeting.get_absolute_url(),
            reverse("panel:minutes", args=[meeting.pk]),
            reverse("panel:minutes", args=[draft.pk]),
            reverse("panel:pack", args=[meeting.pk]),
            reverse("panel:screen", args=[meeting.pk, 0]),
            reverse("panel:screen", args=[meeting.pk, 1]),
            reverse("actions:list"),
            reverse("actions:list") + "?overdue=on&sort=-due",
            reverse("actions:detail", args=[Action.objects.first().pk]),
            reverse("accounts:agencies"),
            reverse("accounts:people"),
            reverse("dashboard:index"),
            reverse("dashboard:access_report"),
            # A period the form refuses: the errors beside the fields, and what was typed.
            reverse("dashboard:access_report") + "?start_day=31&start_month=2&start_year=2026",
            reverse("dashboard:commentary", args=["2026-q1"]),
            reverse("retention_review"),
            reverse("retention_person", args=[closed.person_id]),
        ],
        "spoc.housing": [
            "/",
            reverse("referrals:list"),
            reverse("panel:cases"),
            reverse("actions:list"),
            reverse("panel:return", args=[housing_return.pk]),
            *[
                reverse(name, args=[housing_return.case_id])
                for name in (
                    "panel:case",
                    "panel:case_actions",
                    "panel:case_meetings",
                    "panel:case_chronology",
                    "panel:case_people",
                )
            ],
            reverse("panel:meetings"),
            reverse("panel:minutes", args=[approved.pk]),
            *[
                reverse("actions:detail", args=[a.pk])
                for a in Action.objects.filter(
                    owner_agency__short_name="Housing", case__status="active"
                )[:1]
            ],
        ],
        "chair": ["/", reverse("panel:minutes_approve_confirm", args=[draft.pk])],
        "referrer.housing": [
            "/",
            reverse("referrals:start"),
            reverse("referrals:list") + "?stands=asked",
            reverse("referrals:list") + "?stands=ended",
            *[
                reverse("referrals:delete", args=[r.pk])
                for r in Referral.objects.filter(
                    created_by__username="referrer.housing", status="draft"
                )
            ],
            *[
                reverse("referrals:check", args=[r.pk])
                for r in Referral.objects.filter(
                    created_by__username="referrer.housing", status="more_information"
                )
            ],
            *[
                r.get_absolute_url()
                for r in Referral.objects.filter(created_by__username="referrer.housing")
            ],
        ],
        "manager": ["/", reverse("panel:cases"), reverse("dashboard:index")],
        # The home pages of the roles not above: each lists what that role has to do.
        "admin": ["/"],
        "spoc.police": ["/"],
        "member.housing": ["/"],
    }
    for username, paths in pages.items():
        sign_in(page, username)
        for path in paths:
            page.goto(path)
            assert_accessible(page)
        page.get_by_role("button", name="Sign out").click()
    # In the same test: the live server's teardown empties the database, and seeding the demo
    # again for a second test would take most of a minute.
    the_search_pages_pass_axe(page, assert_accessible)


def the_search_pages_pass_axe(page, assert_accessible):
    """The search page empty, with results of every kind, with nothing found, and with an
    error: it is reached by POST, so each is a search from the header."""
    person = Person.objects.filter(cases__isnull=False).first()
    action = Action.objects.first()

    def search(term):
        header = page.get_by_role("search", name="Search CASPA")
        header.get_by_label("Search by name, date of birth, NHS number or reference").fill(term)
        header.get_by_role("button", name="Search").click()
        page.wait_for_url("**/search/")

    for username in ("coordinator", "spoc.housing"):
        sign_in(page, username)
        page.goto(reverse("search"))
        assert_accessible(page)
        for term in (person.family_name, action.reference, "Nobodyatall", "x"):
            search(term)
            assert_accessible(page)
        page.get_by_role("button", name="Sign out").click()
