"""The control view without JavaScript: each decision posts and comes back to the same item and
its own section; drafts kept on the server survive the other decisions; moving between items
moves the room; starting and ending the meeting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from panel import meetings, services
from panel.models import Case, CaseStatus, ItemDraft, PanelMeeting, Risk
from tests.factories import fill_pathway


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(date=timezone.localdate())


@pytest.fixture
def item(meeting, case, cora):
    [item] = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    return item


def screen(meeting, position=1):
    return reverse("panel:screen", args=[meeting.pk, position])


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def problems(response) -> list[str]:
    """The error messages a page shown again says, to name them when a test fails."""
    import re

    return re.findall(r'class="govuk-error-message">(.*?)</p>', text(response), re.S)


def test_each_decision_posts_and_comes_back_to_its_section_of_the_same_item(
    client_for, cora, case, item, meeting, housing, police
):
    client = client_for(cora)
    back = screen(meeting)
    Risk.objects.create(
        case=case,
        description="Eviction for rent arrears",
        likelihood=4,
        severity=4,
        raised_on=timezone.localdate(),
        raised_by=cora,
    )

    def post(url, data):
        case.refresh_from_db()
        return client.post(url, {"version": case.version, "return_to": back, **data})

    due = timezone.localdate() + timedelta(days=14)
    decisions = [
        (reverse("panel:case_adopt", args=[meeting.pk, case.pk]), {}, "adopt"),
        (
            reverse("panel:case_set_agencies", args=[case.pk]),
            {"agencies": [housing.pk, police.pk]},
            "agencies",
        ),
        (
            reverse("panel:case_appoint_lead", args=[case.pk]),
            {"agency": housing.pk, "officer": "H. Lomax", "reason": "Holds the tenancy"},
            "lead",
        ),
        (
            reverse("panel:assessment_review", args=[case.pk]),
            {"level": "high", "meeting": meeting.pk},
            "review",
        ),
        (
            reverse("actions:agree", args=[case.pk]),
            {
                "description": "Joint home visit",
                "owner_agency": police.pk,
                "meeting": meeting.pk,
                "due_on_day": due.day,
                "due_on_month": due.month,
                "due_on_year": due.year,
            },
            "action",
        ),
    ]
    for url, data, section in decisions:
        response = post(url, data)
        assert response.status_code == 302, (section, problems(response))
        assert (response.status_code, response["Location"]) == (
            302,
            f"{back}#decision-{section}",
        ), text(response)
    response = client.post(
        reverse("panel:agenda_item_minute", args=[meeting.pk, 1]),
        {"version": item.version, "minute": "Adopted; Housing leads."},
    )
    assert (response.status_code, response["Location"]) == (302, f"{back}#decision-minute")

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert case.lead_agency == housing
    assert set(case.involved_agencies.all()) == {housing, police}
    assert case.reviews.latest().meeting == meeting
    assert Action.objects.get().agreed_at_meeting == meeting
    page = text(client.get(back))
    for section in ("adopt", "lead", "review", "agencies", "action", "minute"):
        assert f'id="decision-{section}"' in page
    assert "Adopted; Housing leads." in page


def test_a_refused_decision_is_shown_again_in_its_section_with_what_was_typed(
    client_for, cora, case, item, meeting
):
    response = client_for(cora).post(
        reverse("panel:case_appoint_lead", args=[case.pk]),
        {
            "version": case.version,
            "officer": "H. Lomax",
            "reason": "",
            "return_to": screen(meeting),
        },
    )
    assert response.status_code == 200
    page = text(response)
    section = page[page.index('id="decision-lead"') : page.index('id="decision-review"')]
    assert "Select the lead agency" in section
    assert 'value="H. Lomax"' in section
    assert "data-unsaved" in section  # the script warns before moving on from it


def test_a_draft_kept_as_typed_is_shown_again_after_another_decision(
    client_for, cora, case, item, meeting, housing
):
    client = client_for(cora)
    draft = reverse("panel:item_draft", args=[meeting.pk, 1])
    assert (
        client.post(draft, {"field": "minute-minute", "text": "Half a minute"}).status_code == 204
    )
    assert client.post(draft, {"field": "lead-reason", "text": "Holds"}).status_code == 204

    response = client.post(
        reverse("panel:case_appoint_lead", args=[case.pk]),
        {
            "version": case.version,
            "agency": housing.pk,
            "reason": "Holds the tenancy",
            "return_to": screen(meeting),
        },
        follow=True,
    )
    page = text(response)
    minute = page[page.index('id="decision-minute"') :]
    assert "Half a minute</textarea>" in minute
    assert "Draft kept from" in minute
    assert "not yet saved" in minute
    # The lead is saved: its draft is done with; the minute's is kept until it is saved.
    assert list(ItemDraft.objects.values_list("field", flat=True)) == ["minute-minute"]
    lead = page[page.index('id="decision-lead"') : page.index('id="decision-review"')]
    assert "Draft kept from" not in lead

    client.post(
        reverse("panel:agenda_item_minute", args=[meeting.pk, 1]),
        {"version": item.version, "minute": "Half a minute, finished"},
    )
    assert not ItemDraft.objects.exists()


def test_drafts_are_kept_only_for_those_who_run_the_panel(client_for, cora, harriet, item, meeting):
    draft = reverse("panel:item_draft", args=[meeting.pk, 1])
    assert (
        client_for(harriet).post(draft, {"field": "minute-minute", "text": "x"}).status_code == 403
    )
    assert client_for(cora).post(draft, {"field": "", "text": "x"}).status_code == 400
    missing = reverse("panel:item_draft", args=[meeting.pk, 9])
    assert (
        client_for(cora).post(missing, {"field": "minute-minute", "text": "x"}).status_code == 404
    )
    assert not ItemDraft.objects.exists()


def test_showing_an_item_moves_the_room_and_opening_the_page_does_not(
    client_for, cora, rosa, meeting
):
    fill_pathway(rosa, cora, 2)
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    client = client_for(cora)

    assert client.get(screen(meeting, 2)).status_code == 200
    meeting.refresh_from_db()
    assert meeting.current_position == 0  # a GET changes nothing

    response = client.post(reverse("panel:meeting_show_item", args=[meeting.pk, 2]))
    assert (response.status_code, response["Location"]) == (302, screen(meeting, 2))
    meeting.refresh_from_db()
    assert meeting.current_position == 2

    response = client.post(reverse("panel:meeting_show_item", args=[meeting.pk, 7]), follow=True)
    assert "The agenda has no item 7." in text(response)
    meeting.refresh_from_db()
    assert meeting.current_position == 2


def test_previous_and_next_are_forms_that_show_the_item(client_for, cora, item, meeting):
    page = text(client_for(cora).get(screen(meeting, 0)))
    show_first = reverse("panel:meeting_show_item", args=[meeting.pk, 1])
    assert f'action="{show_first}" data-control-move="next"' in page


def test_the_meeting_starts_and_ends_from_the_control_view(client_for, cora, item, meeting):
    client = client_for(cora)
    assert "Start the meeting" in text(client.get(screen(meeting, 0)))
    response = client.post(reverse("panel:meeting_start", args=[meeting.pk]), follow=True)
    assert response.redirect_chain == [(screen(meeting, 0), 302)]
    page = text(response)
    assert "The meeting has started" in page
    assert "Start the meeting" not in page
    meeting.refresh_from_db()
    assert meeting.is_running

    client.post(reverse("panel:meeting_show_item", args=[meeting.pk, 1]))
    page = text(client.get(screen(meeting, 1)))
    assert "End the meeting" in page
    assert "the room is showing item 1" in page
    response = client.post(reverse("panel:meeting_end", args=[meeting.pk]), follow=True)
    assert response.redirect_chain == [(screen(meeting, 1), 302)]
    assert "The meeting has ended" in text(response)
    meeting.refresh_from_db()
    assert meeting.ended_at is not None
    assert not meeting.is_running


def test_starting_and_ending_are_refused_to_others_and_on_another_day(
    client_for, cora, harriet, rosa
):
    fill_pathway(rosa, cora, 1)
    other_day = timezone.localdate() + timedelta(days=7)
    meeting = PanelMeeting.objects.create(date=other_day)
    for url in (
        reverse("panel:meeting_start", args=[meeting.pk]),
        reverse("panel:meeting_end", args=[meeting.pk]),
        reverse("panel:meeting_show_item", args=[meeting.pk, 0]),
    ):
        assert client_for(harriet).post(url).status_code == 403

    client = client_for(cora)
    response = client.post(reverse("panel:meeting_start", args=[meeting.pk]), follow=True)
    assert "can be started only on its day" in text(response)
    response = client.post(reverse("panel:meeting_end", args=[meeting.pk]), follow=True)
    assert "The meeting has ended" not in text(response)
    meeting.refresh_from_db()
    assert meeting.started_at is None


def test_someone_elses_change_is_shown_beside_what_was_typed(
    client_for, cora, adam, case, item, meeting, housing
):
    """The same, and without JavaScript: the decision met a change made meanwhile."""
    version = case.version
    url = reverse("panel:case_appoint_lead", args=[case.pk])
    client_for(cora).post(
        url,
        {"version": version, "agency": housing.pk, "officer": "Sam Other", "reason": "First"},
    )
    response = client_for(cora).post(
        url,
        {
            "version": version,
            "agency": housing.pk,
            "officer": "Harriet Lomax",
            "reason": "Second",
            "return_to": screen(meeting),
        },
    )
    assert response.status_code == 409
    page = text(response)
    section = page[page.index('id="decision-lead"') : page.index('id="decision-review"')]
    assert "Saved by the other person" in section
    assert "What you typed" in section
    table = section[section.index("<table") : section.index("</table>")]
    assert "Sam Other" in table
    assert "Harriet Lomax" in table
    assert 'value="Harriet Lomax"' in section  # still in the box, at the version now saved
    case.refresh_from_db()
    assert f'name="version" value="{case.version}"' in section
    assert case.lead_officer == "Sam Other"


def test_a_case_closed_since_the_agenda_was_built_says_so_on_the_control_view(
    client_for, cora, case, item, meeting
):
    services.case_close(
        case_id=case.pk,
        by=cora,
        version=Case.objects.get(pk=case.pk).version,
        outcome="moved_away",
        agreed_on=timezone.localdate(),
    )
    page = text(client_for(cora).get(screen(meeting)))
    assert f"Closed on {timezone.localdate():%-d %B %Y}" in page
    assert "The panel does not hear this case as planned." in page
