"""Referral pages as the referrer, the SPoC, the coordinator and outsiders use them."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from referrals import services
from referrals.choices import Status
from referrals.models import Referral
from tests.factories import make_referral


def section_url(referral, section):
    return reverse("referrals:section", args=[referral.pk, section])


def save_url(referral, section):
    return reverse("referrals:save_section", args=[referral.pk, section])


def send_url(referral):
    return reverse("referrals:submit", args=[referral.pk])


def test_a_referrer_starts_a_referral_from_their_list(client_for, rosa):
    client = client_for(rosa)
    assert "Refer someone to CASPA" in client.get(reverse("referrals:list")).text
    assert 'action="/referrals/new/draft/"' in client.get(reverse("referrals:start")).text
    response = client.post(reverse("referrals:create_draft"))
    referral = Referral.objects.get()
    assert response.url == referral.get_absolute_url()
    page = client.get(referral.get_absolute_url()).text
    assert "You have completed 0 of 7 sections" in page
    about_you = client.get(section_url(referral, "referrer")).text
    assert 'value="rosa@example.org"' in about_you  # what we know of the referrer is filled in


def test_a_manager_cannot_make_referrals(client_for, maya):
    assert client_for(maya).get(reverse("referrals:start")).status_code == 403
    assert client_for(maya).post(reverse("referrals:create_draft")).status_code == 403
    assert not Referral.objects.exists()


# --- who sees what ---


def test_a_referrer_sees_only_their_own_referrals(client_for, rosa, housing):
    from tests.factories import UserFactory

    colleague = UserFactory(username="colleague", role="referrer", agency=housing)
    theirs = make_referral(colleague, submit=True)
    mine = make_referral(rosa, submit=True, nhs_number="")
    page = client_for(rosa).get(reverse("referrals:list")).text
    assert mine.reference in page
    assert theirs.reference not in page
    assert client_for(rosa).get(theirs.get_absolute_url()).status_code == 404


def test_a_spoc_sees_the_referrals_their_agency_made(client_for, rosa, harriet):
    referral = make_referral(rosa, submit=True)
    client = client_for(harriet)
    assert referral.reference in client.get(reverse("referrals:list")).text
    assert client.get(referral.get_absolute_url()).status_code == 200


def test_a_spoc_does_not_see_a_colleagues_unsent_draft(client_for, rosa, harriet):
    draft = make_referral(rosa)
    assert client_for(harriet).get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("outsider", ["piers", "maya", "milo"])
def test_nobody_from_another_agency_or_role_sees_a_referral(client_for, rosa, outsider, request):
    referral = make_referral(rosa, submit=True)
    client = client_for(request.getfixturevalue(outsider))
    assert client.get(referral.get_absolute_url()).status_code == 404
    assert referral.reference not in client.get(reverse("referrals:list")).text


def test_only_screeners_see_the_screening_queue_and_person_records(client_for, rosa, harriet, cora):
    referral = services.referral_link_person(
        referral_id=(r := make_referral(rosa, submit=True)).pk,
        by=cora,
        version=r.version,
        person_id=None,
    )
    for user in (rosa, harriet):
        assert client_for(user).get(reverse("referrals:screening_queue")).status_code == 403
        assert client_for(user).get(referral.person.get_absolute_url()).status_code == 403
    assert client_for(cora).get(reverse("referrals:screening_queue")).status_code == 200


def test_only_the_referrer_changes_the_answers(client_for, rosa, harriet):
    referral = make_referral(rosa, submit=True)
    response = client_for(harriet).get(section_url(referral, "person"))
    assert response.status_code == 403


# --- filling in the form ---


def person_post(referral, **overrides):
    data = {
        "version": referral.version,
        "family_name": "Example",
        "given_names": "Alex",
        "date_of_birth_day": "17",
        "date_of_birth_month": "5",
        "date_of_birth_year": "1980",
        "nhs_number": "943 476 5919",
        "address": "1 Fictional Street",
        "lives_with": "Alone",
        "ethnicity": "white_british",
        "gender": "man",
        "preferred_language": "English",
        "interpreter_needed": "no",
        "disability": "None known",
        "communication_needs": "None",
        "then": "continue",
    }
    data.update(overrides)
    return data


def test_saving_a_complete_section_moves_to_the_next(client_for, rosa):
    referral = services.referral_start(by=rosa)
    response = client_for(rosa).post(save_url(referral, "person"), person_post(referral))
    assert response.status_code == 302
    assert response.url == section_url(referral, "needs")
    referral.refresh_from_db()
    assert referral.nhs_number == "9434765919"
    assert referral.date_of_birth.isoformat() == "1980-05-17"


def test_a_draft_can_be_saved_half_done(client_for, rosa):
    referral = services.referral_start(by=rosa)
    data = {"version": referral.version, "family_name": "Example", "then": "later"}
    response = client_for(rosa).post(save_url(referral, "person"), data)
    assert response.url == referral.get_absolute_url()
    referral.refresh_from_db()
    assert referral.family_name == "Example"


def test_continuing_with_answers_missing_saves_them_and_says_what_is_needed(client_for, rosa):
    referral = services.referral_start(by=rosa)
    data = person_post(referral, lives_with="", ethnicity="not_known")
    response = client_for(rosa).post(save_url(referral, "person"), data)
    assert response.status_code == 200
    assert "Your answers are saved as a draft" in response.text
    assert '<a href="#id_lives_with">Say who the person lives with' in response.text
    assert "Say why the person&#x27;s ethnicity is not known" in response.text
    referral.refresh_from_db()
    assert referral.family_name == "Example"
    assert referral.ethnicity == "not_known"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_of_birth_year": "2099"}, "The date of birth must be in the past"),
        (
            {"date_of_birth_day": "31", "date_of_birth_month": "2"},
            "Date of birth must be a real date",
        ),
        ({"date_of_birth_month": ""}, "Date of birth must include a month"),
        ({"date_of_birth_year": str(date.today().year - 5)}, "CASPA is for adults aged 18 or over"),
        ({"nhs_number": "943 476 5918"}, "Enter a real NHS number"),
        ({"family_name": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"address": "a\x00b"}, "Null characters are not allowed"),
        ({"ethnicity": "martian"}, "Select a valid choice"),
    ],
)
def test_bad_answers_are_explained_next_to_the_field_and_nothing_typed_is_lost(
    client_for, rosa, overrides, message
):
    referral = services.referral_start(by=rosa)
    data = person_post(referral, **overrides, other_names="Ally Sample")
    response = client_for(rosa).post(save_url(referral, "person"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert 'value="Ally Sample"' in response.text
    assert Referral.objects.get(pk=referral.pk).other_names == ""  # nothing half-saved


def test_two_people_saving_the_same_draft_the_second_is_told_what_changed(client_for, rosa):
    referral = make_referral(rosa)
    first, second = client_for(rosa), client_for(rosa)
    opened = person_post(referral, then="later")
    first.post(save_url(referral, "person"), {**opened, "lives_with": "With a brother"})
    response = second.post(save_url(referral, "person"), {**opened, "lives_with": "Alone"})
    assert response.status_code == 409
    assert "Someone else changed this referral" in response.text
    assert "With a brother" in response.text  # what they changed
    assert ">\nAlone</textarea>" in response.text  # what this person typed, kept
    assert Referral.objects.get(pk=referral.pk).lives_with == "With a brother"


def test_needs_are_saved_with_their_evidence(client_for, rosa):
    referral = services.referral_start(by=rosa)
    data = {
        "version": referral.version,
        "needs": ["housing", "mental_health"],
        "evidence_housing": "Notice to quit served 2 Nov",
        "evidence_mental_health": "",
        "primary_need": "housing",
        "then": "continue",
    }
    response = client_for(rosa).post(save_url(referral, "needs"), data)
    assert "Give evidence for &#x27;Poor mental health&#x27;" in response.text
    referral.refresh_from_db()
    assert referral.needs == {"housing": "Notice to quit served 2 Nov", "mental_health": ""}


def test_the_check_page_lists_what_is_missing_and_why(client_for, rosa):
    referral = make_referral(rosa, capacity_considered="")
    response = client_for(rosa).get(reverse("referrals:check", args=[referral.pk]))
    assert "Say whether the person&#x27;s mental capacity was considered" in response.text
    assert "Audited referrals did not record consent or mental capacity" in response.text
    response = client_for(rosa).post(send_url(referral), {"version": referral.version})
    assert "The referral cannot be sent yet" in response.text
    assert Referral.objects.get(pk=referral.pk).status == Status.DRAFT


def test_sending_a_complete_referral(client_for, rosa):
    referral = make_referral(rosa)
    response = client_for(rosa).post(send_url(referral), {"version": referral.version})
    assert response.url == reverse("referrals:sent", args=[referral.pk])
    page = client_for(rosa).get(response.url).text
    assert "Referral sent" in page
    assert referral.reference in page
    assert Referral.objects.get(pk=referral.pk).status == Status.SUBMITTED


# --- screening ---


def test_the_queue_shows_submitted_referrals_oldest_first_with_their_age(client_for, rosa, cora):
    older = make_referral(rosa, submit=True)
    newer = make_referral(rosa, submit=True, nhs_number="")
    Referral.objects.filter(pk=older.pk).update(submitted_at=older.submitted_at - timedelta(days=9))
    page = client_for(cora).get(reverse("referrals:screening_queue")).text
    assert page.index(older.reference) < page.index(newer.reference)
    assert "9 days" in page


DECISIONS = {
    "link": "referrals:link_person",
    "accept": "panel:referral_accept",
    "ask": "referrals:ask_for_information",
    "decline": "referrals:decline",
}


def screen(client, referral, decision, **data):
    """Post one screening decision's form to its own address, at the referral's version."""
    referral.refresh_from_db()
    return client.post(
        reverse(DECISIONS[decision], args=[referral.pk]), {"version": referral.version, **data}
    )


def test_the_coordinator_confirms_the_person_then_accepts(client_for, rosa, cora):
    referral = make_referral(rosa, submit=True)
    client = client_for(cora)
    page = client.get(reverse("referrals:screening_detail", args=[referral.pk])).text
    assert "Confirm who the person is (above) before accepting" in page
    screen(client, referral, "link", person="new")
    response = screen(client, referral, "accept")
    assert response.url == reverse("referrals:screening_queue")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert referral.person is not None


def test_a_repeat_referral_shows_the_earlier_ones(client_for, rosa, cora):
    first = make_referral(rosa, submit=True)
    client = client_for(cora)
    screen(client, first, "link", person="new")
    first.refresh_from_db()
    second = make_referral(rosa, submit=True)
    screen(client, second, "link", person=str(first.person.pk))
    page = client.get(reverse("referrals:screening_detail", args=[second.pk])).text
    assert "Repeat referral" in page
    assert first.reference in page


def test_declining_without_a_reason_or_route_says_so(client_for, rosa, cora):
    referral = make_referral(rosa, submit=True)
    response = screen(client_for(cora), referral, "decline", reason="")
    assert "Enter the reason for declining" in response.text
    assert "Select the better route" in response.text
    response = screen(
        client_for(cora),
        referral,
        "decline",
        reason="Not critical",
        signpost="other",
        signpost_detail="",
    )
    assert "Say which other route the referrer should use" in response.text
    assert Referral.objects.get(pk=referral.pk).status == Status.SUBMITTED


def test_the_referrer_sees_the_question_and_answers_it(client_for, rosa, cora):
    referral = make_referral(rosa, submit=True)
    screen(client_for(cora), referral, "ask", question="Who is their GP?")
    client = client_for(rosa)
    page = client.get(referral.get_absolute_url()).text
    assert "Who is their GP?" in page
    assert "Answer the coordinator's question" in page
    referral.refresh_from_db()
    response = client.post(
        reverse("referrals:answer_question", args=[referral.pk]),
        {"version": referral.version, "answer": "Dr Demo at the Example Surgery."},
        follow=True,
    )
    assert "Referral sent back" in response.text
    page = client_for(cora).get(reverse("referrals:screening_queue")).text
    assert "Answered your question" in page


def test_two_coordinators_deciding_at_once_the_second_is_told(client_for, rosa, cora, adam):
    referral = make_referral(rosa, submit=True)
    version = referral.version
    client_for(cora).post(
        reverse("referrals:ask_for_information", args=[referral.pk]),
        {"version": version, "question": "GP?"},
    )
    response = client_for(adam).post(
        reverse("referrals:decline", args=[referral.pk]),
        {"version": version, "reason": "Not critical", "signpost": "marac"},
    )
    assert response.status_code == 409
    assert "Someone else changed this referral" in response.text
    assert "Status: More information asked for" in response.text  # what changed
    assert Referral.objects.get(pk=referral.pk).status == Status.MORE_INFORMATION


def test_a_question_sent_after_someone_else_linked_the_person_is_kept_for_sending_again(
    client_for, rosa, cora, adam
):
    referral = make_referral(rosa, submit=True)
    version = referral.version
    screen(client_for(cora), referral, "link", person="new")
    response = client_for(adam).post(
        reverse("referrals:ask_for_information", args=[referral.pk]),
        {"version": version, "question": "Who is their GP?"},
    )
    assert response.status_code == 409
    assert "Someone else changed this referral" in response.text
    assert "Who is their GP?</textarea>" in response.text  # what Adam typed, kept
    referral.refresh_from_db()
    assert f'name="version" value="{referral.version}"' in response.text  # to send again
    assert referral.status == Status.SUBMITTED


def test_the_referral_page_shows_a_readable_history(client_for, rosa, cora):
    referral = make_referral(rosa, submit=True)
    screen(client_for(cora), referral, "ask", question="GP?")
    page = client_for(rosa).get(referral.get_absolute_url()).text
    assert "Status: More information asked for" in page
    assert f"by {cora}" in page


def test_merging_records_from_the_person_page(client_for, rosa, cora):
    client = client_for(cora)
    first = make_referral(rosa, submit=True)
    second = make_referral(rosa, submit=True, nhs_number="", family_name="Exampel")
    screen(client, first, "link", person="new")
    screen(client, second, "link", person="new")
    first.refresh_from_db()
    second.refresh_from_db()
    url = first.person.get_absolute_url()
    merge = reverse("referrals:merge_duplicate", args=[first.person.pk])
    assert f'action="{merge}"' in client.get(url).text
    response = client.post(merge, {"duplicate": second.person.pk})
    assert response.url == url
    page = client.get(url).text
    assert first.reference in page
    assert second.reference in page
    response = client.post(merge, {"duplicate": 999999})
    assert "There is no record with that number" in response.text
    response = client.post(merge, {"duplicate": first.person.pk})
    assert "Choose two different records to merge" in response.text


def test_home_tells_the_coordinator_how_many_wait_for_screening(client_for, rosa, cora):
    make_referral(rosa, submit=True)
    page = client_for(cora).get(reverse("home")).text
    assert "1 referral waiting for screening" in page


def test_home_tells_the_referrer_a_question_waits_for_them(client_for, rosa, cora):
    referral = make_referral(rosa, submit=True)
    services.referral_ask_for_information(
        referral_id=referral.pk, by=cora, version=referral.version, question="GP?"
    )
    page = client_for(rosa).get(reverse("home")).text
    assert "Waiting for your answer" in page
    assert referral.reference in page
    assert "Waiting for your answer" not in client_for(cora).get(reverse("home")).text


def test_the_coordinator_searches_before_creating_and_links_a_misspelt_referral(
    client_for, rosa, cora
):
    client = client_for(cora)
    first = make_referral(rosa, submit=True)
    screen(client, first, "link", person="new")
    first.refresh_from_db()
    # Misspelt beyond sounding alike, a different birth date, and no NHS number: no match.
    second = make_referral(
        rosa,
        submit=True,
        family_name="Xample",
        nhs_number="",
        date_of_birth=date(1975, 1, 2),
    )
    url = reverse("referrals:screening_detail", args=[second.pk])
    assert first.person.reference not in client.get(url).text
    # The search posts, so that a name searched for is never in an address: one in the
    # address searches nothing.
    assert first.person.reference not in client.get(url, {"search": "Example"}).text
    page = client.post(reverse("referrals:find_person", args=[second.pk]), {"search": "Example"})
    assert first.person.reference in page.text
    screen(client, second, "link", person=str(first.person.pk), search="Example")
    second.refresh_from_db()
    assert second.person == first.person


def test_every_read_of_a_referral_or_person_is_recorded_and_shown_to_the_coordinator(
    client_for, rosa, harriet, cora
):
    from audit.models import RecordRead

    referral = make_referral(rosa, submit=True)
    client_for(harriet).get(referral.get_absolute_url())
    client = client_for(cora)
    page = client.get(reverse("referrals:screening_detail", args=[referral.pk])).text
    reads = RecordRead.objects.filter(record_type="referrals.referral", record_id=referral.pk)
    assert {read.reader for read in reads} == {harriet, cora}
    assert "Who has read this record" in page
    assert str(harriet) in page


def test_every_still_missing_link_on_the_check_page_opens_its_section_with_the_message(
    client_for, rosa
):
    # One answer missing in each section, of every kind of question: text, a date, radios,
    # checkboxes, and the detail revealed by a ticked choice.
    referral = make_referral(
        rosa,
        lives_with="",
        date_of_birth=None,
        ethnicity="",
        needs={"housing": ""},
        primary_need="housing",
        why_critical_now="",
        agencies_involved=[],
        interim_plan_in_place="",
        capacity_considered="",
        risk_tools={"dash": ""},
        referrer_availability="",
    )
    client = client_for(rosa)
    check = client.get(reverse("referrals:check", args=[referral.pk]))
    summary = check.text.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)
    assert len(links) == 10, links
    for href, message in links:
        url, anchor = href.split("#")
        response = client.get(url)
        assert response.status_code == 200, href
        page = response.text
        # The message is shown next to the field the link points at, and in the summary.
        error = re.search(
            rf'<p id="([^"]+)-error" class="govuk-error-message">[^<]*<span '
            rf'class="govuk-visually-hidden">Error:</span> {re.escape(message)}',
            page,
        )
        assert error, (href, message)
        assert f'id="{anchor}"' in page, href
        assert "There is a problem" in page
