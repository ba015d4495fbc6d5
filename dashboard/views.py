"""The dashboard pages: figures for a period, each breakdown as CSV, and the Board's quarterly
report as a PDF. No page here links to a case, a referral or a person for a manager."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.selectors import access_report as access_report_for
from audit.services import record_access_report_use
from caspa.core.locking import ChangedMeanwhile
from dashboard import permissions, presentation, report, rules
from dashboard.forms import CommentaryForm, PeriodForm
from dashboard.services import board_report_for, commentary_save
from dashboard.tables import Table

SESSION_KEY = "dashboard_period"


def _chosen_period(request, today: date) -> tuple[PeriodForm, rules.Period]:
    """The period asked for, or, when it is wrong, the last good one (and the form's errors)."""
    last_good = _period_from_session(request, today)
    if not request.GET:
        form = PeriodForm(initial={"start": last_good.start, "end": last_good.end}, today=today)
        return form, last_good
    form = PeriodForm(request.GET, today=today)
    if form.is_valid():
        period = form.period
        if period != last_good:
            request.session[SESSION_KEY] = [period.start.isoformat(), period.end.isoformat()]
        return form, period
    return form, last_good


def _period_from_session(request, today: date) -> rules.Period:
    try:
        start, end = (date.fromisoformat(day) for day in request.session[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return rules.last_twelve_months(today)
    if rules.period_problems(start, end, today=today):
        return rules.last_twelve_months(today)
    return rules.Period(start, end)


def _quick_periods(today: date) -> list[dict]:
    """Links for the periods people ask for most."""
    choices = [
        ("Last 12 months", rules.last_twelve_months(today)),
        ("Last 2 years", rules.Period(rules.add_months(today, -23), today)),
    ]
    this_quarter = rules.quarter_of(today)
    last_quarter = rules.recent_quarters(today, 2)[-1]
    choices += [
        ("This quarter so far", rules.Period(this_quarter.start, today)),
        ("Last quarter", last_quarter),
    ]
    return [{"label": label, "query": _query(period)} for label, period in choices]


def _query(period: rules.Period) -> str:
    parts = {
        "start_day": period.start.day,
        "start_month": period.start.month,
        "start_year": period.start.year,
        "end_day": period.end.day,
        "end_month": period.end.month,
        "end_year": period.end.year,
    }
    return "&".join(f"{key}={value}" for key, value in parts.items())


@login_required
@require_safe
def dashboard(request):
    permissions.require_viewing_dashboard(request.user)
    today = timezone.localdate()
    form, period = _chosen_period(request, today)
    return _show_dashboard(request, form, period, today)


@login_required
@require_POST
def period_filter(request):
    """The period's form, posted so that what is typed in its boxes never reaches an address: a
    good period goes to the dashboard with only its dates, in numbers, in the address; a wrong
    one shows the dashboard again with what is wrong by its box, what was typed kept, and the
    last good period's figures."""
    permissions.require_viewing_dashboard(request.user)
    today = timezone.localdate()
    typed = {name: value for name, value in request.POST.items() if name != "csrfmiddlewaretoken"}
    form = PeriodForm(typed, today=today)
    if form.is_valid():
        return redirect(f"{reverse('dashboard:index')}?{_query(form.period)}#period")
    return _show_dashboard(request, form, _period_from_session(request, today), today)


def _show_dashboard(request, form: PeriodForm, period: rules.Period, today: date):
    board = presentation.build(
        period, exact=permissions.sees_exact_figures(request.user), today=today
    )
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "board": board,
            "period_query": _query(period),
            "quick_periods": _quick_periods(today),
            "can_write_commentary": permissions.can_write_commentary(request.user),
            "can_view_access_report": permissions.can_view_access_report(request.user),
            "suppression_summary": rules.SUMMARY,
            "quarters": [
                {"name": rules.quarter_name(q), "slug": rules.quarter_slug(q)}
                for q in rules.recent_quarters(today, 4)
            ],
        },
    )


# The access report's period unless another is asked for: the last four weeks, today included.
ACCESS_REPORT_DAYS = 28


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def access_report(request):
    """Who read people's records over a period, by agency and by user: counts only, no person
    named (docs/read-audit.md). Its own use is recorded. The period's form is posted, so that
    what is typed never reaches an address: a good period comes back as its dates, in numbers,
    in the address; a wrong one is shown again with what is wrong by its box, what was typed
    kept, and no figures."""
    permissions.require_viewing_access_report(request.user)
    today = timezone.localdate()
    default = rules.Period(today - timedelta(days=ACCESS_REPORT_DAYS - 1), today)
    typed = request.POST if request.method == "POST" else request.GET
    if typed:
        typed = {name: value for name, value in typed.items() if name != "csrfmiddlewaretoken"}
        form = PeriodForm(typed, today=today)
        period = form.period if form.is_valid() else None
        if period and request.method == "POST":
            return redirect(f"{reverse('dashboard:access_report')}?{_query(period)}")
    else:
        form = PeriodForm(initial={"start": default.start, "end": default.end}, today=today)
        period = default
    record_access_report_use(reader=request.user)
    return render(
        request,
        "dashboard/access_report.html",
        {
            "form": form,
            "period": period,
            "report": access_report_for(period.start, period.end) if period else None,
        },
    )


@login_required
@require_safe
def export_csv(request, key: str):
    """One breakdown as CSV, with the same figures (and the same hiding) as the page."""
    permissions.require_viewing_dashboard(request.user)
    today = timezone.localdate()
    form, period = _chosen_period(request, today)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('dashboard:index')}?{request.GET.urlencode()}")
    board = presentation.build(
        period, exact=permissions.sees_exact_figures(request.user), today=today
    )
    table = board.table(key)
    if table is None:
        raise Http404("The dashboard has no such breakdown.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"caspa-{table.key}-{period.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(response, table)
    return response


def write_csv(out, table: Table) -> None:
    """The table as the page shows it; where it hides a figure, a blank row and then each of
    its footnotes in a row of its own, where a spreadsheet's reader sees them."""
    writer = csv.writer(out)
    writer.writerow([csv_safe(text) for text in (table.row_header, *table.columns)])
    rows = (*table.rows, table.footer) if table.footer else table.rows
    for row in rows:
        writer.writerow([csv_safe(row.label), *(csv_safe(cell.text) for cell in row.cells)])
    if table.footnotes:
        writer.writerow([])
        writer.writerows([csv_safe(footnote)] for footnote in table.footnotes)


def csv_safe(text: str) -> str:
    """A spreadsheet would run a cell that starts like a formula: make it plain text."""
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in "+-" and not text[1:2].isdigit()):
        return "'" + text
    return text


def _quarter(slug: str) -> rules.Period:
    quarter = rules.quarter_from_slug(slug)
    if quarter is None or quarter.start > timezone.localdate() or quarter.end < rules.RECORDS_BEGIN:
        raise Http404("There is no report for that quarter.")
    return quarter


@login_required
@require_safe
def report_pdf(request, slug: str):
    """The Board's quarterly report: the quarter's figures, small numbers hidden, as a PDF."""
    permissions.require_viewing_dashboard(request.user)
    quarter = _quarter(slug)
    return report.report_pdf_response(request, quarter, slug=slug, today=timezone.localdate())


@login_required
@require_http_methods(["GET", "POST"])
def report_commentary(request, slug: str):
    """The coordinator writes the few sentences the Board reads first."""
    permissions.require_writing_commentary(request.user)
    quarter = _quarter(slug)
    stored = board_report_for(quarter)
    form = CommentaryForm(
        request.POST or None, instance=stored, initial={"version": stored.version}
    )
    saved_meanwhile = None
    if request.method == "POST" and form.is_valid():
        try:
            commentary_save(
                quarter=quarter,
                by=request.user,
                version=form.cleaned_data["version"],
                commentary=form.cleaned_data["commentary"],
            )
        except ChangedMeanwhile as changed:
            # Nothing is overwritten: both texts are on the page to be merged by a person.
            saved_meanwhile = changed.record
            form.add_error(
                "commentary",
                "Someone else saved this commentary while you were writing. Your text is "
                "still here; theirs is below it. Copy what you need into one, reload the "
                "page, and save again.",
            )
        else:
            messages.success(request, f"Commentary saved for {rules.quarter_name(quarter)}.")
            return redirect("dashboard:index")
    return render(
        request,
        "dashboard/commentary.html",
        {
            "form": form,
            "quarter_name": rules.quarter_name(quarter),
            "slug": slug,
            "saved_meanwhile": saved_meanwhile,
        },
    )
