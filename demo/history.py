"""The demo's story: more than two years of the pathway, played through the real services.

The story is planned first, as plain data (`plan_story`): who is referred when, by whom,
what screening decides, which panel first hears each case, how long it stays and how it
ends. Then it is played in time order (`play`) through the same services the app uses, on a
demo clock: while the story plays, `django.utils.timezone.now` answers with the story's
time, so every timestamp the services, `auto_now_add` fields and simple-history write
(`submitted_at`, `joined_caseload_at`, `CaseEvent.happened_at`, `history_date`, …) is the
moment it happened in the story, and every rule that reads "today" (an action's due date
may not be in the past) reads the story's today. Nothing is backdated afterwards.

Dates are relative to the day the demo is seeded. The panel meets on the second Tuesday of
each month; meeting 0 is the latest one before today, meeting -1 the one before, and so on.
The plan plays the cap of 15 in meeting-by-meeting steps exactly as panel.services does
(first come, first served), and keeps a referral only if the story stays right:

- nobody waits for a place in the past, so a case's first panel is 1 to 6 weeks after its
  referral;
- every past case has left by the latest meeting: closed with an outcome after 2 to 10
  months, or not adopted at its first panel;
- today the pathway holds exactly 15: 6 cases open more than 6 months (each with an open
  action, a named lead officer, a risk assessment agreed at the latest panel, at least two
  agencies, and 4 of the 6 an MDT meeting in the last 8 weeks), 4 open 3 to 6 months and
  5 newer; and 2 accepted referrals wait for a place.
"""

import heapq
import random
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count
from unittest import mock

from django.utils import timezone

from actions.models import OPEN_STATUSES, Action
from actions.services import action_agree, action_update
from demo import panel as words
from demo.referrals import (
    AGENCIES_FOR_NEED,
    BASE,
    DECLINES,
    PEOPLE,
    PRIMARY_NEEDS,
    QUESTIONS,
    REFERRERS,
    answers_for,
    deck,
    fictional_people,
    named_answers,
)
from panel import meetings as meeting_services
from panel import rules as panel_rules
from panel import services as panel_services
from panel.models import AgendaKind, Case, CaseStatus, Outcome, PanelMeeting, RiskLevel
from referrals import services as referral_services
from referrals.models import Referral

CAP = panel_rules.CAP
FIRST = -27  # the story's first panel meeting, in months before the latest
SEED = 2020  # the same story every time, give or take the calendar

# What part a referral plays at the end of the story.
PAST = ""  # left the pathway before today (or was never accepted)
LONG = "long"  # open more than 6 months
MID = "mid"  # open 3 to 6 months
RECENT = "recent"  # open less than 3 months
WAITING = "waiting"  # accepted, waiting for a place

# The cases open today, by the meeting whose agenda they joined: (meeting, part).
OPEN_TODAY = [
    (-11, LONG),
    (-9, LONG),
    (-8, LONG),
    (-8, LONG),
    (-7, LONG),
    (-7, LONG),
    (-4, MID),
    (-4, MID),
    (-3, MID),
    (-3, MID),
    (-1, RECENT),
    (-1, RECENT),
    (-1, RECENT),
    (0, RECENT),
    (0, RECENT),
    (0, WAITING),
    (0, WAITING),
]
# Months on the pathway before a past case closes, weighted. In the story's second year the
# long-running cases hold six of the fifteen places, and the panel steps cases down sooner.
MONTHS_OPEN = {2: 30, 3: 26, 4: 14, 5: 9, 6: 7, 7: 5, 8: 4, 9: 3, 10: 2}
LONG_STAYS = 8  # past cases that stayed six months or more
MONTHS_OPEN_LATELY = {2: 45, 3: 30, 4: 15, 5: 6, 6: 4}


# --- the clock ---------------------------------------------------------------------------------


class DemoClock:
    """Stands in for timezone.now while the story plays. Each reading is a second after the
    last, so that what one service call writes keeps its order."""

    def __init__(self):
        self.at = None

    def set(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


@contextmanager
def demo_clock():
    clock = DemoClock()
    with mock.patch.object(timezone, "now", clock.now):
        yield clock


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def weekday(day: date) -> date:
    """The day, or the Friday before when it falls at a weekend."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def second_tuesday(day: date) -> date:
    return panel_rules.nth_weekday_of_month(day.year, day.month, 1, 2)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def meeting_dates(today: date) -> dict[int, date]:
    """Panel meetings by index: 0 the latest before today, 1 the next, negative the past."""
    latest = second_tuesday(today)
    if latest >= today:
        latest = second_tuesday(add_months(today, -1))
    return {m: second_tuesday(add_months(latest, m)) for m in range(FIRST - 1, 2)}


# --- the plan ----------------------------------------------------------------------------------


@dataclass
class Referred:
    """One referral of the story, and (if accepted) its case."""

    n: int
    referrer: str
    need: str
    submitted: datetime
    state: str  # the referral's status at the end: accepted, declined, …
    screened: datetime | None = None
    asked: datetime | None = None  # more information asked for (answered if screened)
    resubmitted: datetime | None = None
    meeting: int | None = None  # accepted: the panel it was accepted for
    part: str = PAST
    adopt: bool = True
    months: int = 0  # how long a past case stays
    person: object = None
    named: tuple | None = None
    # Worked out by the plan's play of the cap:
    first_panel: int | None = None
    closes_at: int | None = None
    outcome: str = ""
    # Filled in while the story plays:
    referral_id: int | None = None
    case_id: int | None = None
    lead: str = ""
    actions: set = field(default_factory=set)  # what its agencies have been asked to do


@dataclass
class Story:
    today: date
    meetings: dict[int, date]
    referred: list[Referred]
    mdts: list[tuple[datetime, int]] = field(default_factory=list)  # (when, referred n)


def _moment(rng: random.Random, first: date, last: date) -> datetime:
    """A weekday working-hours moment between two days (inclusive)."""
    day = weekday(first + timedelta(days=rng.randint(0, max((last - first).days, 0))))
    if day < first:
        day = first
    return at(day, rng.randint(9, 16), rng.choice((0, 10, 20, 30, 40, 50)))


def _referrals_in_window(m: int) -> float:
    """How many referrals the panel receives in the month before meeting m: steady in the
    story's first year, rising through the second (more partners know the pathway)."""
    if m <= -12:
        return 5.0
    return 5.2 + 2.3 * (m + 12) / 12


@dataclass
class _Path:
    joined: int | None = None  # the meeting before whose agenda it got a place
    first_panel: int | None = None
    left: int | None = None


def play_the_cap(accepted: list[Referred]) -> tuple[dict[int, _Path], list, list]:
    """The cap, meeting by meeting, as panel.services applies it: a referral accepted while
    the pathway holds 15 waits; a closure or a case not adopted gives its place to the first
    waiting, whose first panel is then the next meeting. Returns each case's path, and who
    is on the caseload and waiting at the end."""
    by_window = {}
    for r in sorted(accepted, key=lambda r: r.screened):
        by_window.setdefault(r.meeting, []).append(r)
    on, waiting, paths = [], deque(), {}
    for m in range(FIRST, 1):
        for r in by_window.get(m, []):
            paths[r.n] = _Path()
            if len(on) < CAP:
                on.append(r)
                paths[r.n] = _Path(joined=m, first_panel=m)
            else:
                waiting.append(r)
        for r in list(on):
            path = paths[r.n]
            if path.first_panel == m:
                if r.part != PAST:
                    r.closes_at = None
                elif not r.adopt:
                    r.closes_at = m  # not adopted
                else:
                    # Open at least 2 months, and closed by the latest meeting.
                    r.closes_at = min(m + r.months, 0) if m + 2 <= 0 else None
            if r.closes_at == m:
                on.remove(r)
                path.left = m
        while waiting and len(on) < CAP:
            r = waiting.popleft()
            on.append(r)
            paths[r.n].joined, paths[r.n].first_panel = m, m + 1
    return paths, on, list(waiting)


def _story_holds(accepted: list[Referred]) -> bool:
    paths, on, waiting = play_the_cap(accepted)
    for r in accepted:
        path = paths[r.n]
        if r.meeting < 0 and path.first_panel != r.meeting:
            return False  # someone waited for a place in the past
        if r.part == PAST and path.left is None:
            return False  # a past case still open today, or adopted too late to close
    return [r.part for r in waiting] == [WAITING, WAITING] and len(on) == CAP


def plan_story(today: date, seed: int = SEED) -> Story:
    rng = random.Random(seed)
    meetings = meeting_dates(today)
    referred: list[Referred] = []
    numbers = words.test_range_nhs_numbers()
    people = iter(fictional_people(260, rng, numbers, today))
    referrers = iter(deck(REFERRERS, 260, rng))
    needs = iter(deck(PRIMARY_NEEDS, 260, rng))
    months_open = iter(deck(MONTHS_OPEN, 260, rng))
    months_open_lately = iter(deck(MONTHS_OPEN_LATELY, 260, rng))
    named = {entry[1]: entry for entry in PEOPLE}

    def new(**kwargs) -> Referred:
        r = Referred(
            n=len(referred),
            referrer=kwargs.pop("referrer", None) or next(referrers),
            need=next(needs),
            person=next(people),
            **kwargs,
        )
        referred.append(r)
        return r

    open_by_window = {}
    for m, part in OPEN_TODAY:
        open_by_window.setdefault(m, []).append(part)

    for m in range(FIRST, 1):
        months = months_open if m < -12 else months_open_lately
        _plan_window(m, meetings, open_by_window.get(m, []), named, rng, new, months)

    # Keep each past acceptance only if the story still holds with it, first with the
    # shortest stay (two months); otherwise screening declined it, with a better route. Then
    # give the kept cases their planned stays where the places allow.
    kept = [r for r in referred if r.state == "accepted" and r.part != PAST]
    past = sorted(
        (r for r in referred if r.state == "accepted" and r.part == PAST),
        key=lambda r: r.screened,
    )
    planned = {r.n: r.months for r in past}
    long_stays = count()
    for r in past:
        # Places are short: most stays are planned short, then lengthened below where the
        # places allow; a few of the first year's cases stay six months or more.
        tries = (min(r.months, 3), 2) if r.meeting < -12 else (2,)
        if r.meeting < -12 and r.months >= 6 and next(long_stays) < LONG_STAYS:
            tries = (r.months, *tries)
        for months in dict.fromkeys(tries):
            r.months = months
            if _story_holds([*kept, r]):
                kept.append(r)
                break
        else:
            r.state, r.meeting, r.asked, r.resubmitted = "declined", None, None, None
    for r in past:
        if r.state != "accepted":
            continue
        for months in range(planned[r.n], 2, -1):
            r.months = months
            if _story_holds(kept):
                break
        else:
            r.months = 2
    paths, _on, _waiting = play_the_cap(kept)
    assert _story_holds(kept)
    outcomes = iter(deck(words.OUTCOMES, len(kept), rng))
    for r in kept:
        r.first_panel = paths[r.n].first_panel
        if r.part == PAST and r.closes_at != r.first_panel:
            r.outcome = next(outcomes)

    _plan_the_last_weeks(today, meetings, referred, named, rng, new)
    story = Story(today, meetings, referred)
    _plan_mdts(story, rng)
    return story


def _plan_window(m, meetings, parts, named, rng, new, months_open) -> None:
    """The referrals of the month before meeting m: those still open today (`parts`), then
    the rest, spread evenly over the month so that each calendar month gets its share."""
    start, agenda = meetings[m - 1] + timedelta(days=1), meetings[m] - timedelta(days=8)
    total = max(round(_referrals_in_window(m)) + rng.choice((-1, 0, 0, 1)), len(parts))
    first, last = at(meetings[m - 1] - timedelta(days=3), 9), at(agenda - timedelta(days=3), 17)
    step = (last - first) / total
    slots = [first + step * (i + rng.random()) for i in range(total)]
    kinds = [None] * (total - len(parts))
    for part in parts:  # those still open today take slots spread over the month too
        kinds.insert(rng.randint(0, len(kinds)), part)
    names = {0: {RECENT: "Example", WAITING: "Specimen"}, -1: {RECENT: "Sample"}}.get(m, {})
    late = count(1)
    for slot, part in zip(slots, kinds, strict=True):
        submitted = at(weekday(slot.date()), slot.hour if 9 <= slot.hour < 17 else 11, 0)
        submitted += timedelta(minutes=rng.choice((5, 15, 25, 35, 45)))
        screened = at(
            min(max(weekday(submitted.date() + timedelta(days=rng.randint(1, 5))), start), agenda),
            rng.randint(9, 16),
            rng.choice((0, 20, 40)),
        )
        screened = max(screened, submitted + timedelta(hours=3))
        if part is not None:
            entry = named.get(names.pop(part, None))
            r = new(
                submitted=submitted,
                state="accepted",
                screened=screened,
                meeting=m,
                part=part,
                referrer=entry[5] if entry else None,
                named=entry,
            )
            if entry:
                r.need = entry[6].get("primary_need", BASE["primary_need"])
            if part == MID:  # late in the month: open less than 6 months today
                r.screened = max(r.screened, at(weekday(meetings[m] - timedelta(days=20)), 11))
            if part == WAITING:  # the last accepted: the pathway is full by then
                r.screened = at(agenda, 17, 10 * next(late))
            continue
        draw = rng.random()
        if draw < 0.78:
            r = new(
                submitted=submitted,
                state="accepted",
                screened=screened,
                meeting=m,
                adopt=rng.random() > 0.12,
                months=next(months_open),
            )
            if draw >= 0.74:  # asked for more information first
                r.asked = submitted + timedelta(days=1)
                r.resubmitted = r.asked + timedelta(days=2)
                r.screened = max(r.screened, r.resubmitted + timedelta(days=1), at(start, 10))
                if r.screened.date() > agenda:
                    r.state, r.meeting = "declined", None
        else:
            r = new(submitted=submitted, state="declined", screened=screened)
            if draw < 0.81:  # asked, never answered
                r.state, r.asked, r.screened = "more_information", screened, None
            elif draw < 0.84:  # asked, answered, then declined
                r.asked = screened
                r.resubmitted = r.asked + timedelta(days=rng.randint(2, 6))
                r.screened = r.resubmitted + timedelta(days=1)


def _plan_the_last_weeks(today, meetings, referred, named, rng, new) -> None:
    """Referrals since the latest meeting, and the present-day story's named people."""
    yesterday = today - timedelta(days=1)
    latest = meetings[0]
    if (yesterday - latest).days >= 3:
        for _ in range(max((yesterday - latest).days // 7, 1)):
            submitted = _moment(rng, latest + timedelta(days=1), yesterday - timedelta(days=2))
            r = new(submitted=submitted, state="declined")
            r.screened = min(submitted + timedelta(days=1), at(yesterday, 16))

    def days_ago(n: int, hour: int) -> datetime:
        return at(weekday(today - timedelta(days=n)), hour)

    for family, state, submitted, screened in (
        ("Madeup", "submitted", days_ago(11, 10), None),
        ("Exampel", "submitted", days_ago(4, 14), None),
        ("Placeholder", "more_information", days_ago(20, 11), days_ago(17, 15)),
        ("Fictitious", "declined", days_ago(26, 10), days_ago(23, 12)),
        ("Notreal", "draft", days_ago(2, 16), None),
    ):
        entry = named[family]
        r = new(submitted=submitted, state=state, referrer=entry[5], named=entry)
        r.need = entry[6].get("primary_need", BASE["primary_need"])
        if state == "more_information":
            r.asked = screened
        else:
            r.screened = screened


def _plan_mdts(story: Story, rng: random.Random) -> None:
    """MDT meetings between panels: for some past cases, and for the long-running cases."""
    meetings = story.meetings
    for r in story.referred:
        if r.state != "accepted" or r.first_panel is None:
            continue
        long_enough = r.part == PAST and r.outcome and r.closes_at - r.first_panel >= 3
        if long_enough and rng.random() < 0.4:
            m = rng.randint(r.first_panel, r.closes_at - 1)
            when = _moment(rng, meetings[m] + timedelta(days=7), meetings[m + 1] - timedelta(3))
            story.mdts.append((at(when.date(), 14), r.n))
    long_running = [r for r in story.referred if r.part == LONG]
    yesterday = story.today - timedelta(days=1)
    for i, r in enumerate(long_running):
        if i < 4:  # four of the six: an MDT in the last 8 weeks
            day = weekday(yesterday - timedelta(days=3 + 11 * i))
            story.mdts.append((at(day, 14), r.n))
        if i in (1, 3, 4):  # and earlier ones, one of them the only MDT its case has had
            m = r.first_panel + 2
            story.mdts.append((at(weekday(story.meetings[m] + timedelta(days=9)), 14), r.n))
    mid = [r for r in story.referred if r.part == MID]
    if mid:
        day = weekday(yesterday - timedelta(days=20))
        story.mdts.append((at(day, 14), mid[0].n))


# --- playing the story -------------------------------------------------------------------------


class Player:
    """Plays a Story through the services, one event at a time in time order."""

    def __init__(self, story: Story, users: dict, coordinator, chair, clock: DemoClock):
        from accounts.models import Agency

        self.story = story
        self.users = users
        self.coordinator = coordinator
        self.chair = chair
        self.clock = clock
        self.rng = random.Random(SEED + 1)
        self.agencies = {agency.short_name: agency for agency in Agency.objects.all()}
        self.queue: list = []
        self.order = count()
        self.by_case: dict[int, Referred] = {}
        self.meeting_ids = {}
        self.officers = count(3)
        self.today_starts = at(story.today, 0)
        self.slipped = deque((25, 9, 2))  # overdue by: the action log's story today

    def schedule(self, when: datetime, handler, *args) -> None:
        if when < self.today_starts:
            heapq.heappush(self.queue, (when, next(self.order), handler, args))

    def play(self) -> None:
        story = self.story
        first_day = story.meetings[FIRST - 1]
        self.clock.set(at(first_day - timedelta(days=7), 9))
        self.plan_meetings()
        for r in story.referred:
            self.schedule(r.submitted, self.submit, r)
            if r.asked:
                self.schedule(r.asked, self.ask, r)
            if r.resubmitted:
                self.schedule(r.resubmitted, self.resubmit, r)
            if r.screened and r.state in ("accepted", "declined"):
                self.schedule(r.screened, self.screen, r)
        for m, day in story.meetings.items():
            if FIRST <= m <= 0:
                self.schedule(at(day - timedelta(days=7), 16), self.build_agenda, m)
                self.schedule(at(day, 10), self.hold_meeting, m)
                if m < 0:
                    approved = weekday(day + timedelta(days=self.rng.randint(2, 6)))
                    self.schedule(at(approved, 11), self.approve_minutes, m)
        for when, n in story.mdts:
            self.schedule(when, self.hold_mdt, story.referred[n])
        # After the latest meeting the coordinator plans the dates ahead.
        self.schedule(at(story.meetings[0], 15), self.plan_the_coming_year)
        while self.queue:
            when, _n, handler, args = heapq.heappop(self.queue)
            self.clock.set(when)
            handler(*args)

    # --- meetings' dates ---

    def plan_meetings(self) -> None:
        for m, day in self.story.meetings.items():
            if FIRST <= m <= 0:
                meeting, _ = PanelMeeting.objects.get_or_create(date=day)
                self.meeting_ids[m] = meeting.pk

    def plan_the_coming_year(self) -> None:
        for year in (self.story.today.year, self.story.today.year + 1):
            meeting_services.meetings_schedule_year(
                year=year, weekday=1, nth=2, by=self.coordinator
            )

    # --- referrals ---

    def involved(self, r: Referred) -> list:
        referrer = self.users[r.referrer]
        names = [referrer.agency.short_name, "ASC", *AGENCIES_FOR_NEED[r.need][:2]]
        if r.n % 3 == 0:
            names = names[:3]
        return [self.agencies[name] for name in dict.fromkeys(names)]

    def answers(self, r: Referred) -> dict:
        agencies = self.involved(r)
        if r.named:
            given, family, born, nhs, _state, _username, changes = r.named
            answers = named_answers(given, family, born, nhs, changes, agencies)
            r.need = answers["primary_need"]
            return answers
        return answers_for(r.person, need=r.need, agencies=agencies, rng=self.rng)

    def submit(self, r: Referred) -> None:
        referrer = self.users[r.referrer]
        self.clock.set(r.submitted - timedelta(hours=self.rng.choice((2, 5, 20, 26))))
        referral = referral_services.referral_start(by=referrer)
        answers = self.answers(r)
        if r.state == "draft":
            answers = {k: answers[k] for k in ("given_names", "family_name", "date_of_birth")}
        referral = referral_services.referral_save_answers(
            referral_id=referral.pk, by=referrer, version=referral.version, answers=answers
        )
        r.referral_id = referral.pk
        if r.state == "draft":
            return
        self.clock.set(r.submitted)
        referral_services.referral_submit(
            referral_id=referral.pk, by=referrer, version=referral.version
        )

    def referral(self, r: Referred) -> Referral:
        return Referral.objects.get(pk=r.referral_id)

    def ask(self, r: Referred) -> None:
        referral_services.referral_ask_for_information(
            referral_id=r.referral_id,
            by=self.coordinator,
            version=self.referral(r).version,
            question=QUESTIONS[r.n % len(QUESTIONS)],
        )

    def resubmit(self, r: Referred) -> None:
        referrer = self.users[r.referrer]
        referral = self.referral(r)
        referral = referral_services.referral_save_answers(
            referral_id=referral.pk,
            by=referrer,
            version=referral.version,
            answers={"tried_so_far": referral.tried_so_far + " GP told; carer's assessment asked."},
        )
        referral_services.referral_submit(
            referral_id=referral.pk, by=referrer, version=referral.version
        )

    def screen(self, r: Referred) -> None:
        referral = self.referral(r)
        common = {"referral_id": referral.pk, "by": self.coordinator}
        if r.state == "declined":
            signpost, reason = DECLINES[r.n % len(DECLINES)]
            referral_services.referral_decline(
                **common, version=referral.version, reason=reason, signpost=signpost
            )
            return
        referral = referral_services.referral_link_person(
            **common, version=referral.version, person_id=None
        )
        _referral, placement = referral_services.referral_accept(**common, version=referral.version)
        r.case_id = placement.case.pk
        self.by_case[r.case_id] = r

    # --- panel meetings ---

    def build_agenda(self, m: int) -> None:
        meeting_services.agenda_build(meeting_id=self.meeting_ids[m], by=self.coordinator)

    def approve_minutes(self, m: int) -> None:
        meeting_services.minutes_approve(meeting_id=self.meeting_ids[m], by=self.chair)

    def hold_meeting(self, m: int) -> None:
        meeting = PanelMeeting.objects.get(pk=self.meeting_ids[m])
        self.attend(meeting)
        for item in meeting.items.order_by("position"):
            r = self.by_case[item.case_id]
            case = Case.objects.get(pk=item.case_id)
            if item.kind == AgendaKind.NEW:
                minute = self.first_panel(case, r, meeting, m)
            else:
                minute = self.review(case, r, meeting, m)
            meeting_services.agenda_item_record(
                item_id=item.pk, by=self.coordinator, version=item.version, minute=minute
            )

    def attend(self, meeting) -> None:
        present = ["coordinator", "chair", "spoc.housing", "spoc.police", "spoc.elft", "spoc.cgl"]
        present += ["member.fire", "member.probation"]
        absent = self.rng.choice(present[2:])
        for username in present:
            if username == absent:
                continue
            user = self.users[username]
            meeting_services.attendance_record(
                meeting_id=meeting.pk,
                by=self.coordinator,
                agency=user.agency,
                attendee=f"{user}, {user.job_title.removesuffix(' (demo)')}",
                agreed_to_confidentiality=True,
            )

    def first_panel(self, case: Case, r: Referred, meeting, m: int) -> str:
        by = self.coordinator
        if r.closes_at == m:
            signpost, reason = words.NOT_ADOPTED[r.n % len(words.NOT_ADOPTED)]
            panel_services.case_not_adopt(
                case_id=case.pk,
                by=by,
                version=case.version,
                meeting=meeting,
                reason=reason,
                signpost=signpost,
            )
            return f"Not adopted. {reason}"
        case = panel_services.case_adopt(
            case_id=case.pk, by=by, version=case.version, meeting=meeting
        )
        involved = {a.short_name: a for a in case.involved_agencies.all()}
        lead = next((n for n in AGENCIES_FOR_NEED[r.need] if n in involved), None)
        lead = lead or case.referral.referring_agency.short_name
        officer = words.officer(lead, next(self.officers))
        case = panel_services.case_appoint_lead(
            case_id=case.pk,
            by=by,
            version=case.version,
            agency=involved[lead],
            officer=officer,
            reason=words.LEAD_REASONS[r.n % len(words.LEAD_REASONS)],
        )
        r.lead = lead
        if r.n % 4 == 0:  # the panel brings in another agency
            extra = next(a for a in ("Fire", "DWP", "Connex", "Police") if a not in involved)
            case = panel_services.case_set_agencies(
                case_id=case.pk,
                by=by,
                version=case.version,
                agencies=[*involved.values(), self.agencies[extra]],
            )
        level = RiskLevel.CRITICAL if r.n % 5 else RiskLevel.HIGH
        case = panel_services.case_set_risk(
            case_id=case.pk, by=by, version=case.version, risk_level=level
        )
        self.agree(case, r, meeting, m, words.JOINT_VISIT, lead)
        owner = self.rng.choice([a for a in involved if a != lead] or [lead])
        self.agree(case, r, meeting, m, self.action_for(r, owner), owner)
        risk = f"Risk {level.label.lower()}; a joint visit and a first action agreed."
        referrer = case.referral.referring_agency.name
        return words.MINUTES_NEW.format(
            referrer=referrer, lead=involved[lead].name, officer=officer, risk=risk
        )

    def review(self, case: Case, r: Referred, meeting, m: int) -> str:
        by = self.coordinator
        if r.closes_at == m:
            return self.close(case, r, meeting)
        if r.part == PAST:
            share = (m - r.first_panel) / max(r.closes_at - r.first_panel, 1)
            level = (
                RiskLevel.CRITICAL
                if share < 0.34
                else RiskLevel.HIGH
                if share < 0.7
                else RiskLevel.REDUCING
            )
        else:  # still open today: the risk has not come down far enough
            level = RiskLevel.CRITICAL if (m + r.n) % 3 == 0 else RiskLevel.HIGH
        involved = {a.short_name: a for a in case.involved_agencies.all()}
        if m == r.first_panel + 1 and r.n % 7 == 3:  # who leads is what the panel settles
            new_lead = next((a for a in involved if a not in (r.lead, "ASC")), None)
            if new_lead:
                case = panel_services.case_appoint_lead(
                    case_id=case.pk,
                    by=by,
                    version=case.version,
                    agency=involved[new_lead],
                    officer=words.officer(new_lead, next(self.officers)),
                    reason=words.LEAD_CHANGES[r.n % len(words.LEAD_CHANGES)],
                )
                r.lead = new_lead
        case = panel_services.case_set_risk(
            case_id=case.pk, by=by, version=case.version, risk_level=level
        )
        if m == 0 and r.part != PAST:
            # The plan for the coming month, to be looked at again at the next panel.
            self.agree(case, r, meeting, m, words.REVIEW_THE_PLAN, r.lead, keep_open=True)
        elif m == -1 and r.part == LONG and self.slipped:
            owner = self.rng.choice(list(involved))
            self.agree(case, r, meeting, m, self.action_for(r, owner), owner, True)
        elif self.rng.random() < 0.5:
            owner = self.rng.choice(list(involved))
            self.agree(case, r, meeting, m, self.action_for(r, owner), owner)
        other = next((a for a in involved if a != r.lead), r.lead)
        texts = words.MINUTES_REVIEW[level]
        return texts[(m + r.n) % len(texts)].format(lead=involved[r.lead].name, other=other)

    def close(self, case: Case, r: Referred, meeting) -> str:
        by = self.coordinator
        for action in case.actions.filter(status__in=OPEN_STATUSES):
            done = action.due_on <= meeting.date
            action_update(
                action_id=action.pk,
                by=by,
                version=action.version,
                status="done" if done else "no_longer_needed",
                note="" if done else "The panel closed the case; the step-down plan covers it.",
            )
        if r.outcome == Outcome.STEPPED_DOWN:
            case = panel_services.case_set_risk(
                case_id=case.pk, by=by, version=case.version, risk_level=RiskLevel.REDUCING
            )
        step_down = self.agencies[r.lead] if r.outcome == Outcome.STEPPED_DOWN else None
        panel_services.case_close(
            case_id=case.pk,
            by=by,
            version=case.version,
            outcome=r.outcome,
            outcome_detail=words.OUTCOME_DETAIL[r.outcome],
            step_down_agency=step_down,
            agreed_on=meeting.date,
        )
        taken_on = f" to {step_down.name}" if step_down else ""
        return f"Closed: {Outcome(r.outcome).label}{taken_on}."

    # --- actions ---

    def action_for(self, r: Referred, owner: str) -> str:
        """What the owner is asked to do: something not yet asked of it on this case."""
        choices = [d for d in words.ACTIONS[owner] if d not in r.actions] or words.ACTIONS[owner]
        description = self.rng.choice(choices)
        r.actions.add(description)
        return description

    def agree(self, case, r, meeting, m, description, owner, keep_open=False, mdt=None):
        today = timezone.localdate()
        if keep_open and m == -1:
            due = self.story.today - timedelta(days=self.slipped.popleft())
        elif keep_open:
            due = self.story.meetings[1]
        else:
            due = today + timedelta(days=self.rng.choice((14, 21, 21, 28, 28, 35)))
        action = action_agree(
            case=case,
            by=self.coordinator,
            meeting=meeting,
            mdt=mdt,
            owner_agency=self.agencies[owner],
            description=description,
            due_on=due,
        )
        if not keep_open:
            self.plan_updates(action, today, due)

    def plan_updates(self, action: Action, today: date, due: date) -> None:
        """Most actions done on time, some late, a few not done or no longer needed. An update
        that would fall today or later has not happened yet: the action is still open."""
        draw = self.rng.random()
        span = max((due - today).days, 2)
        if draw < 0.3:
            self.schedule_update(action, today + timedelta(days=span // 3), "in_progress")
        if draw < 0.7:
            done = today + timedelta(days=self.rng.randint(span // 2, span))
            self.schedule_update(action, done, "done")
        elif draw < 0.88:
            self.schedule_update(action, due + timedelta(days=self.rng.randint(3, 24)), "done")
        elif draw < 0.94:
            note = "The person refused the visit twice; the lead officer will try again."
            self.schedule_update(action, due + timedelta(days=2), "not_done", note)
        else:
            note = "Overtaken by events: the person moved to supported housing."
            self.schedule_update(
                action, today + timedelta(days=span // 2), "no_longer_needed", note
            )

    def schedule_update(self, action, day: date, status: str, note: str = "") -> None:
        self.schedule(at(weekday(day), 15, 30), self.update_action, action.pk, status, note)

    def update_action(self, action_id: int, status: str, note: str) -> None:
        action = Action.objects.select_related("owner_agency__spoc").get(pk=action_id)
        if action.status not in OPEN_STATUSES or action.status == status:
            return
        action_update(
            action_id=action.pk,
            by=action.owner_agency.spoc or self.coordinator,
            version=action.version,
            status=status,
            note=note,
        )

    # --- MDT meetings ---

    def hold_mdt(self, r: Referred) -> None:
        case = Case.objects.get(pk=r.case_id)
        if case.status != CaseStatus.ACTIVE:
            return
        involved = list(case.involved_agencies.all())
        attended = [a for i, a in enumerate(involved) if i == 0 or (i + r.n) % 4]
        mdt = panel_services.mdt_record(
            case_id=case.pk,
            by=self.coordinator,
            held_on=timezone.localdate(),
            invited=involved,
            attended=attended,
            notes=words.MDT_NOTES[r.n % len(words.MDT_NOTES)],
        )
        if r.n % 2 == 0:
            owner = attended[-1].short_name
            self.agree(case, r, None, None, self.action_for(r, owner), owner, mdt=mdt)


def seed_story(users: dict, coordinator, chair) -> bool:
    """Plays the demo's story once, into an empty pathway; returns whether it did."""
    if Referral.objects.exists() or PanelMeeting.objects.exists():
        return False
    today = timezone.localdate()
    story = plan_story(today)
    with demo_clock() as clock:
        Player(story, users, coordinator, chair, clock).play()
    # Today's reminder sweep: the slipped actions are overdue, two of them escalated.
    from actions.sweep import record_due_notices

    record_due_notices(today=today)
    return True
