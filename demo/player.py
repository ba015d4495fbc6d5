"""The player: plays the plan of the demo's story (demo/plan.py) through the real services.

Every change goes through the services the app uses, on the demo clock (demo/clock.py), one
event at a time in time order. The player keeps no rules of its own: the cap is the
pathway's (panel.selectors), open actions are `Action.objects.open()`, and what happened is
what the services answered (whether an accepted referral waits is its placement; which
meeting first hears a case is the agenda). Where the services disagree with the plan's
predictions, the seed stops with `StoryDiverged` rather than tell a different story.
"""

import heapq
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count

from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from actions.escalations import escalation_resolve
from actions.models import Action, EscalationOutcome
from actions.services import action_agree, action_escalate, action_update
from demo import assessment as said
from demo import panel as words
from demo import plan
from demo.clock import DemoClock, at, demo_clock, next_working_day, weekday
from demo.plan import FIRST, LONG, PAST, SEED, TODAY, Referred, Story, plan_story
from demo.reads import seed_reads
from demo.referrals import (
    AGENCIES_FOR_NEED,
    ANSWERS,
    DECLINES,
    QUESTIONS,
    answers_for,
    named_answers,
)
from panel import assessment as assessment_services
from panel import closure as closure_services
from panel import meetings as meeting_services
from panel import returns as return_services
from panel import services as panel_services
from panel.disagreements import lead_disagreement_record
from panel.models import (
    Achievement,
    AgencyReturn,
    AgendaKind,
    Case,
    CaseStatus,
    Outcome,
    PanelMeeting,
    RiskBand,
)
from panel.reviews import assessment_review
from panel.rules import returns as return_rules
from panel.selectors import pathway_cap
from referrals import services as referral_services
from referrals.models import Referral


class StoryDiverged(Exception):
    """The services did something the plan did not predict: the plan is out of step with
    the rules it predicts from."""


@dataclass
class Played:
    """What the services made of one referral of the plan."""

    referral_id: int | None = None
    case_id: int | None = None
    first_panel: int | None = None  # the meeting that first heard its case
    lead: str = ""
    actions: set = field(default_factory=set)  # what its agencies have been asked to do


# A likelihood and severity giving each band (panel/rules/risk.py).
# The scores the story gives a case's main risk for the level it is at: two of each, so the
# cases do not all read alike (panel/rules/risk.py gives the band).
STORY_SCORES = {
    RiskBand.CRITICAL: [(5, 4), (4, 5)],
    RiskBand.HIGH: [(4, 4), (4, 3)],
    RiskBand.MEDIUM: [(3, 3), (2, 4)],
    RiskBand.LOW: [(2, 2), (1, 4)],
}
# The meetings, counted back from the latest, before which agencies send returns.
RETURNS_FROM = -2
# Minutes the panel spends on an item: a new referral is talked through, a review is shorter.
MINUTES_ON = {AgendaKind.NEW: 9, AgendaKind.REVIEW: 5}
# How each desired outcome ends, in turn, when a case steps down.
MARKS = [Achievement.ACHIEVED, Achievement.PARTLY, Achievement.ACHIEVED, Achievement.NOT_ACHIEVED]


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
        self.played = {r.n: Played() for r in story.referred}
        self.meeting_ids = {}
        self.people_at_meetings = None  # (agency, user) at each meeting: self.attendees()
        self.officers = count(3)
        self.today_starts = at(story.today, 0)
        self.slipped = deque((25, 9, 2))  # overdue by: the action log's story today
        # One case open today whose risk has come down: the panel can step it down next.
        self.ready_n = next(r.n for r in story.referred if r.part == LONG)

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
        panel = {
            plan.BUILD_AGENDA: self.build_agenda,
            plan.HOLD_MEETING: self.hold_meeting,
            plan.APPROVE_MINUTES: self.approve_minutes,
            plan.PLAN_THE_COMING_YEAR: self.plan_the_coming_year,
        }
        for when, what, m in story.panel:
            self.schedule(when, panel[what], *([] if m is None else [m]))
        for when, n in story.mdts:
            self.schedule(when, self.hold_mdt, story.referred[n])
        while self.queue:
            when, _n, handler, args = heapq.heappop(self.queue)
            self.clock.set(when)
            handler(*args)

    # --- meetings' dates ---

    def plan_meetings(self) -> None:
        for m, day in self.story.meetings.items():
            if FIRST <= m <= TODAY:
                meeting, _ = PanelMeeting.objects.get_or_create(date=day)
                self.meeting_ids[m] = meeting.pk

    def plan_the_coming_year(self) -> None:
        weekday, nth = self.story.cadence
        for year in (self.story.today.year, self.story.today.year + 1):
            meeting_services.meetings_schedule_year(
                year=year, weekday=weekday, nth=nth, by=self.coordinator
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
            return named_answers(given, family, born, nhs, changes, agencies)
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
        self.played[r.n].referral_id = referral.pk
        if r.state == "draft":
            return
        self.clock.set(r.submitted)
        referral_services.referral_submit(
            referral_id=referral.pk, by=referrer, version=referral.version
        )

    def referral(self, r: Referred) -> Referral:
        return Referral.objects.get(pk=self.played[r.n].referral_id)

    def ask(self, r: Referred) -> None:
        referral_services.referral_ask_for_information(
            referral_id=self.played[r.n].referral_id,
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
        referral_services.referral_answer_question(
            referral_id=referral.pk,
            by=referrer,
            version=referral.version,
            answer=ANSWERS[r.n % len(ANSWERS)],
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
        _referral, placement = panel_services.referral_accept_onto_pathway(
            **common, version=referral.version
        )
        waits = placement.waiting_position is not None
        if waits != r.waits:
            raise StoryDiverged(
                f"Referral {r.n}: the plan had it {'wait' if r.waits else 'join'}; "
                f"the pathway {'made it wait' if waits else 'had a place'}"
            )
        self.played[r.n].case_id = placement.case.pk
        self.by_case[placement.case.pk] = r

    # --- panel meetings ---

    def build_agenda(self, m: int) -> None:
        meeting_services.agenda_build(meeting_id=self.meeting_ids[m], by=self.coordinator)
        if m >= RETURNS_FROM:
            # The returns sweep asks on the working day the rules say, which is later than the
            # agenda when the panel meets at a weekend (the demo meets on today's weekday).
            meeting_date = self.story.meetings[m]
            requested_on = self.return_dates(meeting_date).requested_on
            asked = max(self.clock.now() + timedelta(hours=1), at(requested_on, 8))
            self.schedule(asked, self.ask_for_returns, m)

    def approve_minutes(self, m: int) -> None:
        meeting_services.minutes_approve(meeting_id=self.meeting_ids[m], by=self.chair)

    def hold_meeting(self, m: int) -> None:
        """The coordinator starts the meeting (on its day, at ten), records who came, and shows
        the room each item in turn while the panel decides; the decisions taken meanwhile are
        the meeting's (panel.chronology.decided_at). Then they end it."""
        by = self.coordinator
        meeting = PanelMeeting.objects.get(pk=self.meeting_ids[m])
        meeting_services.meeting_start(meeting_id=meeting.pk, by=by)
        self.attend(meeting, m)
        moment = self.clock.now() + timedelta(minutes=10)  # the opening: confidentiality
        for position, item in enumerate(meeting.items.order_by("position"), start=1):
            self.clock.set(moment)
            meeting_services.meeting_show_item(meeting_id=meeting.pk, by=by, position=position)
            r = self.by_case[item.case_id]
            case = Case.objects.get(pk=item.case_id)
            if item.kind == AgendaKind.NEW:
                minute = self.first_panel(case, r, meeting, m)
            else:
                minute = self.review(case, r, meeting, m)
            meeting_services.agenda_item_record(
                item_id=item.pk, by=by, version=item.version, minute=minute
            )
            moment = max(moment + timedelta(minutes=MINUTES_ON[item.kind]), self.clock.now())
        self.clock.set(moment)
        meeting_services.meeting_end(meeting_id=meeting.pk, by=by)

    def attendees(self) -> list:
        """Who comes for each agency: its panel members if it has any in the demo, else its
        SPoC; for the host, the chair and the coordinator."""
        if self.people_at_meetings is None:
            by_agency: dict = {}
            for user in self.users.values():
                if user.role == Role.PANEL_MEMBER:
                    by_agency.setdefault(user.agency_id, []).append(user)
            spocs = {user.pk: user for user in self.users.values()}
            self.people_at_meetings = []
            for agency in sorted(self.agencies.values(), key=lambda agency: agency.name):
                if agency.is_host:
                    people = [self.chair, self.coordinator]
                else:
                    people = by_agency.get(agency.pk) or [spocs.get(agency.spoc_id)]
                self.people_at_meetings += [(agency, user) for user in people if user]
        return self.people_at_meetings

    def attend(self, meeting, m: int, still_to_agree=()) -> None:
        """Every agency sends someone, recorded with their account (so that they may follow
        the meeting on their own device), who agrees to confidentiality; one or two agencies
        in turn (never the host) send apologies."""
        others = sorted(name for name, agency in self.agencies.items() if not agency.is_host)
        sorry = {others[(3 * m) % len(others)]}
        if m % 2 == 0:
            sorry.add(others[(3 * m + 5) % len(others)])
        for agency, user in self.attendees():
            apologies = agency.short_name in sorry
            meeting_services.attendance_record(
                meeting_id=meeting.pk,
                by=self.coordinator,
                agency=agency,
                attendee=f"{user}, {user.job_title.removesuffix(' (demo)')}",
                agreed_to_confidentiality=not apologies and user.username not in still_to_agree,
                apologies=apologies,
                user=user,
            )

    def mark_present_today(self) -> None:
        """Today's meeting, before the coordinator starts it: the members who said they would
        come are marked present; member.housing is still to agree to confidentiality (on
        their own device, once the meeting has started)."""
        meeting = PanelMeeting.objects.get(pk=self.meeting_ids[TODAY])
        self.attend(meeting, TODAY, still_to_agree=("member.housing",))

    def first_panel(self, case: Case, r: Referred, meeting, m: int) -> str:
        by = self.coordinator
        if m != r.first_panel:
            raise StoryDiverged(
                f"Referral {r.n}: first heard at meeting {m}, planned for {r.first_panel}"
            )
        self.played[r.n].first_panel = m
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
        self.played[r.n].lead = lead
        if r.n % 4 == 0:  # the panel brings in another agency
            extra = next(a for a in ("Fire", "DWP", "Connex", "Police") if a not in involved)
            case = panel_services.case_set_agencies(
                case_id=case.pk,
                by=by,
                version=case.version,
                agencies=[*involved.values(), self.agencies[extra]],
            )
        level = RiskBand.CRITICAL if r.n % 5 else RiskBand.HIGH
        main_risk = self.assess(case, r, level, involved[lead], officer)
        case = self.review_assessment(case, r, level, meeting)
        self.agree(case, r, meeting, m, words.JOINT_VISIT, lead, risk=main_risk)
        owner = self.rng.choice([a for a in involved if a != lead] or [lead])
        self.agree(case, r, meeting, m, self.action_for(r, owner), owner)
        risk = f"Risk {level.label.lower()}; a joint visit and a first action agreed."
        referrer = case.referral.referring_agency.name
        return words.MINUTES_NEW.format(
            referrer=referrer, lead=involved[lead].name, officer=officer, risk=risk
        )

    def review(self, case: Case, r: Referred, meeting, m: int) -> str:
        by = self.coordinator
        played = self.played[r.n]
        if r.closes_at == m:
            return self.close(case, r, meeting)
        if r.part == PAST:
            share = (m - played.first_panel) / max(r.closes_at - played.first_panel, 1)
            level = (
                RiskBand.CRITICAL
                if share < 0.34
                else RiskBand.HIGH
                if share < 0.7
                else RiskBand.MEDIUM
            )
        elif r.n == self.ready_n and m >= -1:  # the risk has come down: ready to step down
            level = RiskBand.HIGH if m == -1 else RiskBand.MEDIUM
        else:  # still open today: the risk has not come down far enough
            level = RiskBand.CRITICAL if (m + r.n) % 3 == 0 else RiskBand.HIGH
        involved = {a.short_name: a for a in case.involved_agencies.all()}
        if m == played.first_panel + 1 and r.n % 7 == 3:  # who leads is what the panel settles
            new_lead = next((a for a in involved if a not in (played.lead, "ASC")), None)
            if new_lead:
                # The agencies disagree over who leads (the practice example's Ms A): each
                # says why, and the panel decides.
                old, new = involved[played.lead], involved[new_lead]
                lead_disagreement_record(
                    case_id=case.pk,
                    by=by,
                    version=case.version,
                    positions={
                        old: said.LEAD_POSITIONS[0].format(agency=new.name),
                        new: said.LEAD_POSITIONS[1].format(agency=old.name),
                    },
                    decided_agency=new,
                    officer=words.officer(new_lead, next(self.officers)),
                    reason=words.LEAD_CHANGES[r.n % len(words.LEAD_CHANGES)],
                    meeting=meeting,
                )
                case = Case.objects.get(pk=case.pk)
                played.lead = new_lead
        if level == RiskBand.MEDIUM:
            self.retire_the_lesser_risk(case)
        case = self.review_assessment(case, r, level, meeting)
        if r.n == self.ready_n and m == 0:
            self.mark_desired_outcomes(case)
        if m == 0 and r.part != PAST:
            # The plan for the coming month, to be looked at again at the next panel.
            self.agree(case, r, meeting, m, words.REVIEW_THE_PLAN, played.lead, keep_open=True)
        elif m == -1 and r.part == LONG and self.slipped:
            owner = self.rng.choice(list(involved))
            self.agree(case, r, meeting, m, self.action_for(r, owner), owner, True)
        elif self.rng.random() < 0.5:
            owner = self.rng.choice(list(involved))
            self.agree(case, r, meeting, m, self.action_for(r, owner), owner)
        other = next((a for a in involved if a != played.lead), played.lead)
        texts = words.MINUTES_REVIEW[level]
        return texts[(m + r.n) % len(texts)].format(lead=involved[played.lead].name, other=other)

    # --- the shared risk assessment and plan ---

    def scores(self, r: Referred, level: str) -> tuple[int, int]:
        return STORY_SCORES[level][r.n % 2]

    def assess(self, case: Case, r: Referred, level: str, lead, officer: str):
        """The panel's first assessment: the main risk from the referral's need, a lesser one,
        the person's desired outcomes, their capacity for one decision and what each agency
        has tried. Returns the main risk."""
        by = self.coordinator
        involved = list(case.involved_agencies.order_by("name"))
        others = [agency for agency in involved if agency != lead] or [lead]
        what, whom, _l, _s, signs, protective, trigger, response, out_of_hours = said.RISKS[r.need]
        likelihood, severity = self.scores(r, level)
        main = assessment_services.risk_add(
            case_id=case.pk,
            by=by,
            description=what,
            to_whom=whom,
            likelihood=likelihood,
            severity=severity,
            need=r.need,
            warning_signs=signs,
            protective_factors=protective,
            source_agency=case.referral.referring_agency,
            monitored_by=lead,
            monitoring_officer=officer,
            contingency_trigger=trigger,
            contingency_response=response,
            out_of_hours_contact=out_of_hours,
        )
        what, whom, likelihood, severity, signs, protective, trigger, response, _ooh = said.OTHERS[
            r.n % len(said.OTHERS)
        ]
        assessment_services.risk_add(
            case_id=case.pk,
            by=by,
            description=what,
            to_whom=whom,
            likelihood=likelihood,
            severity=severity,
            warning_signs=signs,
            protective_factors=protective,
            source_agency=others[0],
            monitored_by=others[-1],
            contingency_trigger=trigger,
            contingency_response=response,
        )
        if not case.persons_views:
            case = Case.objects.get(pk=case.pk)
            assessment_services.persons_views_revise(
                case_id=case.pk,
                by=by,
                version=case.version,
                persons_views=said.VIEWS.format(need=r.need.label.lower()),
            )
        for k in (0, 3):
            assessment_services.desired_outcome_add(
                case_id=case.pk,
                by=by,
                outcome=said.DESIRED_OUTCOMES[(r.n + k) % len(said.DESIRED_OUTCOMES)],
            )
        today = timezone.localdate()
        decisions = said.CAPACITY_DECISIONS[:1] + said.CAPACITY_DECISIONS[1 + r.n % 3 :][:1]
        for decision, outcome in decisions:
            assessment_services.capacity_record(
                case_id=case.pk,
                by=by,
                decision=decision,
                assessed_by=officer,
                assessed_on=today - timedelta(days=self.rng.randint(3, 20)),
                outcome=outcome,
            )
        for agency in involved[:3]:
            tried, happened = said.INTERVENTIONS.get(agency.short_name, ("Visits.", ""))
            ongoing = self.rng.random() < 0.5
            assessment_services.intervention_record(
                case_id=case.pk,
                by=by,
                agency=agency,
                what=tried,
                started_on=today - timedelta(days=self.rng.randint(60, 200)),
                ended_on=None if ongoing else today - timedelta(days=self.rng.randint(5, 50)),
                what_happened=happened,
            )
        return main

    def review_assessment(self, case: Case, r: Referred, level: str, meeting) -> Case:
        """The panel re-scores the main risk to the level the story says, then reviews the
        assessment at the meeting and agrees the level its risks give."""
        main = case.risks.current().order_by("pk").first()
        likelihood, severity = self.scores(r, level)
        if (main.likelihood, main.severity) != (likelihood, severity):
            assessment_services.risk_change(
                risk_id=main.pk,
                by=self.coordinator,
                version=main.version,
                likelihood=likelihood,
                severity=severity,
            )
        case = Case.objects.get(pk=case.pk)
        assessment_review(
            case_id=case.pk, by=self.coordinator, version=case.version, level=level, meeting=meeting
        )
        return Case.objects.get(pk=case.pk)

    def retire_the_lesser_risk(self, case: Case) -> None:
        lesser = case.risks.current().order_by("pk")[1:2].first()
        if lesser:
            assessment_services.risk_retire(
                risk_id=lesser.pk,
                by=self.coordinator,
                version=lesser.version,
                reason="Agencies agree this has settled: nothing of it for two months.",
            )

    def mark_desired_outcomes(self, case: Case) -> None:
        for k, outcome in enumerate(case.desired_outcomes.filter(achievement="").order_by("pk")):
            closure_services.desired_outcome_mark(
                outcome_id=outcome.pk,
                by=self.coordinator,
                version=outcome.version,
                achievement=MARKS[(case.pk + k) % len(MARKS)],
                note="As the person put it at the review.",
            )

    # --- agencies' returns before a meeting ---

    def ask_for_returns(self, m: int) -> None:
        """The returns sweep asks each agency involved in a case on the agenda; each sends its
        return in the days before the meeting, but for one agency on each case."""
        meeting = PanelMeeting.objects.get(pk=self.meeting_ids[m])
        return_services.run_returns_sweep(today=timezone.localdate())
        dates = self.return_dates(meeting.date)
        rows = AgencyReturn.objects.filter(meeting=meeting).select_related("case", "agency")
        by_case: dict[int, list] = {}
        for row in rows.order_by("agency__name"):
            by_case.setdefault(row.case_id, []).append(row)
        for case_id, case_rows in by_case.items():
            r = self.by_case[case_id]
            lead_id = Case.objects.values_list("lead_agency_id", flat=True).get(pk=case_id)
            missing = [row for row in case_rows if row.agency_id != lead_id][
                (r.n + m) % max(len(case_rows) - 1, 1) :
            ][:1]
            for k, row in enumerate(case_rows):
                if row in missing:
                    continue
                day = timezone.localdate() + timedelta(days=1 + (r.n + k) % 4)
                day = min(next_working_day(day), dates.due_on)
                self.schedule(at(day, 11 + k % 5, 15), self.send_return, row.pk, r.n + k)
        self.schedule(at(dates.reminded_on, 8), self.remind_about_returns)

    @staticmethod
    def return_dates(meeting_date: date):
        return return_rules.return_dates(meeting_date, settings.PANEL_RETURNS_WORKING_DAYS)

    def remind_about_returns(self) -> None:
        return_services.run_returns_sweep(today=timezone.localdate())

    def send_return(self, return_id: int, n: int) -> None:
        row = AgencyReturn.objects.select_related("agency__spoc", "case").get(pk=return_id)
        if not row.case.is_on_caseload or row.agency.spoc is None:
            return
        contact, changes, risks, progress = said.RETURNS[n % len(said.RETURNS)]
        return_services.return_submit(
            return_id=row.pk,
            by=row.agency.spoc,
            version=row.version,
            contact=contact,
            changes=changes,
            risks=risks,
            progress=progress,
        )

    def close(self, case: Case, r: Referred, meeting) -> str:
        by = self.coordinator
        for action in case.actions.open():
            done = action.due_on <= meeting.date
            action_update(
                action_id=action.pk,
                by=by,
                version=action.version,
                status="done" if done else "no_longer_needed",
                note="" if done else "The panel closed the case; the step-down plan covers it.",
            )
        stepped_down = r.outcome == Outcome.STEPPED_DOWN
        step_down = self.agencies[self.played[r.n].lead] if stepped_down else None
        handover = {}
        if stepped_down:
            self.retire_the_lesser_risk(case)
            case = self.review_assessment(case, r, RiskBand.MEDIUM, meeting)
            self.mark_desired_outcomes(case)
            case = Case.objects.get(pk=case.pk)
            handover = {
                "handover_plan": said.HANDOVER.format(agency=step_down.name),
                "handover_contingency": said.HANDOVER_CONTINGENCY.format(agency=step_down.name),
            }
        panel_services.case_close(
            case_id=case.pk,
            by=by,
            version=case.version,
            outcome=r.outcome,
            outcome_detail=words.OUTCOME_DETAIL[r.outcome],
            step_down_agency=step_down,
            agreed_on=meeting.date,
            **handover,
        )
        taken_on = f" to {step_down.name}" if step_down else ""
        return f"Closed: {Outcome(r.outcome).label}{taken_on}."

    # --- actions ---

    def action_for(self, r: Referred, owner: str) -> str:
        """What the owner is asked to do: something not yet asked of it on this case."""
        asked = self.played[r.n].actions
        choices = [d for d in words.ACTIONS[owner] if d not in asked] or words.ACTIONS[owner]
        description = self.rng.choice(choices)
        asked.add(description)
        return description

    def agree(self, case, r, meeting, m, description, owner, keep_open=False, mdt=None, risk=None):
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
            risk=risk,
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
            late = self.rng.randint(3, 24)
            if late >= 10:  # a week overdue with no word: the coordinator escalates it
                self.schedule(at(weekday(due + timedelta(days=8)), 10), self.escalate, action.pk)
                if self.rng.random() < 0.5:  # the lead agency agrees a new date with the owner
                    redated = due + timedelta(days=late + 3)
                    self.schedule(
                        at(weekday(due + timedelta(days=9)), 12), self.redate, action.pk, redated
                    )
            self.schedule_update(action, due + timedelta(days=late), "done")
        elif draw < 0.94:
            note = "The person refused the visit twice; the lead officer will try again."
            self.schedule_update(action, due + timedelta(days=2), "not_done", note)
        else:
            note = "Overtaken by events: the person moved to supported housing."
            self.schedule_update(
                action, today + timedelta(days=span // 2), "no_longer_needed", note
            )

    def escalate(self, action_id: int) -> None:
        action = Action.objects.get(pk=action_id)
        if action.is_open and not action.is_escalated:
            action_escalate(
                action_id=action.pk,
                by=self.coordinator,
                version=action.version,
                level=1,
                reason="A week overdue with no update from its owner.",
            )

    def redate(self, action_id: int, new_due_on: date) -> None:
        action = Action.objects.select_related("case__lead_agency__spoc").get(pk=action_id)
        if not action.is_escalated:
            return
        escalation_resolve(
            action_id=action.pk,
            by=action.case.lead_agency.spoc or self.coordinator,
            version=action.version,
            response="Spoke to the owner's manager: the visit is rebooked and the date agreed.",
            outcome=EscalationOutcome.RE_DATED,
            new_due_on=new_due_on,
        )

    def schedule_update(self, action, day: date, status: str, note: str = "") -> None:
        self.schedule(at(weekday(day), 15, 30), self.update_action, action.pk, status, note)

    def update_action(self, action_id: int, status: str, note: str) -> None:
        action = Action.objects.select_related("owner_agency__spoc").get(pk=action_id)
        if not action.is_open or action.status == status:
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
        case = Case.objects.get(pk=self.played[r.n].case_id)
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
    story = plan_story(today, cap=pathway_cap())
    with demo_clock() as clock:
        player = Player(story, users, coordinator, chair, clock)
        player.play()
    # This morning: who is coming to today's meeting, for the coordinator to start it.
    player.mark_present_today()
    # Today's reminder sweep: the slipped actions are overdue, two of them escalated.
    from actions.sweep import record_due_notices

    record_due_notices(today=today)
    # And today's returns sweep: the coming meeting's returns, if they are being asked for.
    return_services.returns_sweep(today=today)
    # Four weeks of the staff reading records, for the access report (demo/reads.py).
    seed_reads(users)
    return True
