"""The panel's review of a case's assessment: recorded with its level, reason and next date,
kept as it was, shown over time with what changed since, and flagged when past its date."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from actions import services as action_services
from panel import meetings, reviews, services
from panel.models import Case, DesiredOutcome, PanelMeeting, Risk, RiskReview
from panel.rules import risk as risk_rules
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE


def add_risk(case, by, description="Eviction for rent arrears", likelihood=4, severity=3, **kw):
    return Risk.objects.create(
        case=case,
        description=description,
        likelihood=likelihood,
        severity=severity,
        raised_on=timezone.localdate(),
        raised_by=by,
        **kw,
    )


def review(case, by, **kwargs):
    case.refresh_from_db()
    kwargs.setdefault("level", "high")
    return reviews.assessment_review(case_id=case.pk, by=by, version=case.version, **kwargs)


def at(review_, days_ago):
    """The review as if made `days_ago` (the service dates a review today)."""
    RiskReview.objects.filter(pk=review_.pk).update(
        reviewed_on=timezone.localdate() - timedelta(days=days_ago)
    )


def review_form(case, **overrides):
    case.refresh_from_db()
    return {
        "version": case.version,
        "level": "high",
        "return_to": case.get_absolute_url(),
        **overrides,
    }


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def meeting(db):
    return PanelMeeting.objects.create(date=timezone.localdate())


# --- the service ---------------------------------------------------------------------------


def test_a_review_keeps_the_assessment_and_sets_the_level_and_next_date(case, cora, housing):
    add_risk(case, cora, monitored_by=housing, contingency_trigger="Bailiffs booked")
    add_risk(case, cora, description="Self-neglect", likelihood=2, severity=3)
    DesiredOutcome.objects.create(
        case=case, outcome="To stay in my flat", added_on=timezone.localdate(), added_by=cora
    )
    kept = review(case, cora)
    case.refresh_from_db()
    assert (case.risk_level, case.risk_level_reason, case.risk_assessed_on) == (
        "high",
        "",
        timezone.localdate(),
    )
    default = timezone.localdate() + timedelta(weeks=settings.PANEL_REVIEW_EVERY_WEEKS)
    assert case.next_review_on == kept.next_review_on == default
    assert (kept.level, kept.derived_level, kept.by) == ("high", "high", cora)
    risks = {r["description"]: r for r in kept.snapshot["risks"]}
    eviction = risks["Eviction for rent arrears"]
    assert (eviction["score"], eviction["band"], eviction["current"]) == (12, "high", True)
    assert (eviction["monitored_by"], eviction["contingency_trigger"]) == (
        "Housing",
        "Bailiffs booked",
    )
    assert risks["Self-neglect"]["band"] == "medium"
    assert kept.snapshot["desired_outcomes"][0]["outcome"] == "To stay in my flat"
    assert case.events.last().summary == (
        f"Risk assessment reviewed: high (its risks give high); next review {default:%-d %B %Y}"
    )
    assert case.history.latest().history_user == cora


def test_at_a_meeting_the_next_review_is_the_next_meeting_and_the_chronology_names_it(
    case, cora, meeting
):
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    following = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=28))
    add_risk(case, cora, likelihood=5, severity=5)
    kept = review(case, cora, level="critical", meeting=meeting)
    assert kept.next_review_on == following.date
    assert case.events.last().summary == (
        f"Risk assessment reviewed at the panel meeting of {meeting.date:%-d %B %Y}: critical "
        f"(its risks give critical); next review {following.date:%-d %B %Y}"
    )


def test_another_level_than_the_risks_give_is_kept_with_its_reason(case, cora):
    add_risk(case, cora)
    review(case, cora, level="medium", reason="  Tenancy sustainment starts Monday ")
    case.refresh_from_db()
    assert (case.risk_level, case.risk_level_reason) == (
        "medium",
        "Tenancy sustainment starts Monday",
    )
    assert "medium (its risks give high), because: Tenancy sustainment starts Monday" in (
        case.events.last().summary
    )


def test_another_level_without_a_reason_is_refused(case, cora):
    add_risk(case, cora)
    with pytest.raises(ValidationError) as refused:
        review(case, cora, level="medium", reason=" ")
    assert refused.value.message_dict == {
        "reason": [risk_rules.REASON_NEEDED.format(recorded="medium", derived="high")]
    }
    assert not case.reviews.exists()


def test_a_case_with_no_current_risks_cannot_be_reviewed(case, cora):
    add_risk(case, cora, retired_on=timezone.localdate(), retired_reason="Rehoused")
    with pytest.raises(ValidationError) as refused:
        review(case, cora)
    assert refused.value.message_dict == {"level": [reviews.NO_RISKS_TO_REVIEW]}
    assert "no current risks" in reviews.NO_RISKS_TO_REVIEW


def test_the_next_review_date_must_be_in_the_future(case, cora):
    add_risk(case, cora)
    with pytest.raises(ValidationError) as refused:
        review(case, cora, next_review_on=timezone.localdate())
    assert refused.value.message_dict == {
        "next_review_on": ["The next review date must be in the future"]
    }


def test_a_closed_case_is_not_reviewed(case, cora):
    add_risk(case, cora)
    services.case_close(
        case_id=case.pk,
        by=cora,
        version=case.version,
        outcome="moved_away",
        agreed_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as refused:
        review(case, cora)
    assert "is not on the caseload (closed)" in refused.value.messages[0]
    assert not case.reviews.exists()


def test_only_those_running_the_panel_review(case, cora, harriet, chidi):
    add_risk(case, cora)
    for someone in (harriet, chidi):
        with pytest.raises(PermissionDenied):
            review(case, someone)
    assert not case.reviews.exists()


def test_the_level_at_adoption_is_the_level_the_panel_agreed_at_that_meeting(case, cora, meeting):
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    add_risk(case, cora)
    review(case, cora, meeting=meeting)
    case.refresh_from_db()
    services.case_adopt(case_id=case.pk, by=cora, version=case.version, meeting=meeting)
    case.refresh_from_db()
    assert case.risk_level_at_adoption == "high"
    # Reviewed again, later at the same meeting: the level at adoption follows it.
    review(case, cora, level="medium", reason="Rehoused this morning", meeting=meeting)
    case.refresh_from_db()
    assert case.risk_level_at_adoption == "medium"


def test_adopting_without_a_review_keeps_the_current_level(case, cora, meeting):
    services.case_adopt(case_id=case.pk, by=cora, version=case.version, meeting=meeting)
    assert Case.objects.get(pk=case.pk).risk_level_at_adoption == "critical"


# --- the pages ------------------------------------------------------------------------------


def test_the_coordinator_reviews_from_the_case_page(client_for, case, cora):
    add_risk(case, cora)
    client = client_for(cora)
    page = text(client.get(case.get_absolute_url()))
    assert "Review of the risk assessment" in page
    assert "Its current risks give" in page
    response = client.post(reverse("panel:assessment_review", args=[case.pk]), review_form(case))
    assert response.status_code == 302
    page = text(client.get(response.url))
    assert "The review is recorded: high" in page
    assert case.reviews.count() == 1


def test_another_level_without_a_reason_is_refused_next_to_the_reason_box(client_for, case, cora):
    add_risk(case, cora)
    response = client_for(cora).post(
        reverse("panel:assessment_review", args=[case.pk]), review_form(case, level="low")
    )
    assert response.status_code == 200
    page = text(response)
    message = risk_rules.REASON_NEEDED.format(recorded="low", derived="high")
    error = page.index('id="id_review_reason-error"')
    assert message in page[error : error + 400]
    assert not case.reviews.exists()


def test_reviewing_a_case_with_no_risks_says_why_on_the_page(client_for, case, cora):
    response = client_for(cora).post(
        reverse("panel:assessment_review", args=[case.pk]), review_form(case)
    )
    assert response.status_code == 200
    assert reviews.NO_RISKS_TO_REVIEW in text(response)


def test_a_review_from_a_stale_page_is_refused_and_what_was_typed_is_kept(
    client_for, case, cora, adam
):
    add_risk(case, cora)
    stale = review_form(case, level="medium", reason="She has accepted the tenancy support")
    review(case, adam)
    response = client_for(cora).post(reverse("panel:assessment_review", args=[case.pk]), stale)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed this case" in page
    assert "She has accepted the tenancy support" in page
    assert case.reviews.count() == 1


def test_a_spoc_is_not_offered_the_review_form_and_cannot_post_it(client_for, case, cora, harriet):
    add_risk(case, cora)
    client = client_for(harriet)
    page = text(client.get(case.get_absolute_url()))
    assert "Review of the risk assessment" in page
    assert "Record the review" not in page
    response = client.post(reverse("panel:assessment_review", args=[case.pk]), review_form(case))
    assert response.status_code == 403


def test_a_past_review_reads_as_it_was_after_the_assessment_changes(client_for, case, cora):
    risk = add_risk(case, cora, warning_signs="Rent unpaid two months")
    kept = review(case, cora)
    Risk.objects.filter(pk=risk.pk).update(
        description="Street homelessness", likelihood=5, severity=5, warning_signs="Evicted"
    )
    page = text(client_for(cora).get(reverse("panel:case_review", args=[case.pk, kept.pk])))
    assert (
        f"This is the assessment as the panel reviewed it on {timezone.localdate():%-d %B %Y}"
        in page
    )
    assert "Eviction for rent arrears" in page
    assert "Rent unpaid two months" in page
    assert "Likelihood 4 × severity 3 = 12, high" in page
    assert "Street homelessness" not in page
    assert "Evicted" not in page


def test_the_review_page_is_seen_as_the_case_is(client_for, case, cora, harriet, piers):
    add_risk(case, cora)
    url = reverse("panel:case_review", args=[case.pk, review(case, cora).pk])
    assert client_for(harriet).get(url).status_code == 200  # Housing is involved
    assert client_for(piers).get(url).status_code == 404  # the police are not


def test_a_review_of_another_case_is_not_found_under_this_one(client_for, rosa, cora):
    from tests.factories import fill_pathway

    (first, _), (second, _) = fill_pathway(rosa, cora, 2)
    add_risk(first.case, cora)
    kept = review(first.case, cora)
    url = reverse("panel:case_review", args=[second.case.pk, kept.pk])
    assert client_for(cora).get(url).status_code == 404


def test_the_chart_and_its_table_show_every_review_and_the_trend(client_for, case, cora):
    risk = add_risk(case, cora, likelihood=5, severity=4)
    first = review(case, cora, level="critical")
    at(first, 56)
    Risk.objects.filter(pk=risk.pk).update(likelihood=4, severity=3)
    second = review(case, cora, level="high")
    at(second, 28)
    third = review(case, cora, level="medium", reason="The tenancy is saved")
    page = text(client_for(cora).get(case.get_absolute_url()))
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in chart
    assert chart.count('class="caspa-point"') == 3
    for kept, level in ((first, "critical"), (second, "high"), (third, "medium")):
        kept.refresh_from_db()
        assert f"{level} on {kept.reviewed_on:%-d %B %Y}" in chart
        assert reverse("panel:case_review", args=[case.pk, kept.pk]) in page
    table = page[page.index("Each review, oldest first") :]
    table = table[: table.index("</table>")]
    assert table.count('<tr class="govuk-table__row">') == 4  # the header and three reviews
    assert "The tenancy is saved (its risks gave high)" in table
    assert "Falling since the review before" in page


def test_what_changed_since_the_last_review_names_each_change(client_for, case, cora, housing):
    kept = add_risk(case, cora)
    gone = add_risk(case, cora, description="Cuckooing by a local gang", likelihood=3, severity=3)
    action = action_services.action_agree(
        case=case,
        by=cora,
        owner_agency=housing,
        description="Joint visit",
        due_on=timezone.localdate(),
    )
    first = review(case, cora)
    at(first, 14)
    Risk.objects.filter(pk=kept.pk).update(likelihood=5, severity=4, contingency_trigger="Bailiffs")
    Risk.objects.filter(pk=gone.pk).update(
        retired_on=timezone.localdate(), retired_reason="Gang moved on"
    )
    add_risk(case, cora, description="Falls at home", likelihood=2, severity=2)
    DesiredOutcome.objects.create(
        case=case, outcome="To keep my dog", added_on=timezone.localdate(), added_by=cora
    )
    from actions.models import Action

    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    page = text(client_for(cora).get(case.get_absolute_url()))
    since = page[page.index("What has changed since the last review") :]
    since = since[: since.index("The risk level at each review")]
    since = re.sub(r'<span class="caspa-ref">([^<]*)</span>', r"\1", since)  # kept on one line
    for sentence in (
        "Risk “Eviction for rent arrears” re-scored: high (12) → critical (20).",
        "Risk “Cuckooing by a local gang” retired: Gang moved on",
        "New risk “Falls at home”: low (4).",
        "The plan for risk “Eviction for rent arrears” changed: the contingency's trigger.",
        "New desired outcome “To keep my dog”.",
        f"Stalled: {action.reference} (Housing): “Joint visit”, overdue since",
    ):
        assert sentence in since, sentence


def test_the_meeting_screen_shows_what_changed_first_and_takes_the_review(
    client_for, case, cora, meeting
):
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    risk = add_risk(case, cora)
    earlier = review(case, cora)
    at(earlier, 28)
    Risk.objects.filter(pk=risk.pk).update(likelihood=5, severity=5)
    client = client_for(cora)
    screen = reverse("panel:screen", args=[meeting.pk, 1])
    page = text(client.get(screen))
    changed = page.index("What has changed since the last review")
    assert changed < page.index("Lead agency")
    assert "re-scored: high (12) → critical (25)." in page
    response = client.post(
        reverse("panel:assessment_review", args=[case.pk]),
        {**review_form(case, level="critical"), "meeting": meeting.pk, "return_to": screen},
    )
    assert response.status_code == 302
    assert response.url == screen + "#decision-review"
    assert case.reviews.latest().meeting == meeting
    assert "at the panel meeting of" in case.events.last().summary


def test_the_agenda_pack_shows_what_changed_first_for_each_case(client_for, case, cora, meeting):
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    add_risk(case, cora)
    at(review(case, cora), 28)
    add_risk(case, cora, description="Falls at home", likelihood=2, severity=2)
    page = text(client_for(cora).get(reverse("panel:pack", args=[meeting.pk])))
    item = page[page.index('class="caspa-pack-item"') :]
    assert item.index("What has changed since the last review") < item.index("Lead agency")
    assert "New risk “Falls at home”: low (4)." in item


# --- past the review date --------------------------------------------------------------------


def past_its_date(case, cora):
    add_risk(case, cora)
    review(case, cora)
    Case.objects.filter(pk=case.pk).update(next_review_on=timezone.localdate() - timedelta(days=3))


def test_the_coordinator_is_told_of_cases_past_their_review_date(client_for, case, cora):
    past_its_date(case, cora)
    client = client_for(cora)
    home = text(client.get(reverse("home")))
    assert "Past their review date" in home
    assert f'href="{case.get_absolute_url()}#review-heading">{case.reference}</a>' in home
    cases = text(client.get(reverse("panel:cases")))
    row = cases[cases.index(case.reference) :]
    assert "Review overdue" in row[: row.index("</tr>")]
    assert "Past its review date" in text(client.get(case.get_absolute_url()))


def test_a_spoc_does_not_get_the_coordinators_list(client_for, case, cora, harriet):
    past_its_date(case, cora)
    assert "Past their review date" not in text(client_for(harriet).get(reverse("home")))


def test_a_case_reviewed_in_time_is_not_flagged(client_for, case, cora):
    add_risk(case, cora)
    review(case, cora)
    client = client_for(cora)
    assert "No case is past its review date." in text(client.get(reverse("home")))
    assert "Review overdue" not in text(client.get(reverse("panel:cases")))
    assert list(Case.objects.past_review(timezone.localdate())) == []
    assert list(Case.objects.past_review(timezone.localdate() + timedelta(weeks=5))) == [case]


@SLOW_OK
@given(data=st.data())
def test_no_input_to_the_review_of_a_case_with_risks_causes_a_server_error(
    cora_client, case, cora, data
):
    if not case.risks.exists():
        add_risk(case, cora)
    case.refresh_from_db()
    levels = st.one_of(st.sampled_from(["critical", "high", "medium", "low"]), VALUE)
    form = data.draw(
        st.fixed_dictionaries(
            {"version": st.just(str(case.version)), "level": levels},
            optional={
                "reason": ANY_VALUE,
                "next_review_on_day": st.one_of(st.integers(-1, 40).map(str), VALUE),
                "next_review_on_month": st.one_of(st.integers(0, 13).map(str), VALUE),
                "next_review_on_year": st.one_of(st.integers(1900, 2200).map(str), VALUE),
                "meeting": ANY_VALUE,
            },
        )
    )
    response = cora_client.post(reverse("panel:assessment_review", args=[case.pk]), form)
    assert response.status_code in (200, 302, 409)
