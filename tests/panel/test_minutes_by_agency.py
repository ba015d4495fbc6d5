"""No agency receives minutes about a person it has no part in (the information sharing
protocol): over random agendas and random involvements, an agency's cut of the minutes has
every item about a case it is involved in now, other business, and nothing else."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from panel import minutes
from panel.models import AgendaItem, AgendaKind, Case, MinutesStatus, PanelMeeting
from panel.rules.meeting_room import items_for_agency
from tests.factories import fill_pathway
from tests.strategies import SLOW_OK

AGENCY_IDS = st.integers(min_value=1, max_value=4)


@settings(max_examples=200)
@given(
    items=st.lists(st.one_of(st.none(), st.integers(1, 6)), max_size=10),
    involved=st.dictionaries(st.integers(1, 6), st.sets(AGENCY_IDS, max_size=4), max_size=6),
    agency_id=AGENCY_IDS,
)
def test_the_rule_keeps_other_business_and_the_agencys_cases_only(items, involved, agency_id):
    agenda = [SimpleNamespace(case_id=case_id) for case_id in items]
    kept = items_for_agency(agenda, involved, agency_id)
    assert kept == [
        item
        for item in agenda
        if item.case_id is None or agency_id in involved.get(item.case_id, set())
    ]


@pytest.fixture
def cases(rosa, cora, asc, housing, police):
    """Four cases on the caseload, made once for all the examples."""
    return [referral.case for referral, _ in fill_pathway(rosa, cora, 4)]


AGENDA = st.lists(st.one_of(st.just("other"), st.integers(0, 3)), min_size=1, max_size=7).map(
    lambda picks: [p for n, p in enumerate(picks) if p == "other" or p not in picks[:n]]
)
INVOLVEMENT = st.lists(st.sets(st.integers(0, 2), max_size=3), min_size=4, max_size=4)


@SLOW_OK
@given(agenda=AGENDA, involvement=INVOLVEMENT, approved=st.booleans(), reader=st.integers(0, 2))
def test_an_agencys_minutes_name_only_the_cases_it_is_involved_in(
    client_for,
    cases,
    chidi,
    asc,
    housing,
    police,
    harriet,
    piers,
    agenda,
    involvement,
    approved,
    reader,
):
    agencies = [asc, housing, police]
    for case, involved in zip(cases, involvement, strict=True):
        case.involved_agencies.set([agencies[n] for n in involved])
    PanelMeeting.objects.all().delete()
    meeting = PanelMeeting.objects.create(date=timezone.localdate() - timedelta(days=1))
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=position,
            kind=AgendaKind.OTHER if pick == "other" else AgendaKind.REVIEW,
            case=None if pick == "other" else cases[pick],
            title=f"Other business {position}" if pick == "other" else "",
        )
        for position, pick in enumerate(agenda, start=1)
    )
    if approved:
        PanelMeeting.objects.filter(pk=meeting.pk).update(
            minutes_status=MinutesStatus.APPROVED,
            minutes_approved_by=chidi,
            minutes_approved_at=timezone.now(),
            minutes_record=minutes.draft(meeting),
        )
        meeting.refresh_from_db()
    agency = agencies[reader]
    cut = minutes.minutes_for(meeting, agency_id=agency.pk)

    involved_now = {c.pk for c in Case.objects.filter(involved_agencies=agency)}
    shown = [item["case_id"] for item in cut["items"] if item["case_id"]]
    assert set(shown) <= involved_now
    expected = [p for p in agenda if p == "other" or cases[p].pk in involved_now]
    assert len(cut["items"]) == len(expected)  # nothing it should have is left out

    # Through the door: a SPoC reading the page sees the same cut, never another case.
    spoc = {housing.pk: harriet, police.pk: piers}.get(agency.pk)
    if spoc is not None and approved:
        page = client_for(spoc).get(reverse("panel:minutes", args=[meeting.pk])).text
        for case in cases:
            assert (case.reference in page) == (case.pk in shown), case.reference


def test_the_cut_of_frozen_minutes_follows_involvement_now(cases, chidi, housing, police):
    meeting = PanelMeeting.objects.create(date=date(2026, 11, 10))
    AgendaItem.objects.create(meeting=meeting, position=1, kind=AgendaKind.NEW, case=cases[0])
    cases[0].involved_agencies.set([housing, police])
    record = minutes.draft(meeting)
    assert len(minutes.cut_for_agency(record, police.pk)["items"]) == 1
    cases[0].involved_agencies.set([housing])  # the Police left the case after the meeting
    assert minutes.cut_for_agency(record, police.pk)["items"] == []
    assert len(minutes.cut_for_agency(record, housing.pk)["items"]) == 1
