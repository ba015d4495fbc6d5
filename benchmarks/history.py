"""The ten-year history `make bench` measures against (docs/benchmarks.md): built beside the
demo (run `seed_demo` first), in the ten years before the demo's story begins, by bulk inserts.

At scale 1: 1,000 referrals, 800 closed cases (and 70 not adopted), 120 panel meetings with
3,000 agenda items, 19,000 actions, 24,000 action updates, 2,000,000 read-audit rows, and the
django-simple-history rows the pages read; `--scale 10` (or BENCH_SCALE=10) ten times each.
Every name is invented. It also makes the bench's own accounts (25 a role), each with a
confirmed authenticator app (a TOTP device) whose key Locust uses to compute the sign-in code,
and writes them, with the ids the load test visits, to var/bench/world.json.

    DJANGO_ENV=demo DATABASE_URL=postgres://postgres@127.0.0.1:5432/caspa_bench \\
        .venv/bin/python -m benchmarks.history [--scale N]
"""

import argparse
import json
import os
import random
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORLD = Path(os.environ.get("BENCH_WORLD", ROOT / "var" / "bench" / "world.json"))

# The ten-year history at scale 1 (issue 17).
SIZES = {
    "referrals": 1000,
    "closed_cases": 800,
    "not_adopted_cases": 70,
    "meetings": 120,
    "agenda_items": 3000,
    "actions": 19000,
    "updates": 24000,
    "reads": 2_000_000,
}
# Referrals that did not become cases, by where they stand (the rest are accepted).
OTHER_REFERRALS = {"declined": 100, "more_information": 10, "submitted": 10, "draft": 10}
YEARS = 10
BENCH_PASSWORD = "bench-only-fictional-2026"
ACCOUNTS_PER_ROLE = 25
# The roles the load test plays with accounts of its own; its SPoCs are the demo's (one an
# agency: only the agency's SPoC sends its returns), given an authenticator app too.
BENCH_ROLES = ("coordinator", "referrer", "manager")

GIVEN = [
    "Alder",
    "Bryony",
    "Corin",
    "Dilys",
    "Emrys",
    "Fenella",
    "Gideon",
    "Hester",
    "Ianto",
    "Jessamy",
    "Kester",
    "Linnet",
    "Morwen",
    "Nyle",
    "Orla",
    "Peregrine",
    "Quilla",
    "Roswell",
    "Saffron",
    "Tamsin",
    "Ulric",
    "Verity",
    "Wendell",
    "Xanthe",
    "Yorick",
    "Zinnia",
]
FAMILY = [
    "Ashcombe",
    "Brindlewood",
    "Carrow",
    "Dunnage",
    "Elverston",
    "Foxley",
    "Gorringe",
    "Hallowes",
    "Inchbold",
    "Jessop",
    "Kettleby",
    "Loxton",
    "Mardell",
    "Netherby",
    "Oakhanger",
    "Pellow",
    "Quarrendon",
    "Rookwith",
    "Stubbings",
    "Thistlewood",
    "Underhay",
    "Vellacott",
    "Wrenfield",
    "Yarrowby",
    "Zennor",
    "Amberley",
    "Blackmore",
    "Coldharbour",
    "Dimmock",
    "Fairlie",
]
NEEDS = ("self_neglect", "mental_health", "dual_diagnosis", "offending")
OUTCOMES = ("moved_away", "declined_with_capacity", "stepped_down", "died", "other")
TEXT = (
    "Fictional benchmark text: agencies met, shared what they knew, and agreed who does what "
    "by when. The person's own words are recorded at each review. "
)


def log(message: str) -> None:
    print(f"    {message}", flush=True)


@contextmanager
def dates_as_given(*models):
    """bulk_create keeps the dates we give: auto_now and auto_now_add set them to now."""
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def timed(label):
    def wrap(fn):
        def run(*args, **kwargs):
            started = time.monotonic()
            result = fn(*args, **kwargs)
            log(f"{label}: {time.monotonic() - started:.1f} s")
            return result

        return run

    return wrap


@timed("bench accounts, each with an authenticator app")
def make_accounts() -> dict:
    """ACCOUNTS_PER_ROLE accounts for each role the load test plays, one password hash (argon2
    is slow on purpose) and one confirmed TOTP device each."""
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Agency, User
    from accounts.services import user_create
    from demo.data import DEMO_PASSWORD

    agencies = list(Agency.objects.order_by("pk"))
    host = next(a for a in agencies if a.is_host)
    made = {role: [] for role in BENCH_ROLES}
    for role in BENCH_ROLES:
        for n in range(1, ACCOUNTS_PER_ROLE + 1):
            username = f"bench.{role}.{n:02d}"
            agency = host if role in ("coordinator", "manager") else agencies[n % len(agencies)]
            user = User.objects.filter(username=username).first() or user_create(
                username=username,
                email=f"{username}@example.org",
                first_name=GIVEN[n % len(GIVEN)],
                last_name=f"Bench{role.title()}",
                role=role,
                agency=agency,
                job_title="Benchmark account (fictional)",
            )
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            made[role].append(
                {"username": username, "key": device.key, "pk": user.pk, "agency": agency.pk}
            )
    names = [a["username"] for accounts in made.values() for a in accounts]
    User.objects.filter(username__in=names).update(password=make_password(BENCH_PASSWORD))
    made["spoc"] = []
    for agency in Agency.objects.filter(spoc__isnull=False).select_related("spoc").order_by("pk"):
        device = TOTPDevice.objects.filter(user=agency.spoc, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=agency.spoc, name="bench", confirmed=True)
        made["spoc"].append(
            {
                "username": agency.spoc.username,
                "key": device.key,
                "pk": agency.spoc_id,
                "agency": agency.pk,
                "password": DEMO_PASSWORD,
            }
        )
    return made


def spread(start: datetime, end: datetime, i: int, n: int) -> datetime:
    return start + (end - start) * (i / max(n, 1))


@timed("referrals, people and cases")
def make_referrals_and_cases(scale, start, end, agencies, referrers, coordinator):
    from django.contrib.auth.models import Permission

    from panel.models import Case, CaseGroupObjectPermission
    from referrals.models import Person, Referral, ScreeningQuestion
    from referrals.rules.matching import soundex

    rng = random.Random(17)
    n = SIZES["referrals"] * scale
    others = {status: count * scale for status, count in OTHER_REFERRALS.items()}
    n_accepted = n - sum(others.values())
    statuses = ["accepted"] * n_accepted + [s for s, c in others.items() for _ in range(c)]
    rng.shuffle(statuses)
    # The undecided ones are the most recent: a queue does not wait ten years.
    statuses.sort(key=lambda s: s in ("submitted", "more_information", "draft"))
    people, referrals = [], []
    for i in range(n):
        family, given = FAMILY[i % len(FAMILY)], GIVEN[(i * 7) % len(GIVEN)]
        submitted = spread(start, end - timedelta(days=60), i, n)
        people.append(
            Person(
                family_name=family,
                given_names=given,
                date_of_birth=datetime(1950 + i % 50, 1 + i % 12, 1 + i % 28).date(),
                family_name_soundex=soundex(family),
                created_at=submitted,
            )
        )
    with dates_as_given(Person, Referral):
        people = Person.objects.bulk_create(people, batch_size=2000)
        for i, (person, status) in enumerate(zip(people, statuses, strict=True)):
            referrer = referrers[i % len(referrers)]
            submitted = person.created_at
            referrals.append(
                Referral(
                    status=status,
                    version=3,  # its three history rows (make_history)
                    created_by=referrer,
                    referring_agency_id=referrer.agency_id,
                    referrer_agency_id=referrer.agency_id,
                    created_at=submitted - timedelta(days=1),
                    updated_at=submitted,
                    submitted_at=None if status == "draft" else submitted,
                    person=person if status == "accepted" else None,
                    family_name=person.family_name,
                    given_names=person.given_names,
                    date_of_birth=person.date_of_birth,
                    address=f"{1 + i % 90} Fictional Road, Benchtown",
                    lives_with="Lives alone.",
                    ethnicity="white_british" if i % 3 else "asian_pakistani",
                    gender="man" if i % 2 else "woman",
                    needs={NEEDS[i % 4]: "Seen by two agencies (fictional).", "housing": "Arrears"},
                    primary_need=NEEDS[i % 4],
                    risk_description=TEXT * 2,
                    why_critical_now=TEXT,
                    tried_so_far=TEXT,
                    persons_views=TEXT,
                    consent="yes",
                    referrer_name=f"{referrer.first_name} {referrer.last_name}",
                    referrer_role="Officer (fictional)",
                    referrer_email=referrer.email,
                    screened_by=coordinator if status in ("accepted", "declined") else None,
                    screened_at=submitted + timedelta(days=2)
                    if status in ("accepted", "declined")
                    else None,
                    decline_reason="Another route fits better." if status == "declined" else "",
                    signpost="mash_s42" if status == "declined" else "",
                    more_information_question="What has changed since May?"
                    if status == "more_information"
                    else "",
                )
            )
        referrals = Referral.objects.bulk_create(referrals, batch_size=1000)
    ScreeningQuestion.objects.bulk_create(
        ScreeningQuestion(
            referral=r,
            question=r.more_information_question,
            asked_by=coordinator,
            asked_at=r.submitted_at + timedelta(days=1),
        )
        for r in referrals
        if r.status == "more_information"
    )

    accepted = [r for r in referrals if r.status == "accepted"]
    n_closed = SIZES["closed_cases"] * scale
    cases = []
    for i, r in enumerate(accepted):
        since = r.submitted_at + timedelta(days=2)
        closed = i < n_closed
        closed_at = since + timedelta(days=90 + (i * 37) % 150)
        outcome = OUTCOMES[i % len(OUTCOMES)]
        lead = agencies[i % len(agencies)]
        cases.append(
            Case(
                referral=r,
                person_id=r.person_id,
                status="closed" if closed else "not_adopted",
                version=2,
                waiting_since=since,
                joined_caseload_at=since,
                lead_agency=lead if closed else None,
                lead_officer="A. Fictional officer" if closed else "",
                risk_level="high",
                risk_level_at_adoption="critical",
                persons_views=TEXT,
                risk_assessed_on=since.date() if closed else None,
                closed_at=closed_at if closed else None,
                outcome=outcome if closed else "",
                outcome_detail=TEXT if closed else "",
                step_down_agency=lead if closed and outcome == "stepped_down" else None,
                closure_agreed_on=closed_at.date() if closed else None,
                handover_plan=TEXT if closed and outcome == "stepped_down" else "",
                not_adopted_reason="" if closed else "Single-agency work fits better.",
                not_adopted_signpost="" if closed else "mash_s42",
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=1000)

    # Who is involved: three or four agencies a case, on the case and its referral, and the
    # guardian rows through which those agencies' people see it (panel/permissions.py).
    view_case = Permission.objects.get(codename="view_case", content_type__app_label="panel")
    case_through = Case.involved_agencies.through
    referral_through = Referral.agencies_involved.through
    involved = {}
    case_rows, referral_rows, grants = [], [], []
    for i, case in enumerate(cases):
        picked = {agencies[(i + k * 5) % len(agencies)] for k in range(3 + i % 2)}
        if case.lead_agency:
            picked.add(case.lead_agency)
        involved[case.pk] = sorted(a.pk for a in picked)
        for agency in picked:
            case_rows.append(case_through(case_id=case.pk, agency_id=agency.pk))
            referral_rows.append(
                referral_through(referral_id=case.referral_id, agency_id=agency.pk)
            )
            grants.append(
                CaseGroupObjectPermission(
                    content_object_id=case.pk, permission=view_case, group_id=agency.group_id
                )
            )
    case_through.objects.bulk_create(case_rows, batch_size=5000)
    referral_through.objects.bulk_create(referral_rows, batch_size=5000)
    CaseGroupObjectPermission.objects.bulk_create(grants, batch_size=5000)
    return referrals, cases, involved


@timed("meetings and agenda items")
def make_meetings(scale, start, end, cases, chair):
    from panel.models import AgendaItem, PanelMeeting

    n = SIZES["meetings"] * scale
    per_meeting = SIZES["agenda_items"] // SIZES["meetings"]
    dates = sorted({spread(start, end, i, n).date() for i in range(n)})
    meetings = PanelMeeting.objects.bulk_create(
        PanelMeeting(
            date=d,
            minutes_status="draft",
            started_at=datetime.combine(d, datetime.min.time()).replace(tzinfo=start.tzinfo)
            + timedelta(hours=10),
            ended_at=datetime.combine(d, datetime.min.time()).replace(tzinfo=start.tzinfo)
            + timedelta(hours=12),
        )
        for d in dates
    )
    # Each meeting takes the cases open on its day (reviews), newest first, up to its share,
    # then other business; a case's first meeting is its "new referral" item.
    by_since = sorted((c for c in cases if c.status == "closed"), key=lambda c: c.waiting_since)
    seen, items = set(), []
    lo = 0
    for meeting in meetings:
        day = meeting.started_at
        while lo < len(by_since) and by_since[lo].closed_at < day:
            lo += 1
        open_then = [c for c in by_since[lo : lo + 4 * per_meeting] if c.waiting_since <= day]
        chosen = open_then[-(per_meeting - 1) :] if per_meeting > 1 else []
        for position, case in enumerate(chosen, start=1):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    kind="review" if case.pk in seen else "new",
                    case=case,
                    notes="Fictional notes.",
                    minute=TEXT,
                )
            )
            seen.add(case.pk)
        items.append(
            AgendaItem(
                meeting=meeting,
                position=len(chosen) + 1,
                kind="other",
                title="Any other business",
                minute="None.",
            )
        )
    items = AgendaItem.objects.bulk_create(items, batch_size=5000)
    return meetings, items


@timed("actions and updates")
def make_actions(scale, items, involved, coordinator, spoc_of):
    from actions.models import Action, ActionUpdate

    case_items = [item for item in items if item.case_id]
    meeting_day = {item.meeting_id: item.meeting.started_at for item in case_items}
    n = SIZES["actions"] * scale
    finished = ("done", "done", "done", "not_done", "no_longer_needed")
    actions = []
    for j in range(n):
        item = case_items[j % len(case_items)]
        agreed = meeting_day[item.meeting_id]
        agencies = involved[item.case_id]
        actions.append(
            Action(
                case_id=item.case_id,
                description=f"Fictional action {j}: visit, share records, report back.",
                owner_agency_id=agencies[j % len(agencies)],
                owner_officer="A. Fictional officer",
                due_on=(agreed + timedelta(days=14 + j % 28)).date(),
                status=finished[j % len(finished)],
                agreed_at_meeting_id=item.meeting_id,
                created_by=coordinator,
                created_at=agreed,
                version=2,
            )
        )
    with dates_as_given(Action, ActionUpdate):
        actions = Action.objects.bulk_create(actions, batch_size=5000)
        m = SIZES["updates"] * scale
        updates = []
        for k in range(m):
            action = actions[k % len(actions)]
            last = k + len(actions) >= m  # the last update of each action says how it ended
            updates.append(
                ActionUpdate(
                    action=action,
                    status=action.status if last else "in_progress",
                    note="Fictional update: visited, records shared.",
                    written_by_id=spoc_of.get(action.owner_agency_id, coordinator.pk),
                    written_at=action.created_at + timedelta(days=3 + k // len(actions) * 7),
                )
            )
        ActionUpdate.objects.bulk_create(updates, batch_size=5000)
    return actions


def history_rows(model, ids_from, ids_to, copies, date_sql, was=None, by="NULL") -> int:
    """django-simple-history's rows for model's rows with ids_from <= id <= ids_to, copied from
    the rows themselves in SQL: one '+' (created) and copies - 1 '~' (changed), an hour apart.
    `was`: SQL for what a column held in the earlier copies (c, from 0, is the copy); `by`:
    SQL for who made each."""
    from django.db import connection

    historical = model.history.model
    was = was or {}
    columns = [
        f.column for f in historical._meta.concrete_fields if not f.name.startswith("history_")
    ]
    listed = ", ".join(f'"{c}"' for c in columns)
    chosen = ", ".join(was.get(c, f'"{c}"') for c in columns)
    sql = (
        f'INSERT INTO "{historical._meta.db_table}" ({listed}, history_date, history_type, '
        f"history_change_reason, history_user_id) "
        f"SELECT {chosen}, {date_sql} + (c || ' hours')::interval, "
        f"CASE WHEN c = 0 THEN '+' ELSE '~' END, NULL, {by} "
        f'FROM "{model._meta.db_table}", generate_series(0, %s) c WHERE id BETWEEN %s AND %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [copies - 1, ids_from, ids_to])
        return cursor.rowcount


# What the earlier copies of a row held: a referral drafted (0), sent (1), then decided; a case
# awaiting its first panel (0), then closed or not adopted; an action open (0), then finished.
REFERRAL_WAS = {
    "status": "CASE WHEN status = 'draft' OR c = 2 THEN status "
    "WHEN c = 0 THEN 'draft' ELSE 'submitted' END",
    "submitted_at": "CASE WHEN c = 0 THEN NULL ELSE submitted_at END",
    "screened_at": "CASE WHEN c < 2 THEN NULL ELSE screened_at END",
    "screened_by_id": "CASE WHEN c < 2 THEN NULL ELSE screened_by_id END",
    "decline_reason": "CASE WHEN c < 2 THEN '' ELSE decline_reason END",
    "signpost": "CASE WHEN c < 2 THEN '' ELSE signpost END",
    "more_information_question": "CASE WHEN c < 2 THEN '' ELSE more_information_question END",
    "person_id": "CASE WHEN c < 2 THEN NULL ELSE person_id END",
    "version": "c + 1",
}
CASE_WAS = {
    "status": "CASE WHEN c = 0 THEN 'awaiting_panel' ELSE status END",
    "closed_at": "CASE WHEN c = 0 THEN NULL ELSE closed_at END",
    "closure_agreed_on": "CASE WHEN c = 0 THEN NULL ELSE closure_agreed_on END",
    "outcome": "CASE WHEN c = 0 THEN '' ELSE outcome END",
    "outcome_detail": "CASE WHEN c = 0 THEN '' ELSE outcome_detail END",
    "step_down_agency_id": "CASE WHEN c = 0 THEN NULL ELSE step_down_agency_id END",
    "version": "c + 1",
}
ACTION_WAS = {"status": "CASE WHEN c = 0 THEN 'open' ELSE status END", "version": "c + 1"}


@timed("django-simple-history rows")
def make_history(referrals, cases, meetings, items, actions):
    from actions.models import Action
    from panel.models import AgendaItem, Case, PanelMeeting
    from referrals.models import Person, Referral

    def span(rows):
        return min(r.pk for r in rows), max(r.pk for r in rows)

    total = 0
    # A referral: drafted, sent, decided. A case: opened, closed. An action: agreed, finished.
    total += history_rows(
        Referral,
        *span(referrals),
        3,
        "created_at",
        REFERRAL_WAS,
        "CASE WHEN c < 2 THEN created_by_id ELSE COALESCE(screened_by_id, created_by_id) END",
    )
    total += history_rows(Person, *span([r for r in referrals if r.person_id] or referrals), 1,
                          "created_at")  # fmt: skip
    total += history_rows(Case, *span(cases), 2, "waiting_since", CASE_WAS)
    total += history_rows(PanelMeeting, *span(meetings), 1, "started_at")
    total += history_rows(AgendaItem, *span(items), 1, "now() - interval '1 year'")
    total += history_rows(Action, *span(actions), 2, "created_at", ACTION_WAS, "created_by_id")
    log(f"{total} history rows")
    return total


@contextmanager
def indexes_built_after(table: str):
    """For a bulk insert into table: its secondary indexes and foreign keys dropped before and
    made again after, each from its own definition as PostgreSQL gives it (pg_indexes,
    pg_get_constraintdef), so that they end exactly as the migrations made them. One sort an
    index and one join a key instead of a B-tree insert and a queued deferred check a row. The
    primary key stays (its ids come in order, at the index's right-hand end). Inside the caller's
    transaction: nobody sees the table without them."""
    from django.db import connection

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype IN ('p', 'u', 'x')) ORDER BY indexname",
            [table, table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        keys = cursor.fetchall()
        for name, _ in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("RESET maintenance_work_mem")
    log(
        f"  {table}: {len(indexes)} indexes and {len(keys)} foreign keys made again in "
        f"{time.monotonic() - started:.1f} s"
    )


@timed("read-audit rows")
def make_reads(scale, start, end, readers, referrals, cases) -> int:
    """RecordRead rows by INSERT … SELECT generate_series, a million a statement, into the
    table without its secondary indexes and foreign key, made again after."""
    from django.db import connection

    n = SIZES["reads"] * scale
    r_lo, r_hi = min(r.pk for r in referrals), max(r.pk for r in referrals)
    c_lo, c_hi = min(c.pk for c in cases), max(c.pk for c in cases)
    seconds = (end - start).total_seconds()
    sql = """
        INSERT INTO audit_recordread (reader_id, record_type, record_id, read_at, how, address,
                                      user_agent)
        SELECT (%(readers)s::bigint[])[1 + g %% %(n_readers)s],
               CASE WHEN g %% 3 = 0 THEN 'referrals.referral' ELSE 'panel.case' END,
               CASE WHEN g %% 3 = 0 THEN %(r_lo)s + (g::bigint * 7919) %% (%(r_hi)s - %(r_lo)s + 1)
                    ELSE %(c_lo)s + (g::bigint * 7919) %% (%(c_hi)s - %(c_lo)s + 1) END,
               %(start)s + make_interval(secs => g * %(step)s),
               CASE WHEN g %% 10 = 0 THEN 'list' ELSE 'page' END,
               '127.0.0.1', 'Mozilla/5.0 (fictional benchmark reader)'
        FROM generate_series(%(lo)s, %(hi)s) g
    """
    chunk = 1_000_000
    with indexes_built_after("audit_recordread"), connection.cursor() as cursor:
        for lo in range(0, n, chunk):
            cursor.execute(
                sql,
                {
                    "readers": readers,
                    "n_readers": len(readers),
                    "r_lo": r_lo,
                    "r_hi": r_hi,
                    "c_lo": c_lo,
                    "c_hi": c_hi,
                    "start": start,
                    "step": seconds / n,
                    "lo": lo,
                    "hi": min(lo + chunk, n) - 1,
                },
            )
            log(f"  {min(lo + chunk, n):,} of {n:,} reads")
    return n


def targets(accounts) -> dict:
    """What the load test visits, by id: the bench needs no parsing of pages to find them."""
    from django.db.models import Count, F
    from django.utils import timezone

    from accounts.models import Agency
    from actions.models import Action
    from dashboard import rules as dashboard_rules
    from panel.models import AgencyReturn, Case, PanelMeeting
    from referrals.models import Referral

    today = timezone.localdate()
    open_actions = {}
    for agency_id, pk in Action.objects.open().values_list("owner_agency_id", "pk"):
        open_actions.setdefault(str(agency_id), []).append(pk)
    cases_by_agency = {}
    for case in Case.objects.filter(closed_at__isnull=True).prefetch_related("involved_agencies"):
        for agency in case.involved_agencies.all():
            cases_by_agency.setdefault(str(agency.pk), []).append(case.pk)
    meeting = (
        PanelMeeting.objects.annotate(n=Count("items")).order_by("-n", "-date").values("pk", "n")
    ).first()
    returns_by_agency = {}
    # Returns an agency still sees: of an open case it is involved in (one that left the case,
    # or whose handover period after its closure ended, is told 404, as it should be).
    seen_returns = AgencyReturn.objects.filter(
        case__closed_at__isnull=True, case__involved_agencies=F("agency")
    ).order_by("-due_on")
    for agency_id, pk in seen_returns.values_list("agency_id", "pk")[:200]:
        returns_by_agency.setdefault(str(agency_id), []).append(pk)
    referrals_by_referrer = {}
    for created_by, pk in Referral.objects.values_list("created_by_id", "pk"):
        referrals_by_referrer.setdefault(str(created_by), []).append(pk)
    return {
        "password": BENCH_PASSWORD,
        "accounts": accounts,
        "screening": list(Referral.objects.screening_queue().values_list("pk", flat=True)[:50]),
        "cases": list(Case.objects.values_list("pk", flat=True)),
        "returns_by_agency": returns_by_agency,
        "cases_by_agency": cases_by_agency,
        "open_actions_by_agency": open_actions,
        "meeting": meeting,
        "referrals_by_referrer": referrals_by_referrer,
        "draft_sections": ["person", "needs", "risk"],
        "quarter": dashboard_rules.quarter_slug(dashboard_rules.recent_quarters(today, 2)[-1]),
        "agencies": list(Agency.objects.values_list("pk", flat=True)),
    }


def sizes_now() -> dict:
    from actions.models import Action, ActionUpdate
    from audit.models import RecordRead
    from panel.models import AgendaItem, Case, PanelMeeting
    from referrals.models import Referral

    return {
        "referrals": Referral.objects.count(),
        "cases": Case.objects.count(),
        "closed_cases": Case.objects.filter(status="closed").count(),
        "meetings": PanelMeeting.objects.count(),
        "agenda_items": AgendaItem.objects.count(),
        "actions": Action.objects.count(),
        "updates": ActionUpdate.objects.count(),
        "reads": RecordRead.objects.count(),
        "referral_history": Referral.history.count(),
    }


def generate(scale: int) -> dict:
    from django.db import connection, transaction
    from django.db.models import Min

    from accounts.models import Agency, User
    from panel.models import PanelMeeting
    from referrals.models import Referral

    if not User.objects.filter(username="coordinator").exists():
        sys.exit("Seed the demo first: manage.py seed_demo")
    started = time.monotonic()
    accounts = make_accounts()
    if Referral.objects.filter(family_name__in=FAMILY).exists():
        log("the history is there already: only the accounts and targets are written")
    else:
        # The ten years before the demo's story: its first referral, or first meeting.
        first_referral = Referral.objects.aggregate(m=Min("created_at"))["m"]
        first_meeting = PanelMeeting.objects.aggregate(m=Min("started_at"))["m"]
        end = min(d for d in (first_referral, first_meeting) if d) - timedelta(days=30)
        first_day = PanelMeeting.objects.aggregate(m=Min("date"))["m"]
        if first_day is not None:
            end = min(end, datetime.combine(first_day, datetime.min.time(), end.tzinfo))
        end -= timedelta(days=1)
        start = end - timedelta(days=365 * YEARS + YEARS // 4)
        agencies = list(Agency.objects.order_by("pk"))
        referrers = list(User.objects.filter(role="referrer").order_by("pk"))
        coordinator = User.objects.get(username="coordinator")
        chair = User.objects.get(username="chair")
        spoc_of = {a.pk: a.spoc_id for a in agencies if a.spoc_id}
        with transaction.atomic():
            referrals, cases, involved = make_referrals_and_cases(
                scale, start, end, agencies, referrers, coordinator
            )
            meetings, items = make_meetings(scale, start, end, cases, chair)
            actions = make_actions(scale, items, involved, coordinator, spoc_of)
            make_history(referrals, cases, meetings, items, actions)
            readers = list(User.objects.values_list("pk", flat=True))
            make_reads(scale, start, end, readers, referrals, cases)
            committing = time.monotonic()
        log(f"commit: {time.monotonic() - committing:.1f} s")
        analysing = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"ANALYZE: {time.monotonic() - analysing:.1f} s")
    world = targets(accounts)
    world["sizes"] = sizes_now()
    world["scale"] = scale
    world["generated_in_seconds"] = round(time.monotonic() - started, 1)
    WORLD.parent.mkdir(parents=True, exist_ok=True)
    WORLD.write_text(json.dumps(world, indent=1, default=str))
    log(f"generated in {world['generated_in_seconds']} s: {world['sizes']}")
    return world


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", "1")))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caspa.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    generate(args.scale)


if __name__ == "__main__":
    main()
