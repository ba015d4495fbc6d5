"""The reminder sweep: what is due today, recorded once, its e-mail sent once through the
outbox.

Celery beat runs it periodically (actions/tasks.py). Nothing is scheduled as an ETA task: the
database holds what is due and what was sent (docs/engineering-notes.md, "Celery and the
broker").

1. Open actions due within the reminder window, and those escalated (by hand, it may be
   before their due date), get their escalation level from actions/rules.py; a change is
   saved with history and a line in the chronology, and opens or raises the action's
   escalation record (actions/escalations.py), which only what someone does about it ends.
   Each action read gets the date on which the rules can next give it something
   (`next_look_on`); the sweep reads it again only on that date, or once anything saves it
   (Action.save clears the date). So a sweep reads what is new or has come due, not every
   overdue action every quarter of an hour (docs/operations.md, "What the sweep costs").
2. The notices they call for are inserted; a unique (action, kind, recipient, due date) row means a
   notice is recorded once however many sweeps run. In the same transaction each newly
   recorded notice's e-mail is written to the outbox and linked to the notice.
3. Likewise one weekly digest per SPoC per week.
4. The outbox's one claim-and-send (caspa/core/outbox.py) sends what is waiting: these
   e-mails and any other still waiting.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from actions import rules
from actions.escalations import escalations_raise_by_the_sweep
from actions.models import (
    ESCALATED_TO,
    Action,
    Digest,
    Notice,
    NoticeKind,
    SweepRun,
    is_open_q,
    is_overdue_q,
)
from caspa.core import outbox
from panel.chronology import EventKind, record_events

log = logging.getLogger(__name__)

SUBJECTS = {
    NoticeKind.DUE_SOON: "CASPA: action {ref} is due soon",
    NoticeKind.OVERDUE: "CASPA: action {ref} is overdue",
    NoticeKind.ESCALATED_TO_SPOC: "CASPA: action {ref} is escalated to your agency",
    NoticeKind.ESCALATED_TO_CHAIR: "CASPA: action {ref} is escalated to the panel chair",
}
# The outbox's `kind` for these e-mails, as logs show it.
NOTICE_KIND_PREFIX = "action."
DIGEST_KIND = "digest.weekly"


@dataclass(frozen=True)
class SweepResult:
    escalations_changed: int
    notices_recorded: int
    notices_sent: int
    digests_sent: int = 0
    # Every e-mail this sweep sent, including others that were waiting (e.g. a referral's).
    emails_sent: int = 0


def _recipients(action: Action, kind: str, chairs: list[User] | None = None) -> list[User]:
    """Whom a notice of this kind about the action goes to. `chairs`: the active panel chairs,
    when the caller has read them already (the sweep reads them once)."""
    if kind in (NoticeKind.DUE_SOON, NoticeKind.OVERDUE):
        spoc = action.owner_agency.spoc
        return [spoc] if spoc else []
    if kind == NoticeKind.ESCALATED_TO_SPOC:
        to = rules.escalated_to_agency_id(
            lead_agency_id=action.case.lead_agency_id, owner_agency_id=action.owner_agency_id
        )
        lead = action.case.lead_agency if to == action.case.lead_agency_id else action.owner_agency
        return [lead.spoc] if lead.spoc else []
    return chairs if chairs is not None else _chairs()


def _chairs() -> list[User]:
    return list(User.objects.filter(role=Role.CHAIR, is_active=True))


@dataclass(frozen=True)
class Told:
    """Someone the sweep e-mails about an action's escalation: `kind` the notice, `agency` the
    agency escalated to (for the SPoC's notice), `recipient` None when there is no one to
    e-mail, `already_on` the date that e-mail was recorded, if it was (a notice goes once for
    each date the action is due by)."""

    kind: str
    agency: Agency | None
    recipient: User | None
    already_on: date | None = None


def escalation_told(action: Action) -> list[Told]:
    """Who the sweep tells about the action's escalation at its present level, as
    `_recipients` and `_due_kinds` have it: the SPoC of the agency escalated to
    (rules.escalated_to_agency_id), and at the chair's level the panel chair too."""
    told = []
    if action.escalation_level >= rules.TO_LEAD_AGENCY:
        to = rules.escalated_to_agency_id(
            lead_agency_id=action.case.lead_agency_id, owner_agency_id=action.owner_agency_id
        )
        agency = (
            action.case.lead_agency if to == action.case.lead_agency_id else action.owner_agency
        )
        spocs = _recipients(action, NoticeKind.ESCALATED_TO_SPOC)
        told += [Told(NoticeKind.ESCALATED_TO_SPOC, agency, user) for user in spocs] or [
            Told(NoticeKind.ESCALATED_TO_SPOC, agency, None)
        ]
    if action.escalation_level >= rules.TO_CHAIR:
        chairs = _recipients(action, NoticeKind.ESCALATED_TO_CHAIR)
        told += [Told(NoticeKind.ESCALATED_TO_CHAIR, None, user) for user in chairs] or [
            Told(NoticeKind.ESCALATED_TO_CHAIR, None, None)
        ]
    sent = {
        (notice.kind, notice.recipient_id): timezone.localdate(notice.created_at)
        for notice in Notice.objects.filter(action=action, due_on=action.due_on)
    }
    return [
        Told(t.kind, t.agency, t.recipient, sent.get((t.kind, t.recipient.pk)))
        if t.recipient
        else t
        for t in told
    ]


def _due_kinds(action: Action, today: date, policy: rules.EscalationPolicy) -> list[str]:
    kinds = []
    reminder = rules.reminder_kind(
        status=action.status, due_on=action.due_on, today=today, policy=policy
    )
    if reminder:
        kinds.append(reminder)
    if action.escalation_level >= rules.TO_LEAD_AGENCY:
        kinds.append(NoticeKind.ESCALATED_TO_SPOC)
    if action.escalation_level >= rules.TO_CHAIR:
        kinds.append(NoticeKind.ESCALATED_TO_CHAIR)
    return kinds


def next_look_on(action: Action, *, today: date, policy: rules.EscalationPolicy, last_update_on):
    """The first date after `today` on which the rules (actions/rules.py) can give the action
    another notice or escalation level while nothing about it changes: its reminder window
    opening, its becoming overdue, its escalation to the lead agency's SPoC, then to the chair.
    Anything that does change it (an update, a new date, escalating by hand) saves it, which
    makes the sweep look at it again. date.max when only a change can bring anything more."""
    level_1_on = action.due_on + timedelta(days=policy.level_1_after_days)
    last_movement = max(level_1_on, last_update_on) if last_update_on else level_1_on
    dates = (
        action.due_on - timedelta(days=policy.remind_days_before_due),
        action.due_on + timedelta(days=1),
        level_1_on,
        last_movement + timedelta(days=policy.level_2_after_days),
    )
    return min((day for day in dates if day > today), default=date.max)


def actions_to_look_at(*, today: date, policy: rules.EscalationPolicy):
    """Open actions the sweep has not looked at since they last changed, if they are due
    within the reminder window or escalated (by hand, it may be before their due date), and
    those whose next date (`next_look_on`) has come: each condition on a partial index of
    its own, so that the cost follows what is new or due, not what is open or overdue."""
    window_end = today + timedelta(days=policy.remind_days_before_due)
    unseen = Q(sweep_next_on__isnull=True) & (Q(due_on__lte=window_end) | Q(escalation_level__gt=0))
    return (
        Action.objects.open()
        .filter(unseen | Q(sweep_next_on__lte=today))
        .annotate(last_update=Max("updates__written_at"))
        .select_related("owner_agency__spoc", "case__lead_agency__spoc")
    )


def record_due_notices(*, today: date) -> tuple[int, int]:
    """Steps 1 and 2. Returns (escalation levels changed, notices newly recorded).

    A fixed number of queries, however many actions are due or change level."""
    policy = rules.policy_from_settings(settings)
    wanted = {}  # (action id, kind, recipient id) -> (action, kind, recipient)
    looked = []  # (action, the date to look at it next)
    escalating = []  # (action, its new level, the date to look at it next)
    chairs = None
    for action in actions_to_look_at(today=today, policy=policy):
        last_update_on = timezone.localdate(action.last_update) if action.last_update else None
        level = rules.escalation_level(
            status=action.status,
            due_on=action.due_on,
            today=today,
            last_update_on=last_update_on,
            manual_level=action.manual_escalation_level,
            escalated_now=action.escalation_level,
            policy=policy,
        )
        next_on = next_look_on(action, today=today, policy=policy, last_update_on=last_update_on)
        if level != action.escalation_level:
            escalating.append((action, level, next_on))
            action.escalation_level = level  # the notices its new level calls for
        else:
            looked.append((action, next_on))
        for kind in _due_kinds(action, today, policy):
            if kind == NoticeKind.ESCALATED_TO_CHAIR and chairs is None:
                chairs = _chairs()
            for user in _recipients(action, kind, chairs):
                wanted[(action.pk, kind, user.pk)] = (action, kind, user)
    changed = _set_escalations(escalating)
    recorded = _record_notices(wanted)
    _set_next_looks(looked)
    return changed, recorded


def _set_next_looks(looked: list[tuple[Action, date]]) -> None:
    """Store each action's next date, in one statement on PostgreSQL, unless the action has
    changed since the sweep read it (its version): then it stays blank, to be looked at
    again."""
    if not looked:
        return
    if connection.vendor != "postgresql":  # the demo: a few actions, one update each
        for action, next_on in looked:
            Action.objects.filter(pk=action.pk, version=action.version).update(
                sweep_next_on=next_on
            )
        return
    table = connection.ops.quote_name(Action._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS action SET sweep_next_on = looked.next_on
            FROM unnest(%s::bigint[], %s::integer[], %s::date[]) AS looked(id, version, next_on)
            WHERE action.id = looked.id AND action.version = looked.version
            """,
            [
                [action.pk for action, _ in looked],
                [action.version for action, _ in looked],
                [next_on for _, next_on in looked],
            ],
        )


def _record_notices(wanted: dict) -> int:
    """Insert the notices not yet recorded and write each one's e-mail, in one transaction.

    Which notices are new is read back from the candidates' rows: those with no e-mail yet,
    locked, so that two sweeps cannot both write one. (A notice recorded before the outbox and
    never sent has none either; it is sent now if it is still due.)"""
    if not wanted:
        return 0
    with transaction.atomic():
        Notice.objects.bulk_create(
            [
                Notice(action=a, kind=kind, recipient=user, due_on=a.due_on)
                for a, kind, user in wanted.values()
            ],
            ignore_conflicts=True,
        )
        new = [
            notice
            for notice in Notice.objects.select_for_update().filter(
                message=None, action_id__in={action_id for action_id, _, _ in wanted}
            )
            if (notice.action_id, notice.kind, notice.recipient_id) in wanted
            and notice.due_on
            == wanted[(notice.action_id, notice.kind, notice.recipient_id)][0].due_on
        ]
        messages = outbox.write_many(
            _notice_email(*wanted[(n.action_id, n.kind, n.recipient_id)]) for n in new
        )
        for notice, message in zip(new, messages, strict=True):
            notice.message = message
        Notice.objects.bulk_update(new, ["message"])
        return len(new)


def _notice_email(action: Action, kind: str, recipient: User) -> outbox.Email:
    # The lead agency's SPoC, escalated to, can open the action: it is their case's.
    link = settings.SITE_URL.rstrip("/") + reverse("actions:detail", args=[action.pk])
    subject = SUBJECTS[kind].format(ref=action.reference)
    headline = subject.removeprefix("CASPA: ")
    return outbox.Email(
        to=recipient.email,
        subject=subject,
        body=f"{headline[:1].upper()}{headline[1:]}.\n\nSee the action and update it here:\n"
        f"{link}\n",
        kind=NOTICE_KIND_PREFIX + kind,
        reference=action.reference,
    )


def _set_escalations(escalating: list[tuple[Action, int, date]]) -> int:
    """Step 1's changes of level, all at once: each action locked and saved as a new version
    with its history (no user: the sweep, not a person), its escalation opened or raised
    (actions/escalations.py), and a line in its case's chronology. Returns how many changed.
    An action changed since the sweep read it keeps no next date: it is read again."""
    if not escalating:
        return 0
    with transaction.atomic():
        wanted = {action.pk: (action, level, next_on) for action, level, next_on in escalating}
        saved, events = [], []
        for locked in Action.objects.select_for_update().filter(pk__in=wanted).order_by("pk"):
            action, level, next_on = wanted[locked.pk]
            if locked.escalation_level == level:  # another sweep has just done it
                continue
            before = locked.escalation_level
            locked.sweep_next_on = next_on if locked.version == action.version else None
            locked.escalation_level = level
            locked.version += 1
            saved.append((locked, level))
            if level > before:
                summary = f"Action {locked.reference} escalated to {ESCALATED_TO[level]}"
            else:  # its owner updated it: the chair's clock starts again
                summary = (
                    f"Action {locked.reference} updated since: back with {ESCALATED_TO[level]}"
                )
            events.append((locked.case_id, summary))
        rows = [locked for locked, _ in saved]
        Action.objects.bulk_update(rows, ["escalation_level", "version", "sweep_next_on"])
        Action.history.bulk_history_create(rows, update=True)
        # Never to 0: an escalation ends only with what was done about it (actions/escalations.py).
        escalations_raise_by_the_sweep(saved)
        record_events(events, kind=EventKind.ACTIONS)
        return len(saved)


def record_weekly_digests(*, today: date) -> int:
    """Step 3: one digest per SPoC per week, for agencies with open actions. Returns how many
    are new."""
    week_starting = today - timedelta(days=today.weekday())
    agencies = (
        Agency.objects.exclude(spoc=None)
        # Counted only for SPoCs without this week's digest: after the first sweep of the
        # week, none.
        .exclude(spoc__in=Digest.objects.filter(week_starting=week_starting).values("recipient"))
        .annotate(
            open_count=Count("actions", filter=is_open_q(via="actions__")),
            overdue_count=Count("actions", filter=is_overdue_q(today, via="actions__")),
        )
        .filter(open_count__gt=0)
    )
    wanted = {
        agency.spoc_id: Digest(
            recipient_id=agency.spoc_id,
            week_starting=week_starting,
            open_count=agency.open_count,
            overdue_count=agency.overdue_count,
        )
        for agency in agencies
    }
    return _record_digests(week_starting, wanted)


def _record_digests(week_starting: date, wanted: dict) -> int:
    """Insert this week's digests not yet recorded and write each one's e-mail, in one
    transaction, read back as the notices are."""
    if not wanted:
        return 0
    with transaction.atomic():
        Digest.objects.bulk_create(wanted.values(), ignore_conflicts=True)
        new = list(
            Digest.objects.select_for_update(of=("self",))
            .filter(week_starting=week_starting, message=None, recipient_id__in=wanted)
            .select_related("recipient")
        )
        messages = outbox.write_many(_digest_email(digest) for digest in new)
        for digest, message in zip(new, messages, strict=True):
            digest.message = message
        Digest.objects.bulk_update(new, ["message"])
        return len(new)


def pluralize(count: int) -> str:
    return "" if count == 1 else "s"


def _digest_email(digest: Digest) -> outbox.Email:
    link = settings.SITE_URL.rstrip("/") + reverse("actions:list")
    return outbox.Email(
        to=digest.recipient.email,
        subject=f"CASPA: your agency's actions, week of {digest.week_starting:%-d %B %Y}",
        body=f"Your agency has {digest.open_count} open CASPA "
        f"action{pluralize(digest.open_count)}, {digest.overdue_count} of them overdue.\n\n"
        f"See them, overdue first, and update them here:\n{link}\n",
        kind=DIGEST_KIND,
        reference=f"{digest.week_starting:%G-W%V}",
    )


def run_sweep(*, today: date | None = None) -> SweepResult:
    started_at = timezone.now()
    today = today or timezone.localdate()
    changed, recorded = record_due_notices(today=today)
    record_weekly_digests(today=today)
    sent = outbox.send_waiting()
    notices_sent = sum(n for kind, n in sent.items() if kind.startswith(NOTICE_KIND_PREFIX))
    result = SweepResult(
        escalations_changed=changed,
        notices_recorded=recorded,
        notices_sent=notices_sent,
        digests_sent=sent[DIGEST_KIND],
        emails_sent=sum(sent.values()),
    )
    log.info(
        "Action sweep: %s escalations changed, %s notices recorded, %s sent, %s digests sent",
        result.escalations_changed,
        result.notices_recorded,
        result.notices_sent,
        result.digests_sent,
    )
    record_run(SWEEP_NAME, started_at=started_at, result=result)
    return result


SWEEP_NAME = "reminders"


def record_run(name: str, *, started_at, result: SweepResult) -> None:
    """The sweep's one row (SweepRun), updated at the end of each run: what /health/ reads."""
    values = {
        "started_at": started_at,
        "finished_at": timezone.now(),
        "notices_recorded": result.notices_recorded,
        "emails_sent": result.emails_sent,
    }
    if not SweepRun.objects.filter(name=name).update(**values):
        SweepRun.objects.get_or_create(name=name, defaults=values)


def last_run(name: str = SWEEP_NAME) -> SweepRun | None:
    return SweepRun.objects.filter(name=name).first()


@dataclass(frozen=True)
class SweepHealth:
    """Whether the sweep keeps up, for /health/ and beat's check (docs/operations.md):
    `problems` names what is wrong, in words an operator's alert can match."""

    last_ran_at: datetime | None
    waiting: int
    problems: tuple[str, ...]


SWEEP_LATE = "sweep_late"
OUTBOX_BACKLOG = "outbox_backlog"


def sweep_health(*, now: datetime | None = None) -> SweepHealth:
    """The sweep is late when it has not finished a run for HEALTH_SWEEP_LATE_AFTER (or never
    has); the outbox has a backlog when more than HEALTH_OUTBOX_BACKLOG messages wait unsent.
    Two cheap queries: the sweep's one row, and a count over the unsent messages only."""
    now = now or timezone.now()
    last = last_run()
    waiting = outbox.waiting_count()
    problems = []
    if last is None or last.finished_at < now - settings.HEALTH_SWEEP_LATE_AFTER:
        problems.append(SWEEP_LATE)
    if waiting > settings.HEALTH_OUTBOX_BACKLOG:
        problems.append(OUTBOX_BACKLOG)
    return SweepHealth(last.finished_at if last else None, waiting, tuple(problems))


def log_health_problems(health: SweepHealth, *, now: datetime | None = None) -> None:
    """Each problem as an error: counts and times only, never whom."""
    now = now or timezone.now()
    if SWEEP_LATE in health.problems:
        if health.last_ran_at is None:
            log.error("Health: the reminder sweep has never run")
        else:
            log.error(
                "Health: the reminder sweep last ran %s minutes ago (late after %s)",
                int((now - health.last_ran_at).total_seconds() // 60),
                int(settings.HEALTH_SWEEP_LATE_AFTER.total_seconds() // 60),
            )
    if OUTBOX_BACKLOG in health.problems:
        log.error(
            "Health: %s messages wait unsent (more than %s)",
            health.waiting,
            settings.HEALTH_OUTBOX_BACKLOG,
        )
