"""The screening queue as a list that scales: filters that are never a person's details, 25 a
page, a message when nothing matches, and the same cost however long the queue and however
many years of decided referrals the pathway has kept."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.choices import Status
from referrals.models import Referral
from tests.factories import years_of_closed_cases


def queue(client, **filters):
    response = client.get(reverse("referrals:screening_queue"), filters)
    assert response.status_code == 200
    return response.text


def shown(page: str) -> list[str]:
    """The referral references in the queue's table, in order."""
    return re.findall(r'<span class="caspa-ref">(R-\d{6})</span>', page)


def waiting(count, *, by, agency, **fields) -> list[Referral]:
    """`count` referrals sent for screening, the oldest first, written in bulk."""
    now = timezone.now()
    return Referral.objects.bulk_create(
        Referral(
            created_by=by,
            referring_agency=agency,
            status=Status.SUBMITTED,
            submitted_at=now - timedelta(days=count - n, hours=1),
            family_name=f"Waiting{n}",
            given_names="Fictional",
            **fields,
        )
        for n in range(count)
    )


def test_the_queue_has_no_free_text_search_and_points_to_the_header_search(client_for, cora):
    page = queue(client_for(cora))
    main = page.split('id="main-content"')[1]  # the header's own search box POSTs its term
    assert 'name="search"' not in main
    assert 'type="search"' not in main
    assert "To find someone by name, date of birth or NHS number" in page


def test_the_filters_show_exactly_the_referrals_asked_for(client_for, cora, rosa, housing, asc):
    from_housing = waiting(2, by=rosa, agency=housing)
    answered = waiting(1, by=rosa, agency=asc, resubmitted_at=timezone.now())
    known = waiting(1, by=rosa, agency=asc, may_be_known=True)
    client = client_for(cora)
    assert shown(queue(client)) == [r.reference for r in [*from_housing, *answered, *known]]
    assert shown(queue(client, agency=housing.pk)) == [r.reference for r in from_housing]
    assert shown(queue(client, show="answered")) == [answered[0].reference]
    page = queue(client, show="may_be_known")
    assert shown(page) == [known[0].reference]
    assert "1 referral matches these filters." in page
    # The headline is still the whole queue.
    assert '<span class="govuk-heading-l govuk-!-margin-bottom-0">4</span> waiting' in page


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear_it(
    client_for, cora, rosa, housing, police
):
    waiting(2, by=rosa, agency=housing)
    page = queue(client_for(cora), agency=police.pk)
    assert shown(page) == []
    assert "No referral waiting matches these filters." in page
    assert (
        f'<a class="govuk-link" href="{reverse("referrals:screening_queue")}">Clear the filters</a>'
        in page
    )


def test_a_wrong_filter_is_said_by_its_box_and_shows_none(client_for, cora, rosa, housing):
    waiting(2, by=rosa, agency=housing)
    page = queue(client_for(cora), show="everything")
    assert "There is a problem" in page
    assert shown(page) == []


def test_the_queue_pages_25_at_a_time_oldest_first(client_for, cora, rosa, housing):
    made = waiting(30, by=rosa, agency=housing)
    client = client_for(cora)
    first = queue(client)
    assert shown(first) == [r.reference for r in made[:25]]
    assert "Page 1 of 2 (1 to 25 of 30)" in first
    assert shown(queue(client, page=2)) == [r.reference for r in made[25:]]


@pytest.mark.parametrize("grows", ["the queue", "the years of decided referrals"])
def test_the_queue_costs_the_same_however_much_has_gone_before(
    client_for, cora, rosa, housing, asc, grows
):
    client = client_for(cora)

    def add(count):
        if grows == "the queue":
            waiting(count, by=rosa, agency=housing)
        else:
            years_of_closed_cases(count, by=cora, agencies=[housing, asc])

    def measure():
        with CaptureQueriesContext(connection) as queries:
            page = queue(client)
        return len(queries), len(page.encode())

    waiting(30, by=rosa, agency=asc)
    add(40)
    queries_small, size_small = measure()
    add(120)
    queries_large, size_large = measure()
    assert queries_large == queries_small
    assert abs(size_large - size_small) < 100


def test_the_screening_records_person_search_posts_and_records_each_person_found_as_read(
    client_for, cora, rosa
):
    from audit.models import RecordRead
    from tests.factories import accept, make_referral

    known, _ = accept(make_referral(rosa, submit=True, family_name="Quellington"), cora)
    referral = make_referral(rosa, submit=True, family_name="Other", nhs_number="")
    client = client_for(cora)
    page = client.get(reverse("referrals:screening_detail", args=[referral.pk])).text
    find = reverse("referrals:find_person", args=[referral.pk])
    assert f'<form method="post" action="{find}"' in page
    page = client.post(find, {"search": "Quellington"}).text
    assert known.person.reference in page
    assert "1 more record found for “Quellington”." in page
    assert RecordRead.objects.filter(
        reader=cora, record_type="referrals.person", record_id=known.person.pk
    ).exists()
