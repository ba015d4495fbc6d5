"""A manager reads the dashboard: changes the period, reads a chart's figures in its table,
and downloads the CSV and the Board's PDF report."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from dashboard import rules
from panel.models import Outcome
from referrals.choices import Status
from tests.dashboard import records
from tests.dashboard.records import a_month_ago, referrals_from_police_and_housing
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_and_open_the_dashboard(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Dashboard", exact=True).click()


def test_a_manager_changes_the_period_reads_a_chart_s_table_and_downloads_csv_and_pdf(
    page, maya, cora, housing, assert_accessible
):
    today = timezone.localdate()
    last_quarter = rules.recent_quarters(today, 2)[-1]
    for n in range(7):
        records.referral(cora, last_quarter.start + timedelta(days=n), status=Status.ACCEPTED)
    for n in range(3):
        records.referral(cora, today - timedelta(days=400 + n), status=Status.DECLINED)
    for n in range(6):
        records.case(
            cora,
            submitted=last_quarter.start - timedelta(days=100),
            joined=last_quarter.start - timedelta(days=100),
            status="closed",
            left=last_quarter.start + timedelta(days=n),
            outcome=Outcome.STEPPED_DOWN,
            step_down_agency=housing,
        )

    sign_in_and_open_the_dashboard(page, "maya")
    expect(page.get_by_role("heading", name="CASPA dashboard")).to_be_visible()
    # Charts are drawn from the tables once JavaScript runs.
    page.locator("#chart-referrals-by-month canvas").wait_for()
    assert_accessible(page)

    # A period the dashboard cannot show: told why, next to the field.
    page.locator("#id_start_2").fill("2019")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The start date must be on or after 1 January 2020"
    )
    assert_accessible(page)

    # The last quarter instead.
    start, end = last_quarter.start, last_quarter.end
    for prefix, day in (("start", start), ("end", end)):
        page.locator(f"#id_{prefix}_0").fill(str(day.day))
        page.locator(f"#id_{prefix}_1").fill(str(day.month))
        page.locator(f"#id_{prefix}_2").fill(str(day.year))
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("#period-shown")).to_have_text(f"Showing {rules.Period(start, end)}")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    # The referrals chart's own table: 7 accepted in the quarter's first month, none declined.
    table = page.get_by_role("table", name="Referrals each month, by screening decision")
    first_month = table.locator("tbody tr").first
    expect(first_month.locator("th")).to_have_text(f"{start:%b %Y}")
    expect(first_month.locator("td").nth(0)).to_have_text("7")
    expect(first_month.locator("td").nth(1)).to_have_text("0")
    expect(page.locator("#chart-referrals-by-month canvas")).to_have_attribute("role", "img")

    # Outcomes: the table the chart is drawn from, downloaded as CSV.
    outcomes = page.locator("#chart-outcomes")
    with page.expect_download() as download:
        outcomes.get_by_role("link", name="Download these figures as CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["Outcome", "Cases"]
    assert ["Risk reduced: stepped down to one agency", "6"] in rows

    # The Board's report for that quarter, as a PDF.
    with page.expect_download() as download:
        report_link = f"download the report (PDF) for {rules.quarter_name(last_quarter)}"
        page.get_by_role("link", name=report_link).click()
    reader = PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "CASPA: report to the Safeguarding Adults Board" in text
    assert rules.quarter_name(last_quarter) in text
    assert "Risk reduced: stepped down to one agency 6" in text


# Where each series' bar for one row would be, how many pixels are inked between the value
# axis's 0 and 60 px along it. Chart.js is the page's own (its UMD build sets `Chart`).
INK_AT_BARS = """(canvas) => {
  const chart = Chart.getChart(canvas);
  const ratio = chart.currentDevicePixelRatio;
  const context = canvas.getContext("2d");
  const zero = chart.scales.x.getPixelForValue(0);
  return chart.data.datasets.map((dataset, d) =>
    chart.data.labels.map((label, i) => {
      const bar = chart.getDatasetMeta(d).data[i];
      const top = bar.y - bar.height / 2 + 1;
      const pixels = context.getImageData(
        Math.round((zero + 2) * ratio), Math.round(top * ratio),
        Math.round(58 * ratio), Math.max(1, Math.round((bar.height - 2) * ratio))
      ).data;
      let inked = 0;
      for (let p = 3; p < pixels.length; p += 4) if (pixels[p] > 64) inked += 1;
      return { label, series: dataset.label, value: dataset.data[i], inked };
    })
  ).flat();
}"""


def test_a_hidden_figure_is_marked_on_its_chart_not_drawn_like_zero(
    page, maya, cora, police, housing, assert_accessible
):
    # Police: 7 accepted (hidden only to protect the 4) and 4 declined; Housing: 6 and 5.
    referrals_from_police_and_housing(cora, police, housing, a_month_ago())
    sign_in_and_open_the_dashboard(page, "maya")
    canvas = page.locator("#chart-referrals-by-agency canvas")
    canvas.wait_for()

    # The chart's description names every hidden figure, with the right words for each kind.
    label = canvas.get_attribute("aria-label")
    assert "Bedfordshire Police, Accepted: not shown" in label
    assert "Bedfordshire Police, Declined: fewer than 5" in label
    assert "Housing, Accepted: not shown" in label
    assert "Housing, Declined: not shown" in label
    assert "Adult Social Care" not in label  # its zeros are figures, drawn as such
    assert_accessible(page)

    # On the canvas, a hidden figure is marked where its bar would be; a real 0 is left blank.
    bars = {(b["label"], b["series"]): b for b in canvas.evaluate(INK_AT_BARS)}
    hidden = [bars["Bedfordshire Police", "Accepted"], bars["Bedfordshire Police", "Declined"]]
    zero = bars["Adult Social Care", "Accepted"]
    assert [b["value"] for b in hidden] == [None, None]  # no number is drawn for them
    assert zero["value"] == 0
    for bar in hidden:
        assert bar["inked"] > 4 * zero["inked"] + 40, (bar, zero)
