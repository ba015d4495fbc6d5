"""The quarterly report to the Safeguarding Adults Board: a PDF with the quarter's figures,
small numbers hidden whoever downloads it, and the coordinator's commentary."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from caspa.core.locking import ChangedMeanwhile
from dashboard import rules
from dashboard.models import BoardReport
from dashboard.services import commentary_save
from panel.models import CaseStatus, Outcome
from tests.dashboard import records
from tests.dashboard.pdf_reading import pdf_text


@pytest.fixture
def quarter():
    return rules.recent_quarters(timezone.localdate(), 2)[-1]  # the last whole quarter


def test_the_report_carries_the_quarter_s_figures_and_the_commentary(
    client_for, maya, cora, housing, quarter
):
    for n in range(6):
        records.case(
            cora,
            submitted=quarter.start - timedelta(days=90),
            joined=quarter.start - timedelta(days=90),
            status=CaseStatus.CLOSED,
            left=quarter.start + timedelta(days=n),
            outcome=Outcome.STEPPED_DOWN,
            step_down_agency=housing,
        )
    for outcome, n in ((Outcome.MOVED_AWAY, 5), (Outcome.DIED, 1)):
        for day in range(n):
            records.case(
                cora,
                submitted=quarter.start - timedelta(days=90),
                joined=quarter.start - timedelta(days=90),
                status=CaseStatus.CLOSED,
                left=quarter.start + timedelta(days=day),
                outcome=outcome,
            )
    commentary_save(
        quarter=quarter, by=cora, version=1, commentary="Referrals from Housing doubled."
    )
    slug = rules.quarter_slug(quarter)
    response = client_for(maya).get(reverse("dashboard:report_pdf", args=[slug]))
    assert response.status_code == 200
    assert f"caspa-board-report-{slug}.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "report to the Safeguarding Adults Board" in text
    assert rules.quarter_name(quarter) in text
    assert "Referrals from Housing doubled." in text
    assert "Died fewer than 5" in text  # hidden in the report, even for one death
    # ... and so is the next smallest, or the total of 12 would give the death away. There
    # were 5: it is not shown, never called "fewer than 5".
    assert "Moved out of the area not shown" in text
    assert "Moved out of the area fewer than 5" not in text
    # With only those two hidden, 12 - 6 would leave 6 for them: 1 and 5, the only way a
    # count under 5 and one of 5 or more make 6. So the 6 is hidden as well.
    assert "Risk reduced: stepped down to one agency not shown" in text
    assert "Total 12" in text
    assert "Example" not in text


def test_the_report_hides_small_numbers_even_for_the_coordinator(client_for, cora, quarter):
    records.case(
        cora,
        submitted=quarter.start,
        joined=quarter.start,
        status=CaseStatus.CLOSED,
        left=quarter.start + timedelta(days=3),
        outcome=Outcome.MOVED_AWAY,
    )
    slug = rules.quarter_slug(quarter)
    text = pdf_text(client_for(cora).get(reverse("dashboard:report_pdf", args=[slug])))
    assert "Moved out of the area fewer than 5" in text


@pytest.mark.parametrize("slug", ["2019-q4", "2026-q5", "2099-q1", "q3-2026", "names"])
def test_a_quarter_with_no_report_is_not_found(client_for, maya, slug):
    assert client_for(maya).get(f"/dashboard/report/{slug}.pdf").status_code == 404


def test_only_dashboard_users_get_the_report(client_for, harriet, quarter):
    slug = rules.quarter_slug(quarter)
    assert client_for(harriet).get(reverse("dashboard:report_pdf", args=[slug])).status_code == 403


def test_the_coordinator_writes_the_commentary_and_it_is_in_the_history(client_for, cora, quarter):
    slug = rules.quarter_slug(quarter)
    url = reverse("dashboard:commentary", args=[slug])
    client = client_for(cora)
    assert client.get(url).status_code == 200
    response = client.post(url, {"commentary": "Two cases stepped down.", "version": 1})
    assert response.status_code == 302
    report = BoardReport.objects.get(quarter_start=quarter.start)
    assert report.commentary == "Two cases stepped down."
    assert report.history.latest().history_user == cora


def test_managers_cannot_write_the_commentary(client_for, maya, quarter):
    url = reverse("dashboard:commentary", args=[rules.quarter_slug(quarter)])
    assert client_for(maya).post(url, {"commentary": "x", "version": 1}).status_code == 403


def test_two_people_writing_the_commentary_do_not_overwrite_each_other(
    client_for, cora, adam, quarter
):
    slug = rules.quarter_slug(quarter)
    url = reverse("dashboard:commentary", args=[slug])
    client_for(cora).post(url, {"commentary": "Cora's view.", "version": 1})
    response = client_for(adam).post(url, {"commentary": "Adam's view.", "version": 1})
    assert response.status_code == 200
    assert "Someone else saved this commentary while you were writing" in response.text
    assert "Adam&#x27;s view." in response.text  # what Adam typed is still there
    assert "Cora&#x27;s view." in response.text  # and what Cora saved is shown beside it
    assert BoardReport.objects.get(quarter_start=quarter.start).commentary == "Cora's view."


def test_a_stale_version_is_refused_by_the_service(cora, quarter):
    commentary_save(quarter=quarter, by=cora, version=1, commentary="First")
    with pytest.raises(ChangedMeanwhile):
        commentary_save(quarter=quarter, by=cora, version=1, commentary="Second")


def test_an_overlong_commentary_is_explained_and_kept(client_for, cora, quarter):
    url = reverse("dashboard:commentary", args=[rules.quarter_slug(quarter)])
    text = "Too long. " * 400
    response = client_for(cora).post(url, {"commentary": text, "version": 1})
    assert response.status_code == 200
    assert "Ensure this value has at most 3000 characters" in response.text
    assert text.strip()[:200] in response.text
    assert not BoardReport.objects.exists()


def test_the_report_says_not_shown_for_a_count_hidden_to_protect_another(
    client_for, maya, cora, police, housing, quarter
):
    from tests.dashboard.records import (
        PROTECTING_NOTE,
        SMALL_NOTE,
        referrals_from_police_and_housing,
    )

    referrals_from_police_and_housing(cora, police, housing, quarter.start)
    slug = rules.quarter_slug(quarter)
    text = pdf_text(client_for(maya).get(reverse("dashboard:report_pdf", args=[slug])))
    assert "Bedfordshire Police not shown fewer than 5 0 0 11" in text
    assert "Housing not shown not shown 0 0 11" in text
    assert SMALL_NOTE in text
    assert PROTECTING_NOTE in text
