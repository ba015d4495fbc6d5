"""The action page leads back to its case and says who leads it; escalating by hand says who
is told and when, and that is what then happens: the e-mail goes at the next reminder sweep."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import services
from actions.models import Action, NoticeKind
from actions.schedule import REMINDER_SWEEP, next_reminder_sweep
from actions.sweep import run_sweep
from caspa.celery import app
from caspa.core.time_words import moment_in_words, time_of_day
from tests.factories import case_with_lead

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def led_case(rosa, cora, housing, police):
    return case_with_lead(
        rosa,
        cora,
        agencies=[housing, police],
        lead=housing,
        officer="Dana Reed, housing officer",
        reason="The tenancy",
    )


@pytest.fixture
def police_action(led_case, cora, police):
    """Police's action on a Housing-led case, due in three weeks: outside the reminder window."""
    return services.action_agree(
        case=led_case,
        by=cora,
        owner_agency=police,
        description="Visit with the neighbourhood team",
        due_on=timezone.localdate() + timedelta(days=21),
    )


def test_the_action_page_links_its_case_and_names_its_lead_and_owner(
    client_for, cora, police_action
):
    page = client_for(cora).get(reverse("actions:detail", args=[police_action.pk])).text
    case = police_action.case
    assert (
        f'<a class="govuk-link caspa-ref" href="{case.get_absolute_url()}">{case.reference}</a>'
        in (page)
    )
    assert f'href="{reverse("panel:case_actions", args=[case.pk])}"' in page  # the back link
    assert "Housing: Dana Reed, housing officer" in page
    assert "Bedfordshire Police" in page
    assert f'<span class="caspa-ref">{police_action.reference}</span>' in page


def test_the_action_page_and_the_case_page_show_the_same_status(client_for, cora, police_action):
    Action.objects.filter(pk=police_action.pk).update(
        due_on=timezone.localdate() - timedelta(days=2)
    )
    client = client_for(cora)
    action_page = client.get(reverse("actions:detail", args=[police_action.pk])).text
    case_page = client.get(reverse("panel:case_actions", args=[police_action.case.pk])).text
    row = case_page[case_page.index(police_action.reference) :].split("</tr>")[0]
    status = action_page[action_page.index(">Status</dt>") :].split("</dd>")[0]
    for tag in ('govuk-tag">Open</strong>', 'govuk-tag--red">Overdue</strong>'):
        assert tag in status
        assert tag in row


def escalate(client, action, level, reason="No word from the owner"):
    return client.post(
        reverse("actions:escalate", args=[action.pk]),
        {"version": action.version, "level": level, "reason": reason},
        follow=True,
    )


def next_sweep_words() -> set[str]:
    """The next sweep in words, as the page may say it either side of a quarter hour."""
    now = timezone.localtime()
    later = now + timedelta(seconds=5)
    return {moment_in_words(next_reminder_sweep(moment), moment.date()) for moment in (now, later)}


def said(response) -> str:
    text = response.text.replace("&#x27;", "'")
    start = text.index("is escalated to")
    return text[start : text.index("<", start)]


def test_escalating_by_hand_names_who_is_emailed_and_when_and_the_sweep_does_it(
    client_for, cora, harriet, housing, police_action
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    mail.outbox.clear()
    words = next_sweep_words()
    message = said(escalate(client_for(cora), police_action, 1))
    assert message.startswith("is escalated to the lead agency's SPoC.")
    assert (
        f"{harriet} (Housing's single point of contact) is e-mailed at the next reminder sweep"
        in (message)
    )
    assert any(f"sweep, {when}." in message for when in words), (message, words)
    # Nothing is sent by escalating: the sweep writes the e-mail, as the page says.
    assert not [m for m in mail.outbox if police_action.reference in m.subject]
    run_sweep(today=timezone.localdate())
    [email] = [m for m in mail.outbox if police_action.reference in m.subject]
    assert email.to == [harriet.email]
    assert "escalated to your agency" in email.subject


def test_escalating_to_the_chair_names_the_chair_too(
    client_for, cora, harriet, chidi, housing, police_action
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    message = said(escalate(client_for(cora), police_action, 2))
    assert message.startswith("is escalated to the panel chair.")
    assert f"{harriet} (Housing's single point of contact) and {chidi} (the panel chair) are" in (
        message
    )


def test_an_agency_with_no_spoc_is_named_as_telling_no_one(client_for, cora, police_action):
    message = said(escalate(client_for(cora), police_action, 1))
    assert "Housing has no single point of contact, so no one there is e-mailed" in message
    assert "at the next reminder sweep" not in message


def test_someone_already_emailed_is_not_promised_another(
    client_for, cora, harriet, housing, police_action
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    client = client_for(cora)
    escalate(client, police_action, 1)
    run_sweep(today=timezone.localdate())
    police_action.refresh_from_db()
    again = said(escalate(client, police_action, 1, reason="Still nothing"))
    assert f"{harriet} (Housing's single point of contact) was e-mailed about it on" in again
    assert "at the next reminder sweep" not in again
    assert police_action.notices.filter(kind=NoticeKind.ESCALATED_TO_SPOC).count() == 1


def test_the_action_page_says_who_an_escalation_went_to(
    client_for, cora, harriet, housing, police_action
):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    escalate(client_for(cora), police_action, 1)
    page = client_for(harriet).get(reverse("actions:detail", args=[police_action.pk])).text
    told = page[page.index("Who is told") :].split("</dd>")[0].replace("&#x27;", "'")
    assert f"{harriet}, Housing's single point of contact: e-mailed at the next reminder sweep" in (
        told
    )


# --- when the sweep runs, in words ---------------------------------------------------------


def at(hour, minute, day=2):
    return datetime(2026, 12, day, hour, minute, 30, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(13, 14), at(13, 15)),
        (at(13, 15), at(13, 30)),
        (at(6, 59), at(7, 0)),
        (at(23, 50), at(0, 0, day=3)),
    ],
)
def test_the_next_sweep_is_the_next_quarter_hour(now, expected):
    assert next_reminder_sweep(now) == expected.replace(second=0)


def test_the_next_sweep_is_one_of_the_minutes_beat_runs_it_on():
    assert app.conf.beat_schedule["sweep-action-reminders"]["schedule"] is REMINDER_SWEEP
    for minute in range(60):
        assert next_reminder_sweep(at(13, minute)).minute in REMINDER_SWEEP.minute


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (at(7, 0), "7am"),
        (at(13, 15), "1:15pm"),
        (at(12, 0), "midday"),
        (at(0, 0), "midnight"),
        (at(0, 45), "12:45am"),
    ],
)
def test_times_read_as_govuk_writes_them(moment, words):
    assert time_of_day(moment) == words


def test_a_moment_says_today_or_tomorrow_with_its_date():
    today = at(13, 0).date()
    assert moment_in_words(at(13, 15), today) == "at 1:15pm today, 2 December 2026"
    assert moment_in_words(at(7, 0, day=3), today) == "at 7am tomorrow, 3 December 2026"
    assert moment_in_words(at(7, 0, day=4), today) == "at 7am on Friday 4 December 2026"


def test_with_no_broker_the_message_does_not_promise_a_scheduled_sweep(
    client_for, cora, harriet, housing, police_action, settings
):
    settings.REDIS_URL = ""  # the demo: no beat can run
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    message = said(escalate(client_for(cora), police_action, 1))
    assert "e-mailed at the next reminder sweep, when it is next run by hand" in message
    assert " at " not in message.split("reminder sweep")[1]
