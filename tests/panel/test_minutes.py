"""The minutes record what was decided: drafted item by item from the decisions the meeting
took, the actions it agreed, who came and who sent apologies; frozen when the chair approves
them (after a page saying what approving locks); the approved minutes as a PDF, marked on
every page, whole or cut to one agency's cases; a panel member or SPoC reads their agency's
cut; the chair's home page says which minutes wait for approval."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.services import action_agree
from audit.models import How, RecordRead
from panel import assessment, meetings, minutes, reviews, services
from panel.models import Case, MinutesStatus, PanelMeeting
from tests.factories import fill_pathway


def pages_of(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def held(rosa, cora, housing, police, harriet, piers):
    """Today's meeting, run: one case adopted, its lead appointed with the reason, a risk
    added and the level agreed, the Police added, an action agreed, a minute typed; Harriet
    present, Piers sending apologies; a second case on the agenda with nothing decided."""
    [(first, _), (second, _)] = fill_pathway(rosa, cora, 2)
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    items = meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=housing,
        attendee="Harriet Lomax",
        agreed_to_confidentiality=True,
        user=harriet,
    )
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=police,
        attendee="Piers Dunmore",
        agreed_to_confidentiality=False,
        apologies=True,
    )
    meetings.meeting_start(meeting_id=meeting.pk, by=cora)
    case = first.case
    services.case_adopt(case_id=case.pk, by=cora, version=fresh(case).version, meeting=meeting)
    services.case_set_agencies(
        case_id=case.pk, by=cora, version=fresh(case).version, agencies=[housing, police]
    )
    services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=fresh(case).version,
        agency=housing,
        officer="Harriet Lomax",
        reason="The tenancy is what is at risk",
    )
    assessment.risk_add(
        case_id=case.pk,
        by=cora,
        description="Falls on the stairs at night",
        likelihood=4,
        severity=4,
    )
    reviews.assessment_review(
        case_id=case.pk, by=cora, version=fresh(case).version, level="high", meeting=meeting
    )
    action_agree(
        case=fresh(case),
        by=cora,
        description="Fit a stair rail",
        owner_agency=housing,
        owner_officer="Harriet Lomax",
        due_on=timezone.localdate() + timedelta(days=14),
        meeting=meeting,
    )
    item = items[0]
    meetings.agenda_item_record(
        item_id=item.pk, by=cora, version=item.version, minute="Adopted; Housing leads."
    )
    meetings.meeting_end(meeting_id=meeting.pk, by=cora)
    meeting.refresh_from_db()
    return meeting, case, second.case


def approve(meeting, chidi):
    return meetings.minutes_approve(meeting_id=meeting.pk, by=chidi)


def minutes_url(meeting):
    return reverse("panel:minutes", args=[meeting.pk])


WHAT_WAS_DECIDED = [
    "Adopted by the panel meeting of",
    "Agencies involved: Bedfordshire Police joined",
    "Lead agency appointed to Housing (Harriet Lomax): The tenancy is what is at risk",
    "Risk added: ",
    "Falls on the stairs at night",
    "Risk assessment reviewed at the panel meeting of",
    "high (its risks give high)",
    "Fit a stair rail",
    "Adopted; Housing leads.",
    "Harriet Lomax, Housing",
]


def test_the_minutes_record_each_decision_the_action_attendance_and_apologies(
    client_for, held, chidi
):
    meeting, case, _ = held
    page = client_for(chidi).get(minutes_url(meeting)).text
    for line in WHAT_WAS_DECIDED:
        assert line in page, line
    action = case.actions.get()
    due = f"{timezone.localdate() + timedelta(days=14):%-d %B %Y}"
    assert re.search(
        rf"{action.reference}</span>: Fit a stair rail.*Housing, Harriet Lomax.*{due}", page, re.S
    )
    assert section(page, "Present") == ["Harriet Lomax, Housing"]
    assert section(page, "Apologies") == ["Piers Dunmore, Bedfordshire Police"]
    # Printed, every page is marked (the print stylesheet repeats the marking on each page).
    marking = (
        "<strong>OFFICIAL-SENSITIVE</strong> · Minutes, panel meeting of "
        f"{timezone.localdate():%-d %B %Y}"
    )
    assert marking in page
    assert '<div class="caspa-printed">' in page

    approve(meeting, chidi)
    text = " ".join(
        pages_of(client_for(chidi).get(reverse("panel:minutes_pdf", args=[meeting.pk])))
    )
    for line in WHAT_WAS_DECIDED:
        assert line in text, line
    assert "Apologies Piers Dunmore, Bedfordshire Police" in text
    assert due in text


def section(page: str, heading: str) -> list[str]:
    """The list under an h2 of the minutes page, as text."""
    after = page.split(f'<h2 class="govuk-heading-m">{heading}</h2>')[1].split("</ul>")[0]
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", after)]


def test_a_case_with_nothing_decided_says_so_and_other_business_has_its_minute(held, cora):
    meeting, _, second = held
    item = meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title="Training dates")
    meetings.agenda_item_record(
        item_id=item.pk, by=cora, version=item.version, minute="Training on 3 March."
    )
    [_, undecided, other] = minutes.draft(meeting)["items"]
    assert (undecided["case_id"], undecided["decisions"], undecided["actions"]) == (
        second.pk,
        [],
        [],
    )
    assert (undecided["position"], other["position"]) == (2, 3)
    assert (other["case_id"], other["heading"], other["minute"]) == (
        None,
        "Training dates",
        "Training on 3 March.",
    )
    json.dumps(minutes.draft(meeting))  # kept as JSON when approved


def test_approval_freezes_what_was_decided(client_for, held, chidi, cora, police, housing):
    meeting, case, _ = held
    approve(meeting, chidi)
    meeting.refresh_from_db()
    assert meeting.minutes_record["items"][0]["decisions"][0].startswith("Adopted by the panel")
    # Afterwards, outside a meeting: Police leads, Piers turns out to have come after all, and
    # an action is (wrongly) recorded against the meeting. The minutes say what was decided.
    services.case_appoint_lead(
        case_id=case.pk,
        by=cora,
        version=fresh(case).version,
        agency=police,
        officer="DS Dunmore",
        reason="Now a criminal matter",
    )
    meetings.attendance_record(
        meeting_id=meeting.pk,
        by=cora,
        agency=police,
        attendee="Piers Dunmore",
        agreed_to_confidentiality=True,
    )
    action_agree(
        case=fresh(case),
        by=cora,
        description="Added after the meeting",
        owner_agency=housing,
        due_on=timezone.localdate() + timedelta(days=3),
        meeting=meeting,
    )
    page = client_for(chidi).get(minutes_url(meeting)).text
    assert (
        "Lead agency appointed to Housing (Harriet Lomax): The tenancy is what is at risk" in page
    )
    assert "Now a criminal matter" not in page
    assert "Added after the meeting" not in page
    assert section(page, "Apologies") == ["Piers Dunmore, Bedfordshire Police"]
    text = " ".join(
        pages_of(client_for(chidi).get(reverse("panel:minutes_pdf", args=[meeting.pk])))
    )
    assert "Now a criminal matter" not in text
    assert "The tenancy is what is at risk" in text
    # The draft, by contrast, now says otherwise: the frozen record is what is shown.
    assert "Added after the meeting" in json.dumps(minutes.draft(meeting))


def test_an_amended_minute_shows_in_approved_minutes_with_its_reason(client_for, held, chidi, cora):
    meeting, _, _ = held
    approve(meeting, chidi)
    item = meeting.items.first()
    client_for(cora).post(
        reverse("panel:minutes_amend", args=[meeting.pk]),
        {
            "item": item.pk,
            "minute": "Adopted; Housing leads, ASC supports.",
            "reason": "ASC omitted",
        },
    )
    page = client_for(chidi).get(minutes_url(meeting)).text
    assert "Adopted; Housing leads, ASC supports." in page
    assert "ASC omitted. It read: “Adopted; Housing leads.”" in page
    text = " ".join(
        pages_of(client_for(chidi).get(reverse("panel:minutes_pdf", args=[meeting.pk])))
    )
    assert "Adopted; Housing leads, ASC supports." in text


def test_the_confirm_page_says_what_approving_locks_and_the_post_approves(
    client_for, held, chidi, cora
):
    meeting, _, _ = held
    home = client_for(chidi).get("/").text
    assert "Minutes waiting for your approval" in home
    assert minutes_url(meeting) in home
    assert "Minutes waiting for your approval" not in client_for(cora).get("/").text

    minutes_page = client_for(chidi).get(minutes_url(meeting)).text
    confirm_url = reverse("panel:minutes_approve_confirm", args=[meeting.pk])
    assert confirm_url in minutes_page
    confirm = client_for(chidi).get(confirm_url)
    assert confirm.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", confirm.text).split())
    assert (
        "Approving locks: the decisions, actions, attendance and apologies as recorded now; "
        "after this a minute changes only by a recorded amendment with its reason." in text
    )
    assert "Items 2" in text
    assert "Actions agreed 1" in text
    decisions = len(minutes.draft(meeting)["items"][0]["decisions"])
    assert decisions >= 5
    assert f"Decisions {decisions}" in text
    assert "Present 1" in text
    assert "Apologies 1" in text
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT  # showing the page changed nothing

    assert client_for(cora).get(confirm_url).status_code == 403
    response = client_for(chidi).post(reverse("panel:minutes_approve", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.APPROVED
    assert meeting.minutes_record["items"][0]["actions"][0]["description"] == "Fit a stair rail"
    assert "No minutes wait for your approval." in client_for(chidi).get("/").text
    confirm = client_for(chidi).get(confirm_url).text
    assert "The chair has already approved these minutes." in confirm
    assert "Approve and lock the minutes" not in confirm


def test_minutes_of_a_meeting_not_yet_held_do_not_wait_for_approval(client_for, chidi, rosa, cora):
    fill_pathway(rosa, cora, 1)
    future = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=7))
    meetings.agenda_build(meeting_id=future.pk, by=cora)
    PanelMeeting.objects.create(
        date=timezone.localdate() - timedelta(days=3)
    )  # held, but nothing on it
    assert "No minutes wait for your approval." in client_for(chidi).get("/").text


def test_draft_minutes_have_no_pdf(client_for, held, chidi):
    meeting, _, _ = held
    assert client_for(chidi).get(reverse("panel:minutes_pdf", args=[meeting.pk])).status_code == 404


def test_every_page_of_the_pdf_is_marked(client_for, held, chidi, cora, rosa):
    meeting, _, _ = held
    for n in range(6):  # enough other business for several pages
        item = meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title=f"Other matter {n}")
        meetings.agenda_item_record(
            item_id=item.pk,
            by=cora,
            version=item.version,
            minute=f"Discussed at length {n}. " * 120,
        )
    approve(meeting, chidi)
    date_words = f"{meeting.date:%-d %B %Y}"
    for url in (
        reverse("panel:minutes_pdf", args=[meeting.pk]),
        reverse("panel:agency_minutes_pdf", args=[meeting.pk, cora.agency_id]),
    ):
        response = client_for(chidi).get(url)
        assert 'filename="minutes-' in response["Content-Disposition"]
        pages = pages_of(response)
        assert len(pages) >= 3
        for number, text in enumerate(pages, start=1):
            assert "OFFICIAL-SENSITIVE" in text
            assert date_words in text
            assert f"Page {number} of {len(pages)}" in text


def test_an_agencys_pdf_names_only_its_cases_and_is_a_read_of_each(
    client_for, held, chidi, cora, piers, police
):
    meeting, adopted, other = held
    meetings.agenda_add_item(meeting_id=meeting.pk, by=cora, title="Training dates")
    approve(meeting, chidi)
    # Police is involved in the adopted case only; Housing in both.
    police_pdf = client_for(piers).get(
        reverse("panel:agency_minutes_pdf", args=[meeting.pk, police.pk])
    )
    text = " ".join(pages_of(police_pdf))
    assert adopted.reference in text
    assert other.reference not in text
    assert str(other.person) not in text
    assert "Training dates" in text
    assert set(re.findall(r"C-\d{6}", text)) == {adopted.reference}
    reads = RecordRead.objects.filter(reader=piers, record_type="panel.case")
    assert set(reads.values_list("record_id", flat=True)) == {adopted.pk}
    assert set(reads.values_list("how", flat=True)) == {How.PDF}
    # The whole minutes for a SPoC are their own agency's cut too.
    whole = " ".join(
        pages_of(client_for(piers).get(reverse("panel:minutes_pdf", args=[meeting.pk])))
    )
    assert other.reference not in whole
    assert adopted.reference in whole


def test_a_spoc_cannot_download_another_agencys_cut(client_for, held, chidi, harriet, police):
    meeting, _, _ = held
    approve(meeting, chidi)
    url = reverse("panel:agency_minutes_pdf", args=[meeting.pk, police.pk])
    assert client_for(harriet).get(url).status_code == 403
    assert not RecordRead.objects.filter(reader=harriet).exists()
    own = reverse("panel:agency_minutes_pdf", args=[meeting.pk, harriet.agency_id])
    assert client_for(harriet).get(own).status_code == 200


def test_a_manager_or_referrer_gets_no_minutes(client_for, held, chidi, maya, rosa):
    meeting, _, _ = held
    approve(meeting, chidi)
    for user in (maya, rosa):
        assert client_for(user).get(minutes_url(meeting)).status_code == 403
        pdf = reverse("panel:agency_minutes_pdf", args=[meeting.pk, rosa.agency_id])
        assert client_for(user).get(pdf).status_code == 403
        assert client_for(user).get(reverse("panel:meetings")).status_code == 403


def test_an_agency_that_left_the_case_no_longer_receives_its_minutes(
    client_for, held, chidi, cora, piers, housing
):
    meeting, adopted, _ = held
    approve(meeting, chidi)
    page = client_for(piers).get(minutes_url(meeting)).text
    assert adopted.reference in page
    services.case_set_agencies(
        case_id=adopted.pk, by=cora, version=fresh(adopted).version, agencies=[housing]
    )
    page = client_for(piers).get(minutes_url(meeting)).text
    assert adopted.reference not in page
    assert "No item of this meeting is about a case Bedfordshire Police is involved in." in page


def test_a_panel_member_reads_their_agencys_cut_of_approved_minutes_only(
    client_for, held, chidi, milo, piers
):
    meeting, adopted, other = held
    assert client_for(milo).get(minutes_url(meeting)).status_code == 403  # still a draft
    approve(meeting, chidi)
    page = client_for(milo).get(minutes_url(meeting))
    assert page.status_code == 200
    assert "The minutes for Housing" in page.text
    assert adopted.reference in page.text
    assert other.reference in page.text
    assert "Approve the minutes" not in page.text
    assert "Amend an approved minute" not in page.text
    reads = RecordRead.objects.filter(reader=milo, record_type="panel.case")
    assert set(reads.values_list("record_id", flat=True)) == {adopted.pk, other.pk}
    police_page = client_for(piers).get(minutes_url(meeting)).text
    assert adopted.reference in police_page
    assert other.reference not in police_page


def test_members_see_the_meeting_dates_with_a_link_to_their_agencys_approved_minutes(
    client_for, held, chidi, milo
):
    meeting, adopted, _ = held
    earlier = PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=30))
    page = client_for(milo).get(reverse("panel:meetings"))
    assert page.status_code == 200
    assert minutes_url(meeting) not in page.text  # today's is not a past meeting yet
    assert "minutes not approved yet" in page.text
    assert str(adopted.person) not in page.text
    assert earlier.get_absolute_url() not in page.text  # the meeting page is not theirs
    PanelMeeting.objects.filter(pk=earlier.pk).update(
        minutes_status=MinutesStatus.APPROVED,
        minutes_approved_by=chidi,
        minutes_approved_at=timezone.now(),
    )
    page = client_for(milo).get(reverse("panel:meetings")).text
    assert minutes_url(earlier) in page
    assert reverse("panel:agency_minutes_pdf", args=[earlier.pk, milo.agency_id]) in page
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', page, re.S).group(0)
    assert "Meetings" in nav


def test_todays_minutes_wait_for_the_chair_only_once_the_meeting_has_ended(
    client_for, chidi, rosa, cora
):
    fill_pathway(rosa, cora, 1)
    today = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=today.pk, by=cora)
    chair = client_for(chidi)
    assert "No minutes wait for your approval." in chair.get("/").text
    with pytest.raises(ValidationError, match="has not been held yet"):
        meetings.minutes_approve(meeting_id=today.pk, by=chidi)
    meetings.meeting_start(meeting_id=today.pk, by=cora)
    assert "No minutes wait for your approval." in chair.get("/").text  # still sitting
    meetings.meeting_end(meeting_id=today.pk, by=cora)
    assert reverse("panel:minutes", args=[today.pk]) in chair.get("/").text
