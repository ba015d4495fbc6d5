"""The header's search: what each kind of term finds, who may use it, and that the term stays
out of addresses while every result shown is recorded as a read."""

import re
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given

from audit.models import RecordRead
from caspa import search as finding
from tests.strategies import SLOW_OK, VALUE

pytestmark = pytest.mark.django_db


def found(user, term) -> set[str]:
    """What a search finds, by reference (a person by name)."""
    results = finding.search(user, term)
    return {str(p) for p in results.people} | {
        r.reference for r in [*results.referrals, *results.cases, *results.actions]
    }


# --- what a term means ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["6 6 1985", "06/06/1985", "6/6/1985", "6-6-1985", "6 June 1985", "6 Jun 1985", "1985-06-06"],
)
def test_a_date_of_birth_is_understood_as_people_type_it(typed):
    assert finding.understand(typed) == finding.Query(date_of_birth=date(1985, 6, 6))


@pytest.mark.parametrize("typed", ["943 476 5919", "9434765919", "943-476-5919"])
def test_an_nhs_number_is_understood_with_or_without_spaces(typed):
    assert finding.understand(typed) == finding.Query(nhs_number="9434765919")


@pytest.mark.parametrize(
    ("typed", "reference"),
    [("C-000057", ("C", 57)), ("c57", ("C", 57)), ("R-12", ("R", 12)), ("a 000284", ("A", 284))],
)
def test_a_reference_is_understood_with_or_without_its_zeros(typed, reference):
    assert finding.understand(typed) == finding.Query(reference=reference)


def test_a_name_with_a_date_of_birth_is_understood_as_both():
    assert finding.understand("Alex Smith 6 June 1985") == finding.Query(
        date_of_birth=date(1985, 6, 6), words=("Alex", "Smith")
    )


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", finding.ENTER_A_TERM),
        ("   ", finding.ENTER_A_TERM),
        ("a", finding.TOO_SHORT),
        ("- .", finding.TOO_SHORT),
        ("12345", finding.DIGITS_ONLY),
        ("31 2 1985", finding.NOT_A_DATE),
    ],
)
def test_a_term_that_cannot_be_searched_says_why(typed, problem):
    with pytest.raises(finding.SearchProblem, match=re.escape(problem)):
        finding.understand(typed)


# --- what each kind finds ---------------------------------------------------------------------


def test_a_family_name_finds_the_person_and_those_whose_names_sound_alike(search_world, cora):
    w = search_world
    # Smyth and Smithe sound like Smith (Soundex S530); the draft is not Cora's to see.
    assert found(cora, "Smith") == {
        "Alex Smith",
        "Sam Smyth",
        w.housing_referral.reference,
        w.police_referral.reference,
        w.housing_case.reference,
        w.police_case.reference,
    }


def test_a_given_and_family_name_together_narrow_the_search(search_world, cora):
    w = search_world
    assert found(cora, "alex smith") == {
        "Alex Smith",
        w.housing_referral.reference,
        w.housing_case.reference,
    }


def test_a_referral_not_yet_linked_to_a_person_is_found_by_its_typed_name(search_world, cora):
    assert found(cora, "Okafor") == {search_world.waiting_referral.reference}
    assert found(cora, "Okafer") == {search_world.waiting_referral.reference}  # sounds alike


def test_a_referrer_finds_their_own_draft_by_a_name_that_sounds_like_it(search_world, rosa):
    w = search_world
    assert found(rosa, "Smyth") == {w.housing_referral.reference, w.draft.reference}


def test_a_date_of_birth_finds_who_was_born_that_day(search_world, cora):
    w = search_world
    assert found(cora, "6 June 1985") == {
        "Alex Smith",
        w.housing_referral.reference,
        w.housing_case.reference,
    }


def test_a_name_and_a_date_of_birth_match_as_screening_does(search_world, cora):
    """A family name that sounds alike with a birth date a day or two off, as at screening."""
    w = search_world
    assert found(cora, "Smyth 7 6 1985") == {
        "Alex Smith",
        w.housing_referral.reference,
        w.housing_case.reference,
    }


def test_an_nhs_number_finds_its_person_with_or_without_spaces(search_world, cora):
    w = search_world
    expected = {"Sam Smyth", w.police_referral.reference, w.police_case.reference}
    assert found(cora, "401 023 2137") == expected
    assert found(cora, "4010232137") == expected


def test_each_kind_of_reference_finds_its_record(search_world, cora):
    w = search_world
    for record in (w.housing_referral, w.police_case, w.action):
        assert found(cora, record.reference) == {record.reference}
        assert found(cora, f"{record.reference[0].lower()}{record.pk}") == {record.reference}


def test_a_person_records_reference_finds_it_for_those_who_screen_only(search_world, cora, harriet):
    person = search_world.housing_case.person
    assert found(cora, person.reference) == {"Alex Smith"}
    assert found(harriet, person.reference) == set()


def test_an_agency_finds_only_the_cases_it_is_involved_in(search_world, harriet, piers):
    w = search_world
    # Harriet's referrals list shows her agency's referrals; the Police case is not hers.
    assert found(harriet, "Smith") == {w.housing_referral.reference, w.housing_case.reference}
    assert found(harriet, w.police_case.reference) == set()
    assert found(piers, "Smith") == {w.police_referral.reference, w.police_case.reference}


def test_only_those_who_screen_find_person_records(search_world, chidi):
    w = search_world
    assert found(chidi, "Smith") == {w.housing_case.reference, w.police_case.reference}


def test_on_postgresql_a_name_close_in_spelling_is_found(search_world, cora):
    """ "Alexx" neither is in "Alex" nor is a family name; pg_trgm finds it close in spelling."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity is PostgreSQL's; SQLite matches plainly")
    assert "Alex Smith" in found(cora, "Alexx Smith")
    assert "Sam Smyth" not in found(cora, "Alexx Smith")


# --- the page ---------------------------------------------------------------------------------


def test_the_header_offers_the_search_box_to_those_who_can_open_what_it_finds(
    client_for, cora, harriet, rosa, chidi, milo, maya
):
    for user in (cora, harriet, rosa, chidi, milo):
        page = client_for(user).get(reverse("home")).text
        assert 'id="header-search"' in page
    assert 'id="header-search"' not in client_for(maya).get(reverse("home")).text
    assert client_for(maya).post(reverse("search"), {"term": "Smith"}).status_code == 403


def test_the_search_is_sent_by_post_and_no_link_carries_the_term(search_world, client_for, cora):
    home = client_for(cora).get(reverse("home")).text
    header_form = re.search(r'<form method="(\w+)" action="/search/"', home)
    assert header_form.group(1) == "post"
    page = client_for(cora).post(reverse("search"), {"term": "Smith"}).text
    assert "Alex Smith" in page
    form = re.search(r'<form method="(\w+)" action="/search/"', page)
    assert form.group(1) == "post"
    for address in re.findall(r'(?:href|action)="([^"]*)"', page):
        assert "smith" not in address.lower(), address
        assert "term=" not in address, address


def test_every_result_shown_is_recorded_as_a_read(search_world, client_for, harriet):
    w = search_world
    client_for(harriet).post(reverse("search"), {"term": "Smith"})
    reads = set(RecordRead.objects.filter(reader=harriet).values_list("record_type", "record_id"))
    assert reads == {
        ("referrals.referral", w.housing_referral.pk),
        ("panel.case", w.housing_case.pk),
    }


def test_a_search_that_finds_nothing_says_so_and_records_no_read(search_world, client_for):
    fiona = search_world.personas["SPoC of an uninvolved agency"]
    page = client_for(fiona).post(reverse("search"), {"term": "Smith"}).text
    assert "No results for a name" in page
    assert "Nothing you can open matches “Smith”" in page
    assert not RecordRead.objects.filter(reader=fiona).exists()


def test_a_term_too_short_is_an_error_by_the_box_with_the_term_kept(client_for, cora):
    page = client_for(cora).post(reverse("search"), {"term": "x"}).text
    assert "There is a problem" in page
    assert f'<a href="#search-term">{finding.TOO_SHORT}</a>' in page
    assert 'id="search-term-error"' in page
    assert re.search(r'<input[^>]*id="search-term"[^>]*value="x"', page) or re.search(
        r'<input[^>]*value="x"[^>]*id="search-term"', page
    )


def test_the_empty_search_page_explains_itself(client_for, cora):
    page = client_for(cora).get(reverse("search")).text
    assert "Search by name, date of birth, NHS number or reference" in page
    assert "result" not in page.lower().split("<main")[1]


@SLOW_OK
@given(term=VALUE)
def test_no_term_causes_a_server_error(cora_client, term):
    response = cora_client.post(reverse("search"), {"term": term})
    assert response.status_code == 200
    assert "Search" in response.text
