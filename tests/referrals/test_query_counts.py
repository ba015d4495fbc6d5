"""What each referral page costs in queries (tests/queries.py): the same however long the
referral's history, however many questions it was sent back with, however many earlier
referrals and merged records its person has; and within the budget. The referral list and
the screening queue are counted in their own tests (test_referral_list.py,
test_screening_queue.py)."""

from datetime import date

import pytest
from django.urls import reverse

from panel import services as panel_services
from referrals import services
from referrals.models import Person
from tests.factories import accept, fill_pathway, make_referral
from tests.queries import PAGE_QUERY_LIMIT, assert_flat_and_within_budget, page_queries


def back_and_forth(referral, *, coordinator, referrer, times):
    """The referral sent back `times` times with a question, each answered after the referrer
    changed an answer and the agencies involved: more history rows, questions and answers."""
    agencies = [referrer.agency.pk, coordinator.agency.pk]
    for n in range(times):
        referral = services.referral_ask_for_information(
            referral_id=referral.pk,
            by=coordinator,
            version=referral.version,
            question=f"Who is the GP? ({n})",
        )
        referral = services.referral_save_answers(
            referral_id=referral.pk,
            by=referrer,
            version=referral.version,
            answers={
                "lives_with": f"Lives with a lodger ({n})",
                "agencies_involved": agencies[: 1 + (n + 1) % 2],
            },
        )
        referral = services.referral_answer_question(
            referral_id=referral.pk, by=referrer, version=referral.version, answer=f"Dr Test {n}"
        )
    return referral


@pytest.fixture
def sent(rosa, cora):
    """A referral sent for screening, linked to its person's record, asked about once."""
    referral = make_referral(rosa, submit=True)
    referral = services.referral_link_person(
        referral_id=referral.pk, by=cora, version=referral.version, person_id=None
    )
    return back_and_forth(referral, coordinator=cora, referrer=rosa, times=1)


def grow_history(referral, cora, rosa):
    return lambda: back_and_forth(referral, coordinator=cora, referrer=rosa, times=4)


@pytest.mark.parametrize("who", ["rosa", "cora"])
def test_the_referral_page_costs_the_same_however_long_its_history(
    client_for, request, rosa, cora, sent, who
):
    reader = request.getfixturevalue(who)
    assert_flat_and_within_budget(
        client_for(reader), sent.get_absolute_url(), grow_history(sent, cora, rosa)
    )


def grow_screening(sent, cora, rosa):
    def grow():
        grow_history(sent, cora, rosa)()
        # Earlier referrals about the same person, each with its case.
        for n in range(3):
            earlier = make_referral(rosa, submit=True, nhs_number="", family_name=f"Earlier{n}")
            earlier = services.referral_link_person(
                referral_id=earlier.pk, by=cora, version=earlier.version, person_id=sent.person_id
            )
            panel_services.referral_accept_onto_pathway(
                referral_id=earlier.pk, by=cora, version=earlier.version
            )

    return grow


def test_the_screening_page_costs_the_same_however_long_its_history(client_for, rosa, cora, sent):
    url = reverse("referrals:screening_detail", args=[sent.pk])
    assert_flat_and_within_budget(client_for(cora), url, grow_screening(sent, cora, rosa))


def test_the_person_page_costs_the_same_however_many_referrals_and_merged_records(
    client_for, rosa, cora
):
    kept, _ = accept(make_referral(rosa, submit=True, nhs_number=""), cora)
    person = kept.person
    url = reverse("referrals:person", args=[person.pk])

    def grow():
        for n in range(3):
            duplicate = Person.objects.create(
                family_name=f"Example{n}", given_names="Alex", date_of_birth=date(1980, 5, 17)
            )
            duplicate.nhs_number = f"94347659{n}"
            duplicate.save()
            referral = make_referral(rosa, submit=True, nhs_number="", family_name=f"Dup{n}")
            services.referral_link_person(
                referral_id=referral.pk, by=cora, version=referral.version, person_id=duplicate.pk
            )
            services.person_merge(keep_id=person.pk, duplicate_id=duplicate.pk, by=cora)

    assert_flat_and_within_budget(client_for(cora), url, grow)


@pytest.mark.parametrize("page", ["detail", "check", "section"])
def test_a_drafts_pages_cost_the_same_however_often_it_was_saved(client_for, rosa, page):
    referral = make_referral(rosa)
    args = [referral.pk, "person"] if page == "section" else [referral.pk]
    url = reverse(f"referrals:{page}", args=args)

    def grow():
        now = referral
        for n in range(5):
            now = services.referral_save_answers(
                referral_id=now.pk,
                by=rosa,
                version=now.version,
                answers={"lives_with": f"Lives with {n}", "agencies_involved": [rosa.agency.pk]},
            )

    assert_flat_and_within_budget(client_for(rosa), url, grow)


# The lists are counted at two sizes in their own tests; here, against the budget.
@pytest.mark.parametrize(
    ("who", "name"),
    [("rosa", "referrals:list"), ("harriet", "referrals:list"), ("cora", "referrals:list")],
)
def test_the_referral_lists_are_within_the_budget(client_for, request, rosa, cora, who, name):
    fill_pathway(rosa, cora, 3)
    make_referral(rosa, submit=True, nhs_number="", family_name="Waiting")
    client = client_for(request.getfixturevalue(who))
    assert len(page_queries(client, reverse(name))) <= PAGE_QUERY_LIMIT


def test_the_screening_queue_is_within_the_budget(client_for, rosa, cora):
    fill_pathway(rosa, cora, 3)
    make_referral(rosa, submit=True, nhs_number="", family_name="Waiting")
    client = client_for(cora)
    assert len(page_queries(client, reverse("referrals:screening_queue"))) <= PAGE_QUERY_LIMIT
