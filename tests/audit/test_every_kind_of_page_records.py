"""Each kind of page that shows a person's data records a read of what it shows: who, how it
was shown (page, list, print, PDF, search), and from which address and browser."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.services import action_agree
from audit.models import How, RecordRead
from panel import meetings
from panel.models import PanelMeeting
from tests.factories import accept, make_referral

ADDRESS = "10.20.30.40"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/140.0 caspa-read-audit-test"


@pytest.fixture
def story(rosa, cora, housing):
    """A case with an action on today's agenda, and a referral waiting for screening."""
    referral, _ = accept(make_referral(rosa, submit=True, family_name="Quellington"), cora)
    case = referral.case
    action = action_agree(
        case=case,
        by=cora,
        owner_agency=housing,
        description="Repair the heating",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    meeting = PanelMeeting.objects.create(date=timezone.localdate())
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    waiting = make_referral(rosa, submit=True, family_name="Other", nhs_number="")
    return {"case": case, "action": action, "meeting": meeting, "waiting": waiting}


def _read_of(record, reader):
    return RecordRead.objects.filter(
        reader=reader, record_type=record._meta.label_lower, record_id=record.pk
    )


PAGES = [
    # (persona, address of the page, what it shows, how)
    ("cora", lambda s: reverse("actions:detail", args=[s["action"].pk]), "action", How.PAGE),
    ("cora", lambda s: reverse("actions:list"), "action", How.LIST),
    ("harriet", lambda s: reverse("actions:list"), "action", How.LIST),
    ("cora", lambda s: reverse("panel:case_actions", args=[s["case"].pk]), "action", How.PAGE),
    ("cora", lambda s: reverse("panel:case", args=[s["case"].pk]), "case", How.PAGE),
    ("cora", lambda s: reverse("panel:cases"), "case", How.LIST),
    ("rosa", lambda s: reverse("referrals:list"), "waiting", How.LIST),
    ("cora", lambda s: reverse("referrals:screening_queue"), "waiting", How.LIST),
    ("cora", lambda s: reverse("panel:meeting", args=[s["meeting"].pk]), "case", How.LIST),
    ("cora", lambda s: reverse("panel:screen", args=[s["meeting"].pk, 0]), "case", How.LIST),
    ("cora", lambda s: reverse("panel:screen", args=[s["meeting"].pk, 1]), "case", How.PAGE),
    ("cora", lambda s: reverse("panel:pack", args=[s["meeting"].pk]), "case", How.PRINT),
    ("cora", lambda s: reverse("panel:pack_pdf", args=[s["meeting"].pk]), "case", How.PDF),
    ("cora", lambda s: reverse("panel:case_plan_pdf", args=[s["case"].pk]), "case", How.PDF),
    ("harriet", lambda s: reverse("home"), "action", How.LIST),
    ("cora", lambda s: reverse("home"), "waiting", How.LIST),
]


@pytest.mark.parametrize(("persona", "address", "shown", "how"), PAGES)
def test_each_kind_of_page_records_who_read_what_how_and_from_where(
    client_for, story, persona, address, shown, how, request
):
    reader = request.getfixturevalue(persona)
    response = client_for(reader).get(
        address(story), REMOTE_ADDR=ADDRESS, headers={"User-Agent": BROWSER}
    )
    assert response.status_code == 200
    read = _read_of(story[shown], reader).get()
    assert (read.how, read.address, read.user_agent) == (how, ADDRESS, BROWSER)


def test_a_search_records_each_result_as_a_search_read(client_for, cora, story):
    client_for(cora).post(
        reverse("search"),
        {"term": "Quellington"},
        REMOTE_ADDR=ADDRESS,
        headers={"User-Agent": BROWSER},
    )
    read = _read_of(story["case"].person, cora).get()
    assert (read.how, read.address, read.user_agent) == (How.SEARCH, ADDRESS, BROWSER)


def test_a_list_records_only_the_rows_it_shows(client_for, cora, rosa, story):
    client_for(cora).get(reverse("panel:cases") + "?status=closed")
    assert not _read_of(story["case"], cora).exists()
