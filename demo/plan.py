"""The plan of the demo's story: what happens when, over more than two years of the pathway.

A pure plan, as plain data (`plan_story`): who is referred when, by whom, what screening
decides, which panel first hears each case, how long it stays and how it ends. Nothing here
touches the database; demo/player.py plays the plan through the real services.

Dates are relative to the day the demo is seeded, and the panel meets that day: so that the
coordinator can start today's meeting (a meeting starts only on its own day), the demo's panel
meets monthly on today's weekday of the month (the first Wednesday, the last Friday, …; the
real panel's is the second Tuesday). Meeting 1 is today's, meeting 0 the one a month before,
-1 the one before that, and so on.
The plan predicts the cap (the pathway's, read by the player from panel.selectors) meeting
by meeting with panel.rules, as panel.services applies it (first come, first served), and
keeps a referral only if the story stays right:

- nobody waits for a place in the past, so a case's first panel is 1 to 6 weeks after its
  referral;
- every past case has left by the latest meeting: closed with an outcome after 2 to 10
  months, or not adopted at its first panel;
- today the pathway holds exactly its cap (15): 6 cases open more than 6 months (each with an
  open action, a named lead officer, a risk assessment agreed at the latest panel, at least
  two agencies, and 4 of the 6 an MDT meeting in the last 8 weeks), 4 open 3 to 6 months and
  5 newer, 2 of them accepted for today's meeting, which first hears them; and 2 accepted
  referrals wait for a place.

What happens when the plan is played is the services' to say: the player checks that they
agree with the plan's predictions and stops the seed if they do not.
"""

import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count

from demo import panel as words
from demo.clock import at, weekday
from demo.referrals import BASE, PEOPLE, PRIMARY_NEEDS, REFERRERS, deck, fictional_people
from panel import rules as panel_rules

FIRST = -27  # the story's first panel meeting, in months before the latest
SEED = 2020  # the same story every time, give or take the calendar

# What part a referral plays at the end of the story.
PAST = ""  # left the pathway before today (or was never accepted)
LONG = "long"  # open more than 6 months
MID = "mid"  # open 3 to 6 months
RECENT = "recent"  # open less than 3 months
NEW = "new"  # accepted for today's meeting: its agenda's new referrals
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
    (0, RECENT),
    (1, NEW),
    (1, NEW),
    (1, WAITING),
    (1, WAITING),
]
TODAY = 1  # today's meeting: its agenda is built and its returns are in; the panel meets today
# Months on the pathway before a past case closes, weighted. In the story's second year the
# long-running cases hold six of the fifteen places, and the panel steps cases down sooner.
MONTHS_OPEN = {2: 30, 3: 26, 4: 14, 5: 9, 6: 7, 7: 5, 8: 4, 9: 3, 10: 2}
LONG_STAYS = 8  # past cases that stayed six months or more
MONTHS_OPEN_LATELY = {2: 45, 3: 30, 4: 15, 5: 6, 6: 4}


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def cadence(today: date) -> tuple[int, int]:
    """When the demo's panel meets: (weekday, nth) for panel.rules.nth_weekday_of_month, the
    weekday of the month today is (nth -1: the last, for the 29th to the 31st)."""
    nth = (today.day - 1) // 7 + 1
    return today.weekday(), nth if nth <= 4 else -1


def meeting_dates(today: date) -> dict[int, date]:
    """Panel meetings by index: 1 today's, 0 the latest before today, negative the past."""
    weekday, nth = cadence(today)
    this_month = today.replace(day=1)
    return {
        m: panel_rules.nth_weekday_of_month(month.year, month.month, weekday, nth)
        for m in range(FIRST - 1, TODAY + 1)
        for month in [add_months(this_month, m - TODAY)]
    }


def story_starts(today: date) -> date:
    """When the agencies and people are set up: a month before the story's first referral."""
    return meeting_dates(today)[FIRST - 1] - timedelta(days=30)


# --- the plan ----------------------------------------------------------------------------------


@dataclass
class Referred:
    """One referral of the plan, and (if accepted) its case."""

    n: int
    referrer: str
    need: str
    submitted: datetime
    state: str  # the referral's status at the end: accepted, declined, …
    screened: datetime | None = None
    asked: datetime | None = None  # more information asked for (answered if screened)
    resubmitted: datetime | None = None
    meeting: int | None = None  # accepted: the panel it was accepted for (TODAY: today's)
    part: str = PAST
    adopt: bool = True
    months: int = 0  # how long a past case stays
    person: object = None
    named: tuple | None = None
    # Worked out by the plan's play of the cap:
    waits: bool = False  # accepted while the pathway was full: waits for a place
    first_panel: int | None = None
    closes_at: int | None = None
    outcome: str = ""


@dataclass
class Story:
    today: date
    meetings: dict[int, date]
    cadence: tuple[int, int]  # (weekday, nth): when the panel meets
    referred: list[Referred]
    mdts: list[tuple[datetime, int]] = field(default_factory=list)  # (when, referred n)
    panel: list[tuple[datetime, str, int | None]] = field(default_factory=list)  # (when, what, m)


# What the coordinator and the chair do around the panel's meetings (Story.panel).
BUILD_AGENDA = "build agenda"
HOLD_MEETING = "hold meeting"
APPROVE_MINUTES = "approve minutes"
PLAN_THE_COMING_YEAR = "plan the coming year"


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


def play_the_cap(accepted: list[Referred], cap: int) -> tuple[dict[int, _Path], list, list]:
    """The plan's prediction of the cap, meeting by meeting, with panel.rules as
    panel.services applies them: a referral accepted while the pathway is full waits; a
    closure or a case not adopted gives its place to the first waiting, whose first panel is
    then the next meeting. The referrals accepted for today's meeting join or wait; the
    meeting itself has not happened. Returns each case's path, and who is on the caseload and
    waiting at the end."""
    by_window = {}
    for r in sorted(accepted, key=lambda r: r.screened):
        by_window.setdefault(r.meeting, []).append(r)
    on, waiting, paths = [], deque(), {}
    for m in range(FIRST, TODAY + 1):
        for r in by_window.get(m, []):
            paths[r.n] = _Path()
            if panel_rules.has_place(caseload=len(on), cap=cap):
                on.append(r)
                paths[r.n] = _Path(joined=m, first_panel=m)
            else:
                waiting.append(r)
        if m == TODAY:
            break
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
        admission = panel_rules.admit_from_waiting_list(
            caseload=len(on), waiting=len(waiting), cap=cap
        )
        for _ in range(admission.admitted):
            r = waiting.popleft()
            on.append(r)
            paths[r.n].joined, paths[r.n].first_panel = m, m + 1
    return paths, on, list(waiting)


def _story_holds(accepted: list[Referred], cap: int) -> bool:
    paths, on, waiting = play_the_cap(accepted, cap)
    for r in accepted:
        path = paths[r.n]
        if r.meeting < TODAY and path.first_panel != r.meeting:
            return False  # someone waited for a place in the past
        if r.part == PAST and path.left is None:
            return False  # a past case still open today, or adopted too late to close
    return [r.part for r in waiting] == [WAITING, WAITING] and len(on) == cap


def plan_story(today: date, cap: int, seed: int = SEED) -> Story:
    """The whole story, for a demo seeded `today` on a pathway of `cap` places."""
    open_today = sum(1 for _m, part in OPEN_TODAY if part != WAITING)
    if cap != open_today:
        raise ValueError(f"The demo's story fills a pathway of {open_today}, not {cap}")
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

    for m in range(FIRST, TODAY + 1):
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
            if _story_holds([*kept, r], cap):
                kept.append(r)
                break
        else:
            r.state, r.meeting, r.asked, r.resubmitted = "declined", None, None, None
    for r in past:
        if r.state != "accepted":
            continue
        for months in range(planned[r.n], 2, -1):
            r.months = months
            if _story_holds(kept, cap):
                break
        else:
            r.months = 2
    paths, _on, _waiting = play_the_cap(kept, cap)
    assert _story_holds(kept, cap)
    outcomes = iter(deck(words.OUTCOMES, len(kept), rng))
    for r in kept:
        r.first_panel = paths[r.n].first_panel
        r.waits = r.first_panel != r.meeting
        if r.part == PAST and r.closes_at != r.first_panel:
            r.outcome = next(outcomes)

    _plan_the_last_weeks(today, meetings, referred, named, rng, new)
    story = Story(today, meetings, cadence(today), referred)
    _plan_mdts(story, rng)
    _plan_panels(story, rng)
    return story


def _plan_window(m, meetings, parts, named, rng, new, months_open) -> None:
    """The referrals of the month before meeting m: those still open today (`parts`), then
    the rest, spread evenly over the month so that each calendar month gets its share. Before
    today's meeting the pathway is full: the rest are declined, or asked for more."""
    start, agenda = meetings[m - 1] + timedelta(days=1), meetings[m] - timedelta(days=8)
    total = max(round(_referrals_in_window(m)) + rng.choice((-1, 0, 0, 1)), len(parts))
    if m == TODAY:
        total = len(parts) + 3
    first, last = at(meetings[m - 1] - timedelta(days=3), 9), at(agenda - timedelta(days=3), 17)
    step = (last - first) / total
    slots = [first + step * (i + rng.random()) for i in range(total)]
    kinds = [None] * (total - len(parts))
    for part in parts:  # those still open today take slots spread over the month too
        kinds.insert(rng.randint(0, len(kinds)), part)
    names = {TODAY: {NEW: "Example", WAITING: "Specimen"}, -1: {RECENT: "Sample"}}.get(m, {})
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
        if m == TODAY:
            draw = 0.78 + 0.22 * draw
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
    """Referrals since today's agenda was built, and the present-day story's named people."""
    yesterday = today - timedelta(days=1)
    agenda = meetings[TODAY] - timedelta(days=7)
    submitted = _moment(rng, agenda + timedelta(days=1), yesterday - timedelta(days=2))
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
        if family == "Madeup":  # asked, and answered: back in the queue with its answer
            r.asked, r.resubmitted = days_ago(9, 10), days_ago(7, 15)


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


def _plan_panels(story: Story, rng: random.Random) -> None:
    """Each meeting's agenda a week ahead, the meeting, and its minutes approved within the
    week after (the latest meeting's are still to approve); after the latest meeting, the
    dates of the coming year. Today's meeting has its agenda: the coordinator starts it."""
    for m, day in story.meetings.items():
        if FIRST <= m <= TODAY:
            story.panel.append((at(day - timedelta(days=7), 16), BUILD_AGENDA, m))
        if FIRST <= m < TODAY:
            story.panel.append((at(day, 10), HOLD_MEETING, m))
            if m < 0:
                approved = weekday(day + timedelta(days=rng.randint(2, 6)))
                story.panel.append((at(approved, 11), APPROVE_MINUTES, m))
    story.panel.append((at(story.meetings[0], 15), PLAN_THE_COMING_YEAR, None))
