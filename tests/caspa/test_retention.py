"""Retention: people whose every case closed more than RETENTION_YEARS_AFTER_CLOSURE years ago
are listed for the coordinator's review and can be anonymised, keeping every dashboard figure."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from caspa import retention
from dashboard import figures, presentation, rules
from panel.models import Case, CaseEvent, CaseStatus
from referrals.models import Person, Referral
from tests.factories import accept, make_referral, years_of_closed_cases


def closed_long_ago(case: Case, *, years: int = 7) -> Case:
    """The case closed `years` years ago (written straight to the row: closing through the
    service needs the whole step-down, which these tests are not about)."""
    closed_at = timezone.now() - timedelta(days=365 * years + 2)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        outcome="moved_away",
        closed_at=closed_at,
        closure_agreed_on=closed_at.date(),
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def past_retention(cora, rosa):
    """Alex Example, referred by Rosa and accepted by Cora; their case closed seven years ago."""
    referral, _ = accept(make_referral(rosa, submit=True), cora)
    closed_long_ago(referral.case)
    return referral.person


def test_people_whose_every_case_closed_more_than_six_years_ago_are_listed(cora, asc, housing):
    cases = years_of_closed_cases(5, by=cora, agencies=[asc, housing], years=10)
    closed_years_ago = {
        case.person_id: (timezone.now() - case.closed_at).days / 365 for case in cases
    }

    listed = set(retention.people_past_retention().values_list("pk", flat=True))

    assert listed == {pk for pk, years in closed_years_ago.items() if years > 6}
    assert 0 < len(listed) < len(cases)


def test_the_retention_period_is_a_setting(cora, asc, housing, settings):
    years_of_closed_cases(5, by=cora, agencies=[asc, housing], years=10)
    settings.RETENTION_YEARS_AFTER_CLOSURE = 6
    at_six = retention.people_past_retention().count()
    settings.RETENTION_YEARS_AFTER_CLOSURE = 1

    assert retention.people_past_retention().count() > at_six


def test_a_person_with_a_referral_still_open_is_not_listed(past_retention, rosa):
    assert list(retention.people_past_retention()) == [past_retention]

    again = make_referral(rosa, submit=True)
    Referral.objects.filter(pk=again.pk).update(person=past_retention)

    assert list(retention.people_past_retention()) == []


def test_a_person_with_a_case_closed_recently_is_not_listed(past_retention, cora, rosa):
    referral, _ = accept(make_referral(rosa, submit=True, nhs_number="", family_name="Other"), cora)
    Referral.objects.filter(pk=referral.pk).update(person=past_retention)
    Case.objects.filter(pk=referral.case.pk).update(person=past_retention)
    closed_long_ago(referral.case, years=2)

    assert list(retention.people_past_retention()) == []


def test_the_coordinator_sees_the_review_and_what_anonymising_would_change(
    past_retention, cora_client
):
    review = cora_client.get(reverse("retention_review"))
    page = cora_client.get(reverse("retention_person", args=[past_retention.pk]))

    assert review.status_code == 200
    assert past_retention.reference in review.content.decode()
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Anonymise {past_retention.reference}" in body
    assert "Where they live" in body  # a field that would become "[anonymised]"


@pytest.mark.parametrize("persona", ["adam", "chidi", "maya", "harriet", "rosa", "milo"])
def test_only_the_coordinator_reviews_retention_and_anonymises(
    past_retention, client_for, request, persona
):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("retention_review")).status_code == 403
    assert client.get(reverse("retention_person", args=[past_retention.pk])).status_code == 403
    url = reverse("retention_anonymise", args=[past_retention.pk])
    assert client.post(url).status_code == 403
    past_retention.refresh_from_db()
    assert past_retention.family_name == "Example"


def test_someone_not_signed_in_is_sent_to_sign_in(past_retention, client):
    for response in (
        client.get(reverse("retention_review")),
        client.get(reverse("retention_person", args=[past_retention.pk])),
        client.post(reverse("retention_anonymise", args=[past_retention.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_anonymising_is_a_post_never_a_link(past_retention, cora_client):
    url = reverse("retention_anonymise", args=[past_retention.pk])

    assert cora_client.get(url).status_code == 405


def test_anonymising_replaces_who_they_are_and_what_was_written_about_them(
    past_retention, cora, cora_client
):
    referral = past_retention.referrals.get()
    case = referral.case
    assert referral.history.exists()
    agencies_of_versions = apps.get_model("referrals", "HistoricalReferral_agencies_involved")
    assert agencies_of_versions.objects.filter(referral=referral).exists()

    response = cora_client.post(reverse("retention_anonymise", args=[past_retention.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("retention_review")
    person = Person.objects.get(pk=past_retention.pk)
    assert (person.family_name, person.given_names) == ("[anonymised]", "[anonymised]")
    assert person.date_of_birth is None
    assert person.nhs_number == ""
    referral.refresh_from_db()
    assert referral.address == "[anonymised]"
    assert referral.referrer_name == "[anonymised]"
    assert referral.referrer_email == ""
    assert referral.needs == {"self_neglect": "[anonymised]"}
    assert referral.primary_need == "self_neglect"  # counted on the dashboard: kept
    assert referral.ethnicity == "white_british"
    # The history that held the old values is gone; one row says who anonymised it.
    assert not referral.history.exists()
    assert not agencies_of_versions.objects.filter(referral=referral).exists()
    (row,) = person.history.all()
    assert row.history_user == cora
    assert row.history_change_reason == "Anonymised after the retention period"
    assert CaseEvent.objects.filter(case=case, by=cora, summary__startswith="Anonymised").exists()
    page = cora_client.get(reverse("referrals:person", args=[person.pk])).content.decode()
    assert "Example" not in page
    assert "9434765919" not in page


def test_anonymising_refuses_a_person_not_yet_past_retention_and_changes_nothing(
    past_retention, cora_client, settings
):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 10

    response = cora_client.post(reverse("retention_anonymise", args=[past_retention.pk]))

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    case = past_retention.cases.get()
    assert (
        retention.RECENT_CASE.format(case=case.reference, years=10, ref=past_retention.reference)
        in body
    )
    past_retention.refresh_from_db()
    assert past_retention.family_name == "Example"


def test_anonymising_refuses_a_person_whose_case_is_still_open(cora, rosa, cora_client):
    referral, _ = accept(make_referral(rosa, submit=True), cora)
    person = referral.person

    response = cora_client.post(reverse("retention_anonymise", args=[person.pk]))

    assert response.status_code == 400
    assert (
        retention.OPEN_CASE.format(ref=person.reference, case=referral.case.reference)
        in response.content.decode()
    )
    person.refresh_from_db()
    assert person.family_name == "Example"


def test_anonymising_refuses_a_person_with_a_referral_still_open(past_retention, rosa, cora):
    again = make_referral(rosa, submit=True)
    Referral.objects.filter(pk=again.pk).update(person=past_retention)

    with pytest.raises(Exception, match="has a referral still open"):
        retention.retention_anonymise(by=cora, person_id=past_retention.pk)


def test_a_person_is_anonymised_once(past_retention, cora):
    retention.retention_anonymise(by=cora, person_id=past_retention.pk)

    with pytest.raises(Exception, match="has already been anonymised"):
        retention.retention_anonymise(by=cora, person_id=past_retention.pk)
    assert list(retention.people_past_retention()) == []


# --- on the demo's data: every dashboard figure unchanged -----------------------------------


def every_figure(today):
    """Every figure the dashboard shows, over the demo's two years and more: the tables as a
    manager sees them, and the raw counts behind them."""
    period = rules.Period(rules.add_months(today, -36), today)
    return {
        "dashboard": presentation.build(period, exact=True, today=today),
        "dashboard, small numbers hidden": presentation.build(period, exact=False, today=today),
        "caseload": figures.caseload(today),
        "long running": figures.long_running_counts(today),
        "actions by agency": figures.actions_by_agency(today),
        "managed by month": figures.cases_managed_by_month(period),
        "referrals by month": figures.referrals_by_month(period),
        "referrals by agency": figures.referrals_by_agency(period),
        # In no order (the dashboard shows their median and bands): sorted to compare.
        "days to first panel": sorted(figures.days_to_first_panel(period)),
        "leaving": figures.leaving(period),
        "outcomes": figures.outcomes(period),
        "primary needs": figures.primary_needs(period),
        "ethnicities": figures.ethnicities(period),
        "returns by agency": figures.returns_by_agency(period),
        "escalations": figures.escalations(period),
    }


@pytest.mark.django_db
def test_every_dashboard_figure_is_the_same_after_anonymising_closed_cases(demo, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 0  # the demo's closed cases are all recent
    today = timezone.localdate()
    coordinator = User.objects.get(username="coordinator")
    people = list(retention.people_past_retention())
    assert len(people) >= 5
    before = every_figure(today)

    for person in people:
        retention.retention_anonymise(by=coordinator, person_id=person.pk)

    assert Person.objects.filter(
        pk__in=[p.pk for p in people], family_name="[anonymised]"
    ).count() == len(people)
    after = every_figure(today)
    for name, figure in before.items():
        assert after[name] == figure, name
