"""A user who opens many more records in a day than their usual pattern is flagged to the
coordinator: the pure rule (audit.rules.is_unusual), and the coordinator's home page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from audit.models import ACCESS_REPORT, RecordRead
from audit.rules import is_unusual, usual_daily_reads
from audit.selectors import unusual_readers

days = st.lists(st.integers(0, 500), max_size=28)
factors = st.integers(1, 10)
minimums = st.integers(1, 200)


def test_a_usual_day_is_the_median_of_the_days_with_reading():
    assert usual_daily_reads([0, 0, 4, 10, 6, 0]) == 6
    assert usual_daily_reads([2, 4]) == 3
    assert usual_daily_reads([0, 0]) == 0


@pytest.mark.parametrize(
    ("today", "usual", "unusual"),
    [
        (49, [], False),  # a new user: only the minimum counts
        (50, [], True),
        (59, [20, 20, 20], False),  # three times 20 is 60
        (60, [20, 20, 20, 0, 0], True),  # days off do not lower the usual day
        (60, [1, 1, 1], True),
        (49, [1, 1, 1], False),  # many times the usual, but under the minimum
    ],
)
def test_unusual_is_at_least_the_minimum_and_the_factor_times_a_usual_day(today, usual, unusual):
    assert is_unusual(today_count=today, usual_daily_counts=usual, factor=3, minimum=50) is unusual


@given(today=st.integers(0, 2000), usual=days, factor=factors, minimum=minimums)
def test_under_the_minimum_is_never_unusual(today, usual, factor, minimum):
    if today < minimum:
        assert not is_unusual(
            today_count=today, usual_daily_counts=usual, factor=factor, minimum=minimum
        )


@given(today=st.integers(0, 2000), usual=days, factor=factors, minimum=minimums)
def test_reading_more_than_an_unusual_day_is_unusual_too(today, usual, factor, minimum):
    if is_unusual(today_count=today, usual_daily_counts=usual, factor=factor, minimum=minimum):
        assert is_unusual(
            today_count=today + 1, usual_daily_counts=usual, factor=factor, minimum=minimum
        )


@given(today=st.integers(0, 2000), usual=days, factor=factors, minimum=minimums)
def test_a_busier_usual_day_never_makes_today_unusual(today, usual, factor, minimum):
    busier = [count * 2 for count in usual]
    if not is_unusual(today_count=today, usual_daily_counts=usual, factor=factor, minimum=minimum):
        assert not is_unusual(
            today_count=today, usual_daily_counts=busier, factor=factor, minimum=minimum
        )


@given(today=st.integers(0, 2000), usual=days, factor=factors, minimum=minimums)
def test_unusual_is_exactly_the_threshold_reached(today, usual, factor, minimum):
    threshold = max(minimum, factor * usual_daily_reads(usual))
    assert is_unusual(
        today_count=today, usual_daily_counts=usual, factor=factor, minimum=minimum
    ) == (today >= threshold)


# --- against data ---------------------------------------------------------------------------


def reads(reader, count, *, days_ago=0, record_type="referrals.referral", start=0):
    made = RecordRead.objects.bulk_create(
        RecordRead(reader=reader, record_type=record_type, record_id=start + n)
        for n in range(count)
    )
    if days_ago:
        RecordRead.objects.filter(pk__in=[r.pk for r in made]).update(
            read_at=timezone.now() - timedelta(days=days_ago)
        )


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_user_opening_three_times_their_usual_day_is_flagged(harriet, rosa, today):
    for days_ago in (1, 2, 3):
        reads(harriet, 20, days_ago=days_ago)
        reads(rosa, 30, days_ago=days_ago)
    reads(harriet, 60)  # 3 × 20
    reads(rosa, 60)  # 2 × 30
    found = unusual_readers(today, days=28, factor=3, minimum=50)
    assert [(u.reader, u.today, u.usual) for u in found] == [(harriet, 60, 20)]


def test_a_record_opened_many_times_counts_once(harriet, today):
    for _ in range(60):
        reads(harriet, 1)
    assert unusual_readers(today, days=28, factor=3, minimum=50) == []


def test_days_before_the_usual_period_do_not_count(harriet, today):
    reads(harriet, 100, days_ago=40)
    reads(harriet, 60)
    [found] = unusual_readers(today, days=28, factor=3, minimum=50)
    assert found.usual == 0


def test_opening_the_access_report_is_not_reading_records(cora, today):
    RecordRead.objects.bulk_create(
        RecordRead(reader=cora, record_type=ACCESS_REPORT, record_id=n) for n in range(60)
    )
    assert unusual_readers(today, days=28, factor=3, minimum=50) == []


def test_the_check_costs_at_most_three_queries_however_many_readers(
    harriet, rosa, piers, milo, today, django_assert_max_num_queries
):
    for n, user in enumerate((harriet, rosa, piers, milo)):
        reads(user, 5, days_ago=2, start=1000 * n)
        reads(user, 70, start=1000 * n)
    with django_assert_max_num_queries(3):
        assert len(unusual_readers(today, days=28, factor=3, minimum=50)) == 4


def test_the_coordinators_home_names_who_opened_more_records_than_usual(
    client_for, cora, harriet, housing, settings
):
    settings.AUDIT_UNUSUAL_READS_MINIMUM = 10
    reads(harriet, 2, days_ago=1)
    reads(harriet, 12)
    page = client_for(cora).get(reverse("home")).text
    assert "1 person opened more records than usual today" in page
    flagged = page[page.index('id="home-unusual-reading"') :]
    assert f"{harriet} (Housing): 12 records today, against 2 on a usual day" in flagged
    assert reverse("dashboard:access_report") in flagged


def test_the_setting_decides_how_many_records_are_a_lot(client_for, cora, harriet, settings):
    reads(harriet, 12)
    settings.AUDIT_UNUSUAL_READS_MINIMUM = 50
    assert "more records than usual" not in client_for(cora).get(reverse("home")).text


@pytest.mark.parametrize("other", ["adam", "maya", "chidi", "harriet"])
def test_only_the_coordinator_is_told(client_for, harriet, other, settings, request):
    settings.AUDIT_UNUSUAL_READS_MINIMUM = 10
    reads(harriet, 12)
    page = client_for(request.getfixturevalue(other)).get(reverse("home")).text
    assert "more records than usual" not in page


def test_the_coordinators_home_costs_the_same_queries_however_many_are_flagged(
    client_for, cora, harriet, rosa, piers, settings
):
    settings.AUDIT_UNUSUAL_READS_MINIMUM = 10
    client = client_for(cora)
    reads(harriet, 12)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    reads(rosa, 12)
    reads(piers, 12)
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("home")).text
    assert "3 people opened more records than usual today" in page
    assert len(three) == len(one)
