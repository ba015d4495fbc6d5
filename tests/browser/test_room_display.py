"""The room display of a running panel meeting, in a real browser: the worst plausible item
fits one projected screen at 1280×720 and at 1920×1080 without scrolling, in large type, and
the display follows the item the coordinator shows without reloading."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from actions.models import Action
from actions.services import action_agree, action_escalate, action_update
from audit.models import RecordRead
from panel import assessment, meetings, returns
from panel import services as panel_services
from panel.models import AgencyReturn, AgendaItem, AgendaKind, Case, PanelMeeting, RiskReview
from panel.reviews import assessment_review
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    UserFactory,
    accept,
    fill_pathway,
    make_referral,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ESSENTIALS = ("who", "risk", "lead", "changes", "actions", "returns")
LONG_UPDATE = (
    "Two visits this fortnight found nobody in; the neighbour says the person has been staying "
    "with an acquaintance the police know from the county lines operation. The tenancy officer "
    "has written again and left a card, and the landlord has agreed to hold the possession "
    "claim until the panel has met, but will not wait beyond the end of the month."
)


def sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def spoc_of(agency):
    return UserFactory(username=f"spoc-{agency.short_name.lower()}", role=Role.SPOC, agency=agency)


def a_crowded_case(rosa, cora, housing, police, asc) -> tuple[Case, PanelMeeting]:
    """The worst plausible item: a case reviewed twice (medium, then high although its risks
    gave critical, with the reason), past its review date, seven agencies involved, four
    current risks and one retired since, outcomes, capacity and interventions recorded since,
    eight actions (five stalled, three of them escalated, with long updates), and returns in
    from three agencies and missing from four. On the agenda of a meeting running today."""
    today = timezone.localdate()
    fire = AgencyFactory(name="Bedfordshire Fire and Rescue Service", short_name="Fire")
    probation = AgencyFactory(name="Probation Service, Bedfordshire", short_name="Probation")
    mental_health = AgencyFactory(name="East London NHS Foundation Trust", short_name="ELFT")
    ambulance = AgencyFactory(name="East of England Ambulance Service", short_name="Ambulance")
    referral = make_referral(
        rosa,
        submit=True,
        nhs_number="",
        given_names="Alexandra Marie-Louise",
        family_name="Featherstonehaugh-Okonkwo",
        primary_need="victimisation",
        needs={"victimisation": "Cuckooed by a county lines group since the summer"},
    )
    referral, _ = accept(referral, cora)
    case = referral.case
    adopted_at = PanelMeeting.objects.create(date=today - timedelta(days=56))
    last_panel = PanelMeeting.objects.create(date=today - timedelta(days=28))
    AgendaItem.objects.create(
        meeting=adopted_at, position=1, kind=AgendaKind.NEW, case=case, title=""
    )
    AgendaItem.objects.create(
        meeting=last_panel, position=1, kind=AgendaKind.REVIEW, case=case, title=""
    )
    case = panel_services.case_adopt(
        case_id=case.pk, by=cora, version=case.version, meeting=adopted_at
    )
    agencies = [housing, police, asc, fire, probation, mental_health, ambulance]
    case = panel_services.case_set_agencies(
        case_id=case.pk, by=cora, version=case.version, agencies=agencies
    )
    case = panel_services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=case.version,
        agency=housing,
        officer="Harriet Lomax, tenancy sustainment lead for Luton North and Dunstable",
        reason="Holds the tenancy and visits weekly",
    )
    add = lambda description, likelihood, severity, **more: assessment.risk_add(  # noqa: E731
        case_id=case.pk,
        by=cora,
        description=description,
        to_whom=["person"],
        likelihood=likelihood,
        severity=severity,
        monitored_by=housing,
        **more,
    )
    eviction = add("Eviction for rent arrears, with nowhere safe to go in the winter", 3, 3)
    exploitation = add("Exploited by a county lines group using the flat to deal from", 3, 3)
    falls = add("Falls at home while intoxicated, found on the floor twice since May", 2, 4)
    case.refresh_from_db()
    first = assessment_review(case_id=case.pk, by=cora, version=case.version, level="medium")
    RiskReview.objects.filter(pk=first.pk).update(reviewed_on=adopted_at.date, meeting=adopted_at)
    eviction = assessment.risk_change(
        risk_id=eviction.pk, by=cora, version=eviction.version, likelihood=5, severity=4
    )
    case.refresh_from_db()
    second = assessment_review(
        case_id=case.pk,
        by=cora,
        version=case.version,
        level="high",
        reason="The landlord has agreed to hold the possession claim until the next panel, so "
        "the panel records high rather than the critical its risks give this month.",
    )
    RiskReview.objects.filter(pk=second.pk).update(reviewed_on=last_panel.date, meeting=last_panel)
    Case.objects.filter(pk=case.pk).update(next_review_on=today - timedelta(days=3))

    # Since the last review: risks added, re-scored and retired; the plan, outcomes, capacity
    # and what has been tried recorded.
    add(
        "Financial abuse: benefits collected by others, no food in the flat on two visits",
        4,
        4,
        contingency_trigger="No food in the flat",
    )
    add("Serious violence from the group if the person engages with the police", 4, 5)
    exploitation = assessment.risk_change(
        risk_id=exploitation.pk,
        by=cora,
        version=exploitation.version,
        likelihood=5,
        severity=5,
        contingency_trigger="The group is seen at the flat again",
        contingency_response="Police attend; Housing changes the locks the same day",
    )
    assessment.risk_retire(
        risk_id=falls.pk,
        by=cora,
        version=falls.version,
        reason="Moved to a ground-floor flat with a pendant alarm",
    )
    for outcome in (
        "To stay in my own flat and have my grandchildren visit again.",
        "To feel safe when I open my front door.",
    ):
        assessment.desired_outcome_add(case_id=case.pk, by=cora, outcome=outcome)
    assessment.capacity_record(
        case_id=case.pk,
        by=cora,
        decision="Whether to accept a move to supported accommodation",
        assessed_by="ASC social worker (fictional)",
        assessed_on=today - timedelta(days=10),
        outcome="has_capacity",
    )
    for agency, what in (
        (asc, "Daily home care visits, declined after a week"),
        (police, "Closure order on the flat considered"),
    ):
        assessment.intervention_record(
            case_id=case.pk, by=cora, agency=agency, what=what, started_on=today - timedelta(20)
        )

    # Eight actions: five stalled (three escalated), two on time, one done.
    spocs = {agency: spoc_of(agency) for agency in (housing, police, asc, fire)}
    plans = [
        (
            housing,
            "Set up a payment plan with the landlord and apply for a discretionary "
            "housing payment to clear the arrears",
            -12,
            2,
        ),
        (
            police,
            "Serve a closure order on the flat and move the person somewhere safe while "
            "it is in force",
            -9,
            1,
        ),
        (
            asc,
            "Complete a Care Act assessment with an advocate present, in the person's own "
            "home and at a time they choose",
            -6,
            1,
        ),
        (fire, "Home fire safety visit, with smoke alarms fitted in every room", -4, 0),
        (housing, "Change the locks and fit a door camera, with the person's agreement", -2, 0),
        (police, "Welfare check twice a week while the group is active nearby", 14, 0),
        (asc, "Refer to the community alcohol team, with a warm handover", 21, 0),
        (fire, "Fit a fire-retardant bedding pack", 10, 0),
    ]
    for n, (agency, description, due_in, escalate) in enumerate(plans):
        action = action_agree(
            case=case,
            by=cora,
            description=description,
            owner_agency=agency,
            due_on=today + timedelta(days=30),
        )
        Action.objects.filter(pk=action.pk).update(due_on=today + timedelta(days=due_in))
        action.refresh_from_db()
        if n < 4:
            action = action_update(
                action_id=action.pk,
                by=spocs[agency],
                version=action.version,
                status="in_progress",
                note=LONG_UPDATE,
            )
        if escalate:
            action = action_escalate(
                action_id=action.pk,
                by=cora,
                version=action.version,
                level=escalate,
                reason="No progress since the last panel",
            )
        if n == 7:
            action_update(
                action_id=action.pk,
                by=spocs[agency],
                version=action.version,
                status="done",
                note="Fitted.",
            )

    # The meeting, tomorrow while the agencies send their returns (three of seven), then today
    # and running, with the case first.
    meeting = PanelMeeting.objects.create(date=today + timedelta(days=1))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    returns.run_returns_sweep(today=today)
    assert AgencyReturn.objects.filter(meeting=meeting, case=case).count() == 7
    for agency in (housing, police, asc):
        agency_return = AgencyReturn.objects.get(meeting=meeting, case=case, agency=agency)
        returns.return_submit(
            return_id=agency_return.pk,
            by=spocs[agency],
            version=agency_return.version,
            contact="Seen twice",
            changes="The possession hearing is adjourned.",
            risks="",
            progress="",
        )
    PanelMeeting.objects.filter(pk=meeting.pk).update(date=today)
    meeting.refresh_from_db()
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    return Case.objects.get(pk=case.pk), meeting


def essentials_fit(page, width, height, tmp_path, name, essentials=ESSENTIALS):
    """Each essential inside the viewport, the page not scrolling, and (at 1280×720) every
    piece of text in the essentials at least 24px. Returns the screenshot's path."""
    path = tmp_path / f"{name}-{width}x{height}.png"
    page.screenshot(path=str(path))
    print(f"{path.name}: {path.stat().st_size} bytes")
    for essential in essentials:
        box = page.locator(f"[data-essential={essential}]").bounding_box()
        assert box is not None, essential
        assert box["x"] >= 0, (essential, box)
        assert box["y"] >= 0, (essential, box)
        assert box["x"] + box["width"] <= width, (essential, box)
        assert box["y"] + box["height"] <= height, (essential, box)
    scroll = page.evaluate(
        "() => [document.documentElement.scrollHeight, window.innerHeight,"
        " document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll[0] <= scroll[1], f"scrolls down: {scroll}"
    assert scroll[2] <= scroll[3], f"scrolls across: {scroll}"
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('[data-essential], [data-essential] *')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim()))
            .filter(e => !e.closest('.govuk-visually-hidden'))
            .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
    )
    assert 24 * width / 1280 <= smallest < 100, smallest
    print(f"{path.name}: the smallest text in the essentials is {smallest}px")
    return path


def test_the_worst_plausible_item_fits_one_screen_in_large_type_at_both_sizes(
    page, rosa, cora, housing, police, asc, tmp_path, assert_accessible
):
    case, meeting = a_crowded_case(rosa, cora, housing, police, asc)
    meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=1)
    sign_in(page, "cora")
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(reverse("panel:room", args=[meeting.pk]))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Alexandra Marie-Louise Featherstonehaugh-Okonkwo"
        )
        expect(page.locator("[data-essential=actions]")).to_contain_text("and 2 more stalled")
        expect(page.locator("[data-essential=changes]")).to_contain_text("more changes")
        expect(page.locator("[data-essential=returns]")).to_contain_text("4 missing")
        expect(page.locator("[data-essential=risk]")).to_contain_text("Past its review date")
        essentials_fit(page, width, height, tmp_path, "crowded-case")
    assert_accessible(page)


def test_the_display_follows_the_coordinator_without_reloading(
    page, rosa, cora, housing, police, asc, tmp_path, assert_accessible
):
    case, meeting = a_crowded_case(rosa, cora, housing, police, asc)
    meetings.agenda_add_item(
        meeting_id=meeting.pk,
        by=cora,
        title="The Board's annual report",
        notes="The chair asks each agency for two lines on what the pathway changed for them.",
    )
    # A full room: sixteen attending (one of them on their own device), two apologies.
    agencies = [
        housing,
        police,
        asc,
        *AgencyFactory._meta.model.objects.exclude(pk__in=[housing.pk, police.pk, asc.pk]),
    ]
    for n in range(16):
        meetings.attendance_record(
            meeting_id=meeting.pk,
            by=cora,
            agency=agencies[n % len(agencies)],
            attendee=f"Attendee {n + 1} Longfamilyname, practice lead",
            agreed_to_confidentiality=n % 3 != 0,
        )
    for n in range(2):
        meetings.attendance_record(
            meeting_id=meeting.pk,
            by=cora,
            agency=agencies[n],
            attendee=f"Absent {n + 1} Example",
            agreed_to_confidentiality=False,
            apologies=True,
        )
    sign_in(page, "cora")
    page.goto(reverse("panel:room", args=[meeting.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confidentiality")
    expect(page.get_by_role("heading", name="Attending (16)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Apologies: .*Absent 1 Example"))).to_be_visible()
    essentials_fit(page, 1280, 720, tmp_path, "opening", ("confidentiality", "attending"))
    assert_accessible(page)
    page.evaluate("() => { window.__marker = 1 }")

    meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=1)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Alexandra Marie-Louise Featherstonehaugh-Okonkwo", timeout=6000
    )
    expect(page.locator("[data-room-position]")).to_have_text("Item 1 of 2")
    expect(page).to_have_title(f"Item 1 of 2: {case.reference} – Room display, {meeting} – CASPA")

    meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=2)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Board's annual report", timeout=6000
    )
    expect(page.locator("[data-room-position]")).to_have_text("Item 2 of 2")
    expect(page.get_by_text("two lines on what the pathway changed")).to_be_visible()
    assert page.evaluate("() => window.__marker") == 1
    essentials_fit(page, 1280, 720, tmp_path, "other-business", ("who", "notes"))
    assert_accessible(page)


def test_a_member_goes_from_the_home_page_to_the_display_agreeing_on_their_own_device(
    page, rosa, cora, milo, housing, assert_accessible
):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=housing,
        attendee="Milo Test",
        agreed_to_confidentiality=False,
        user=milo,
    )

    sign_in(page, "milo")
    banner = page.get_by_role("region", name="Panel meeting")
    expect(banner).to_contain_text(f"The panel meeting of {meeting.date:%-d %B %Y} is running")
    assert_accessible(page)
    banner.get_by_role("link", name="follow it on this device").click()
    expect(page.get_by_text(meeting.confidentiality_statement)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I agree").click()

    expect(page).to_have_url(re.compile(rf"{reverse('panel:room', args=[meeting.pk])}$"))
    expect(page.locator("[data-room-position]")).to_have_text("Opening · 1 item")
    expect(page.get_by_role("listitem").filter(has_text="Milo Test")).to_contain_text("✓")
    assert_accessible(page)
    meetings.meeting_show_item(meeting_id=meeting.pk, by=cora, position=1)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        str(referral.case.person), timeout=6000
    )
    assert RecordRead.objects.filter(reader=milo, record_id=referral.case.pk).exists()
    assert_accessible(page)
