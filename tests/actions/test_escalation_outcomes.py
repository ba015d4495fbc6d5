"""Escalations end only with what was done: each is recorded from when it was raised (by the
sweep or by hand) to who resolved it, when, how, and why; in the chronology, by e-mail to the
owning agency (its reference only), on the action's page and in the minutes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.services import agency_appoint_spoc
from actions import escalations, rules, services
from actions.models import Action, Escalation, EscalationOutcome
from actions.sweep import run_sweep
from caspa.core.models import OutboxMessage
from panel.models import PanelMeeting
from tests.factories import case_with_lead, fill_pathway
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE

IN_A_MONTH = timezone.localdate() + timedelta(days=30)
DATE = ["day", "month", "year"]


@pytest.fixture
def case(rosa, cora, harriet, housing, piers, police):
    """Housing leads; the Police are involved too. Both have their SPoC."""
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    agency_appoint_spoc(agency=police, spoc=piers, by=cora)
    return case_with_lead(rosa, cora, agencies=[housing, police], lead=housing)


@pytest.fixture
def action(case, cora, police):
    """The Police's welfare visit, agreed today."""
    return services.action_agree(
        case=case,
        by=cora,
        owner_agency=police,
        description="Welfare visit",
        due_on=timezone.localdate(),
    )


def overdue_by(action, days) -> Action:
    # A new date behind the services' back: the sweep is told to look again, as a save does.
    Action.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - timedelta(days=days), sweep_next_on=None
    )
    action.refresh_from_db()
    return action


def escalated(action, days=8) -> Action:
    """Overdue long enough for the sweep to escalate it (to the chair at 21 days)."""
    overdue_by(action, days)
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    return action


def resolve(action, by, **answers):
    answers.setdefault("response", "Spoke to the sergeant: visit rebooked")
    return escalations.escalation_resolve(
        action_id=action.pk, by=by, version=action.version, **answers
    )


def latest_event(action) -> str:
    return action.case.events.order_by("happened_at", "pk").last().summary


# --- raised -------------------------------------------------------------------------------


def test_the_sweep_opens_one_escalation_and_raises_its_level(action):
    escalated(action)
    escalated(action)  # a second sweep opens no second one
    [escalation] = action.escalations.all()
    assert (escalation.level, escalation.raised_by, escalation.is_resolved) == (1, None, False)
    escalated(action, days=30)
    [escalation] = action.escalations.all()
    assert escalation.level == 2


def test_an_owners_update_steps_back_but_the_escalation_keeps_its_highest_level(action, piers):
    action = escalated(action, days=30)
    services.action_update(
        action_id=action.pk, by=piers, version=action.version, status="in_progress", note="Booked"
    )
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    assert action.escalation_level == 1
    [escalation] = action.escalations.all()
    assert (escalation.level, escalation.is_resolved) == (2, False)


def test_escalating_by_hand_opens_it_with_who_and_why_then_raises_it(action, cora):
    action = services.action_escalate(
        action_id=action.pk, by=cora, version=action.version, level=1, reason="No contact"
    )
    [escalation] = action.escalations.all()
    assert (escalation.level, escalation.raised_by, escalation.reason) == (1, cora, "No contact")
    services.action_escalate(
        action_id=action.pk, by=cora, version=action.version, level=2, reason="Still nothing"
    )
    [escalation] = action.escalations.all()
    assert escalation.level == 2
    assert escalation.reason == "No contact Then: Still nothing"


def test_the_clock_alone_never_ends_an_escalation(action, cora):
    action = services.action_escalate(
        action_id=action.pk, by=cora, version=action.version, level=1, reason="No contact"
    )
    # The date moved on (not through CASPA): the sweep does not end it silently.
    Action.objects.filter(pk=action.pk).update(
        manual_escalation_level=0, due_on=timezone.localdate() + timedelta(days=2)
    )
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    assert action.escalation_level == 1
    assert not action.escalations.get().is_resolved


@pytest.mark.parametrize("escalated_now", [0, 1, 2])
@pytest.mark.parametrize("days_overdue", [-3, 0, 6, 7, 20, 21])
def test_the_rule_keeps_an_escalated_action_escalated(escalated_now, days_overdue):
    level = rules.escalation_level(
        status="open",
        due_on=timezone.localdate() - timedelta(days=days_overdue),
        today=timezone.localdate(),
        last_update_on=None,
        escalated_now=escalated_now,
    )
    by_the_clock = 0 if days_overdue < 7 else 1 if days_overdue < 21 else 2
    assert level == (by_the_clock or escalated_now)
    finished = rules.escalation_level(
        status="done",
        due_on=timezone.localdate() - timedelta(days=days_overdue),
        today=timezone.localdate(),
        last_update_on=None,
        escalated_now=escalated_now,
    )
    assert finished == 0


# --- resolved by hand: each outcome ----------------------------------------------------------


def test_a_re_dated_action_that_slips_again_is_reminded_and_escalated_again(action, harriet):
    """The new date is a new promise: when it slips too, its owner hears again that it is
    overdue, and the lead agency that it is escalated again."""

    def emails(kind):
        return OutboxMessage.objects.filter(kind=f"action.{kind}").count()

    action = escalated(action, days=12)
    assert (emails("overdue"), emails("escalated_1")) == (1, 1)
    resolve(action, harriet, outcome="re_dated", new_due_on=timezone.localdate())
    action.refresh_from_db()
    escalated(action, days=8)  # the new date (4 days after the first) slips a week too
    action.refresh_from_db()
    assert action.escalation_level == rules.TO_LEAD_AGENCY
    assert action.escalations.still_open().count() == 1
    assert (emails("overdue"), emails("escalated_1")) == (2, 2)
    run_sweep(today=timezone.localdate())  # and once each, however many sweeps run
    assert (emails("overdue"), emails("escalated_1")) == (2, 2)


def test_the_lead_agencys_spoc_gives_it_a_new_date_and_the_sweep_leaves_it(action, harriet):
    action = escalated(action)
    new_date = timezone.localdate() + timedelta(days=14)
    escalation = resolve(action, harriet, outcome="re_dated", new_due_on=new_date)
    action.refresh_from_db()
    assert (action.due_on, action.escalation_level, action.manual_escalation_level) == (
        new_date,
        0,
        0,
    )
    escalation.refresh_from_db()
    assert escalation.outcome == EscalationOutcome.RE_DATED
    assert escalation.resolved_by == harriet
    assert escalation.resolved_at is not None
    assert escalation.response == "Spoke to the sergeant: visit rebooked"
    assert escalation.history.first().history_user == harriet
    assert action.history.first().history_user == harriet
    assert latest_event(action) == (
        f"Escalation of action {action.reference} resolved by the lead agency's SPoC: given a "
        f"new due date, {new_date:%-d %B %Y}. Spoke to the sergeant: visit rebooked"
    )
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    assert action.escalation_level == 0
    assert action.escalations.still_open().count() == 0


def test_the_chair_reassigns_it_to_another_agency_involved(action, chidi, housing, harriet):
    action = escalated(action, days=30)
    resolve(
        action,
        chidi,
        outcome="reassigned",
        new_owner_agency=housing,
        new_owner_officer="H. Lomax",
        new_due_on=IN_A_MONTH,
    )
    action.refresh_from_db()
    assert (action.owner_agency, action.owner_officer, action.due_on) == (
        housing,
        "H. Lomax",
        IN_A_MONTH,
    )
    assert action.escalations.get().outcome == EscalationOutcome.REASSIGNED
    assert latest_event(action).startswith(
        f"Escalation of action {action.reference} resolved by the panel chair: reassigned to "
        f"Housing, due {IN_A_MONTH:%-d %B %Y}."
    )


def test_the_coordinator_closes_it_with_the_response_as_its_note(action, cora):
    action = escalated(action)
    resolve(
        action,
        cora,
        outcome="closed",
        closing_status="no_longer_needed",
        response="She moved to Bedford; the new area's team visits",
    )
    action.refresh_from_db()
    assert action.status == "no_longer_needed"
    [update] = action.updates.all()
    assert (update.status, update.note, update.written_by) == (
        "no_longer_needed",
        "She moved to Bedford; the new area's team visits",
        cora,
    )
    assert action.escalations.get().outcome == EscalationOutcome.CLOSED
    assert "resolved by the panel coordinator: closed, no longer needed." in latest_event(action)


def test_a_long_response_is_cut_short_in_the_chronology_and_kept_whole_on_the_escalation(
    action, cora
):
    action = escalated(action)
    response = "Rebooked. " * 20
    resolve(action, cora, outcome="re_dated", new_due_on=IN_A_MONTH, response=response)
    line = latest_event(action)
    excerpt = line.split(f"{IN_A_MONTH:%-d %B %Y}. ", 1)[1]
    assert excerpt.endswith("…")
    assert excerpt.startswith("Rebooked. Rebooked.")
    assert len(excerpt) <= 80
    assert action.escalations.get().response == response.strip()


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"outcome": ""}, "outcome", rules.OUTCOME_NEEDED),
        ({"outcome": "re_dated", "response": " "}, "response", rules.RESPONSE_NEEDED),
        ({"outcome": "re_dated"}, "new_due_on", rules.NEW_DUE_DATE_NEEDED),
        (
            {"outcome": "re_dated", "new_due_on": timezone.localdate() - timedelta(days=1)},
            "new_due_on",
            rules.DUE_IN_THE_PAST,
        ),
        ({"outcome": "reassigned", "new_due_on": IN_A_MONTH}, "new_owner_agency", None),
        ({"outcome": "closed"}, "closing_status", rules.CLOSING_STATUS_NEEDED),
        ({"outcome": "closed", "closing_status": "done"}, "closing_status", None),
    ],
)
def test_a_resolution_missing_what_its_outcome_needs_is_refused(
    action, cora, answers, field, message
):
    action = escalated(action)
    with pytest.raises(ValidationError) as refused:
        resolve(action, cora, **answers)
    assert field in refused.value.message_dict
    if message:
        assert refused.value.message_dict[field] == [message]
    action.refresh_from_db()
    assert action.escalation_level == 1
    assert not action.escalations.get().is_resolved


def test_reassigning_needs_an_agency_involved_other_than_the_owner(action, cora, police):
    from tests.factories import AgencyFactory

    action = escalated(action)
    fire = AgencyFactory(name="Fire and Rescue", short_name="Fire")
    for agency, message in (
        (fire, rules.OWNER_NOT_INVOLVED),
        (police, rules.NEW_OWNER_IS_THE_OWNER),
    ):
        with pytest.raises(ValidationError) as refused:
            resolve(
                action, cora, outcome="reassigned", new_owner_agency=agency, new_due_on=IN_A_MONTH
            )
        assert refused.value.message_dict["new_owner_agency"] == [message]


def test_a_new_date_the_sweep_would_escalate_at_once_is_refused(action, cora, settings):
    settings.ACTION_ESCALATE_TO_SPOC_AFTER_DAYS = 0
    action = escalated(action)
    with pytest.raises(ValidationError) as refused:
        resolve(action, cora, outcome="re_dated", new_due_on=timezone.localdate())
    assert refused.value.message_dict["new_due_on"] == [escalations.ESCALATED_AGAIN_AT_ONCE]


# --- who may resolve ---------------------------------------------------------------------------


def test_the_owning_agencys_spoc_who_is_not_the_lead_is_refused(client_for, action, piers):
    action = escalated(action)
    with pytest.raises(PermissionDenied):
        resolve(action, piers, outcome="re_dated", new_due_on=IN_A_MONTH)
    response = client_for(piers).post(
        reverse("actions:resolve_escalation", args=[action.pk]),
        {"version": action.version, "outcome": "re_dated", "response": "x"},
    )
    assert response.status_code == 403
    page = client_for(piers).get(reverse("actions:detail", args=[action.pk]))
    assert "Resolve the escalation" not in page.text
    assert not action.escalations.get().is_resolved


def test_a_spoc_of_an_agency_not_involved_gets_404(client_for, action):
    from accounts.roles import Role
    from tests.factories import AgencyFactory, UserFactory

    fire = UserFactory(
        username="fiona", role=Role.SPOC, agency=AgencyFactory(name="Fire", short_name="Fire")
    )
    action = escalated(action)
    response = client_for(fire).post(
        reverse("actions:resolve_escalation", args=[action.pk]),
        {"version": action.version, "outcome": "re_dated", "response": "x"},
    )
    assert response.status_code == 404


def test_at_the_chair_the_lead_spoc_is_refused_and_the_chair_or_coordinator_resolves(
    client_for, action, harriet, chidi
):
    action = escalated(action, days=30)
    assert action.escalation_level == 2
    with pytest.raises(PermissionDenied) as refused:
        resolve(action, harriet, outcome="re_dated", new_due_on=IN_A_MONTH)
    assert str(refused.value) == "This escalation has gone to the panel chair: only the chair " + (
        "or the panel coordinator can resolve it now."
    )
    assert (
        "Resolve the escalation"
        not in client_for(harriet).get(reverse("actions:detail", args=[action.pk])).text
    )
    assert (
        "Resolve the escalation"
        in client_for(chidi).get(reverse("actions:detail", args=[action.pk])).text
    )
    resolve(action, chidi, outcome="re_dated", new_due_on=IN_A_MONTH)
    assert action.escalations.get().resolved_by == chidi


def test_without_a_lead_the_owners_spoc_resolves_at_the_first_level(rosa, cora, harriet, housing):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    action = services.action_agree(
        case=referral.case,
        by=cora,
        owner_agency=housing,
        description="Repairs",
        due_on=timezone.localdate(),
    )
    action = escalated(action)
    resolve(action, harriet, outcome="re_dated", new_due_on=IN_A_MONTH)
    assert "resolved by the owning agency's SPoC" in latest_event(action)


# --- the owner finishing it -----------------------------------------------------------------


def test_the_owner_finishing_it_resolves_it_as_done_with_their_note(action, piers):
    action = escalated(action)
    services.action_update(
        action_id=action.pk, by=piers, version=action.version, status="done", note="Visited"
    )
    escalation = action.escalations.get()
    assert (escalation.outcome, escalation.response, escalation.resolved_by) == (
        EscalationOutcome.DONE,
        "Visited",
        piers,
    )
    summaries = list(action.case.events.values_list("summary", flat=True))
    assert (
        f"Escalation of action {action.reference} resolved by its owner's update: done. Visited"
        in summaries
    )


def test_done_without_a_note_says_so(action, piers):
    action = escalated(action)
    services.action_update(action_id=action.pk, by=piers, version=action.version, status="done")
    assert action.escalations.get().response == "Marked done by its owner"


def test_the_owner_saying_it_cannot_be_done_closes_the_escalation(action, piers):
    action = escalated(action)
    services.action_update(
        action_id=action.pk,
        by=piers,
        version=action.version,
        status="not_done",
        note="She refuses to open the door",
    )
    escalation = action.escalations.get()
    assert (escalation.outcome, escalation.response) == (
        EscalationOutcome.CLOSED,
        "She refuses to open the door",
    )


def test_an_update_that_leaves_it_open_leaves_the_escalation_open(action, piers):
    action = escalated(action)
    services.action_update(
        action_id=action.pk, by=piers, version=action.version, status="in_progress", note="Soon"
    )
    assert not action.escalations.get().is_resolved


# --- told by e-mail --------------------------------------------------------------------------


def resolved_emails():
    return list(OutboxMessage.objects.filter(kind=escalations.RESOLVED_EMAIL_KIND))


def test_the_owning_agencys_spoc_is_emailed_the_reference_only(action, harriet, piers):
    action = escalated(action)
    resolve(action, harriet, outcome="re_dated", new_due_on=IN_A_MONTH)
    [email] = resolved_emails()
    assert email.to == piers.email
    assert email.reference == action.reference
    assert action.reference in email.subject
    assert f"/actions/{action.pk}/" in email.body
    for detail in (
        "Welfare",
        "Alex",
        "Sample",
        "sergeant",
        "Lomax",
        action.case.person.family_name,
    ):
        assert detail not in email.subject + email.body


def test_reassigning_tells_the_new_owners_spoc_too(action, cora, housing, harriet, piers):
    action = escalated(action)
    resolve(action, cora, outcome="reassigned", new_owner_agency=housing, new_due_on=IN_A_MONTH)
    assert sorted(email.to for email in resolved_emails()) == sorted([harriet.email, piers.email])


# --- the action's page -------------------------------------------------------------------------


def page_of(client, action):
    return client.get(reverse("actions:detail", args=[action.pk]))


def post_resolution(client, action, **answers):
    return client.post(
        reverse("actions:resolve_escalation", args=[action.pk]),
        {"version": action.version, **answers},
    )


def test_the_lead_spoc_resolves_it_from_the_page_and_sees_its_history(client_for, action, harriet):
    action = escalated(action)
    client = client_for(harriet)
    page = page_of(client, action)
    assert "Resolve the escalation" in page.text
    assert "automatically, when it was overdue with no update" in page.text
    new_date = timezone.localdate() + timedelta(days=10)
    response = post_resolution(
        client,
        action,
        outcome="re_dated",
        new_due_on_day=new_date.day,
        new_due_on_month=new_date.month,
        new_due_on_year=new_date.year,
        # typed under another option, then changed their mind: not used, not checked
        reassigned_due_on_day="40",
        response="Rebooked with the sergeant",
    )
    assert response.status_code == 302
    page = page_of(client, action)
    assert "Given a new due date" in page.text
    assert "Rebooked with the sergeant" in page.text
    assert "the same day" in page.text
    assert "Resolve the escalation</h2>" not in page.text
    action.refresh_from_db()
    assert action.due_on == new_date


def test_a_bad_resolution_shows_errors_and_keeps_what_was_typed(client_for, action, cora):
    action = escalated(action)
    response = post_resolution(
        client_for(cora),
        action,
        outcome="reassigned",
        reassigned_due_on_day="1",
        reassigned_due_on_month="1",
        reassigned_due_on_year="2020",
        response="Housing will do it",
    )
    assert response.status_code == 200
    assert "<title>Error:" in response.text.replace("\n", "")
    assert rules.NEW_OWNER_NEEDED in response.text
    assert rules.DUE_IN_THE_PAST in response.text
    assert 'href="#id_resolve_reassigned_due_on_0"' in response.text
    assert "Housing will do it" in response.text


def test_a_resolution_from_a_page_changed_meanwhile_is_refused_with_the_text_kept(
    client_for, action, cora, piers
):
    action = escalated(action)
    seen = action.version
    services.action_update(
        action_id=action.pk, by=piers, version=action.version, status="in_progress", note="Soon"
    )
    response = client_for(cora).post(
        reverse("actions:resolve_escalation", args=[action.pk]),
        {
            "version": seen,
            "outcome": "re_dated",
            "new_due_on_day": IN_A_MONTH.day,
            "new_due_on_month": IN_A_MONTH.month,
            "new_due_on_year": IN_A_MONTH.year,
            "response": "Rebooked for next month",
        },
    )
    assert response.status_code == 409
    assert "Rebooked for next month" in response.text
    assert not action.escalations.get().is_resolved


# --- the minutes -----------------------------------------------------------------------------


def test_the_minutes_show_escalations_resolved_since_the_previous_meeting(
    client_for, action, cora, chidi
):
    from panel import meetings

    PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=28))
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    action = escalated(action)
    resolve(action, chidi, outcome="re_dated", new_due_on=IN_A_MONTH, response="Chair rebooked")
    Escalation.objects.create(  # resolved before the previous meeting: in that one's minutes
        action=action,
        level=1,
        raised_at=timezone.now() - timedelta(days=60),
        resolved_at=timezone.now() - timedelta(days=40),
        resolved_by=cora,
        response="An old one",
        outcome="re_dated",
    )
    page = client_for(chidi).get(reverse("panel:minutes", args=[meeting.pk])).text
    assert "Escalations resolved since the previous meeting" in page
    assert action.reference in page
    assert "Chair rebooked" in page
    assert "An old one" not in page


def test_the_days_an_escalation_took_count_calendar_days(action, cora):
    escalation = Escalation(
        action=action,
        level=1,
        raised_at=timezone.make_aware(timezone.datetime(2026, 3, 2, 23, 0)),
        resolved_at=timezone.make_aware(timezone.datetime(2026, 3, 5, 9, 0)),
    )
    assert escalation.days_to_resolve == 3
    assert Escalation(action=action, level=1, raised_at=timezone.now()).days_to_resolve is None


@SLOW_OK
@given(data=st.data())
def test_no_input_to_resolving_an_escalation_causes_a_server_error(client_for, action, cora, data):
    action = escalated(action)  # once resolved, later examples meet a settled escalation
    fields = [
        "outcome",
        "response",
        "new_owner_agency",
        "new_owner_officer",
        "closing_status",
        *(f"{name}_{part}" for name in ("new_due_on", "reassigned_due_on") for part in DATE),
    ]
    payload = data.draw(
        st.fixed_dictionaries(
            {"version": st.one_of(st.just(str(action.version)), VALUE)},
            optional={name: ANY_VALUE for name in fields},
        )
    )
    response = client_for(cora).post(
        reverse("actions:resolve_escalation", args=[action.pk]), payload
    )
    assert response.status_code in (200, 302, 409)
