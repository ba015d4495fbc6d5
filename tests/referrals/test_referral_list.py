"""The referral lists ("Your referrals", "Referrals from Housing"): where each referral truly
stands, followed through its case to its close; filters; 25 a page; queries flat."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from panel.models import Case, CaseStatus, Outcome
from referrals import services
from tests.factories import accept, fill_pathway, make_referral

LIST = reverse("referrals:list")


def row_of(page: str, referral) -> str:
    """The list's row for this referral."""
    start = page.index(f">{referral.reference}</a>")
    return page[start : page.index("</tr>", start)]


def case_becomes(referral, status, **fields):
    Case.objects.filter(referral=referral).update(status=status, **fields)


@pytest.fixture
def story(rosa, cora):
    """One referral of Rosa's in each state the list tells apart, by name."""
    [(waiting_case, _), (awaiting, _), (active, _), (not_adopted, _), (closed, _)] = [
        (referral, placement) for referral, placement in fill_pathway(rosa, cora, 5)
    ]
    case_becomes(waiting_case, CaseStatus.WAITING, joined_caseload_at=None)
    case_becomes(active, CaseStatus.ACTIVE)
    case_becomes(not_adopted, CaseStatus.NOT_ADOPTED)
    case_becomes(
        closed,
        CaseStatus.CLOSED,
        outcome=Outcome.MOVED_AWAY,
        closed_at=timezone.make_aware(timezone.datetime(2025, 11, 20, 12)),
        closure_agreed_on=date(2025, 11, 20),
    )
    draft = make_referral(rosa, nhs_number="", family_name="Drafted")
    sent = make_referral(rosa, submit=True, nhs_number="", family_name="Sent")
    asked = make_referral(rosa, submit=True, nhs_number="", family_name="Asked")
    asked = services.referral_ask_for_information(
        referral_id=asked.pk, by=cora, version=asked.version, question="GP?"
    )
    declined = make_referral(rosa, submit=True, nhs_number="", family_name="Declined")
    services.referral_decline(
        referral_id=declined.pk,
        by=cora,
        version=declined.version,
        reason="MARAC is the right forum.",
        signpost="marac",
    )
    return {
        "draft": draft,
        "sent": sent,
        "asked": asked,
        "declined": declined,
        "waiting": waiting_case,
        "awaiting": awaiting,
        "active": active,
        "not_adopted": not_adopted,
        "closed": closed,
    }


def test_each_referral_says_where_it_stands_following_its_case_to_its_close(
    client_for, rosa, story
):
    page = client_for(rosa).get(LIST).text
    said = {
        "draft": "Draft",
        "sent": "Waiting for screening",
        "asked": "More information asked for",
        "declined": "Declined",
        "waiting": "Accepted: waiting for a place",
        "awaiting": "Accepted: awaiting its first panel",
        "active": "Adopted by the panel",
        "not_adopted": "Not adopted",
        "closed": "Case closed",
    }
    for name, tag in said.items():
        assert f">{tag}</strong>" in row_of(page, story[name]), name
    closed = Case.objects.get(referral=story["closed"])
    closed_row = row_of(page, story["closed"])
    assert (
        f'Case <span class="caspa-ref">{closed.reference}</span> closed on 20 November 2025: '
        "moved out of the area."
    ) in closed_row
    assert "next panel" not in row_of(page, story["closed"])


def test_the_referral_page_says_the_same_as_the_list(client_for, rosa, story):
    page = client_for(rosa).get(story["closed"].get_absolute_url()).text
    assert ">Case closed</strong>" in page
    assert "for the next panel meeting" not in page


@pytest.mark.parametrize(
    ("stands", "shown"),
    [
        ("draft", ["draft"]),
        ("waiting", ["sent"]),
        ("asked", ["asked"]),
        ("declined", ["declined"]),
        ("pathway", ["waiting", "awaiting", "active"]),
        ("ended", ["not_adopted", "closed"]),
    ],
)
def test_each_filter_shows_the_referrals_that_stand_there_and_no_others(
    client_for, rosa, story, stands, shown
):
    page = client_for(rosa).get(LIST, {"stands": stands}).text
    listed = {name for name, referral in story.items() if f">{referral.reference}</a>" in page}
    assert listed == set(shown)
    assert f"{len(shown)} referral{'s' if len(shown) > 1 else ''}</caption>" in page


def test_the_filters_count_what_each_would_show(client_for, rosa, story):
    page = client_for(rosa).get(LIST).text
    for label, count in [
        ("Drafts", 1),
        ("Waiting for screening", 1),
        ("On the pathway", 3),
        ("Case closed or not adopted", 2),
    ]:
        assert f">{label} ({count})</a>" in page


def test_a_filter_that_finds_nothing_says_so(client_for, rosa):
    make_referral(rosa)
    page = client_for(rosa).get(LIST, {"stands": "declined"}).text
    assert "No referrals match “Declined”." in page
    assert '<table class="govuk-table">' not in page


def test_a_spocs_agency_list_filters_too(client_for, rosa, harriet, story):
    page = client_for(harriet).get(LIST, {"stands": "asked"}).text
    assert "Referrals from Housing" in page
    assert story["asked"].reference in page
    assert story["sent"].reference not in page


def test_the_list_pages_25_at_a_time_with_queries_flat_as_referrals_grow(client_for, rosa, cora):
    client = client_for(rosa)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(LIST).text
        return len(queries), page.count('class="govuk-link caspa-ref"')

    fill_pathway(rosa, cora, 3)
    few_queries, few_rows = measure()
    # Ten times as many: more accepted (each with its case), and drafts, sent and asked.
    for n in range(12):
        accept(make_referral(rosa, submit=True, nhs_number="", family_name=f"Later{n}"), cora)
    for n in range(15):
        make_referral(rosa, submit=n % 2 == 0, nhs_number="", family_name=f"More{n}")
    many_queries, many_rows = measure()
    assert (few_rows, many_rows) == (3, 25)
    assert many_queries == few_queries
    second = client.get(LIST, {"page": 2}).text
    assert second.count('class="govuk-link caspa-ref"') == 5
    assert "Page 2 of 2 (26 to 30 of 30)" in second


def test_the_screening_page_of_an_old_referral_follows_its_case_too(client_for, cora, story):
    referral = story["closed"]
    page = client_for(cora).get(reverse("referrals:screening_detail", args=[referral.pk])).text
    top = page[: page.index("Who is this?")]  # the history below tells it as it happened
    case = Case.objects.get(referral=referral)
    assert ">Case closed</strong>" in top
    assert f'href="{case.get_absolute_url()}">{case.reference}</a>' in top
    assert "Accepted for the next panel" not in top
