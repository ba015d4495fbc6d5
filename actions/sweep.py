"""The reminder sweep: what is due today, recorded once, then sent once.

Celery beat runs it periodically (actions/tasks.py). Nothing is scheduled as an ETA task: the
database holds what is due and what was sent (docs/engineering-notes.md, "Celery and the
broker").

1. Open actions due within the reminder window (an index on status and due date, so the
   cost follows what is due, not how many actions there are) get their escalation level
   from actions/rules.py; a change is saved with history and a line in the chronology.
2. The notices they call for are inserted; a unique (action, kind, recipient) row means a
   notice is recorded once however many sweeps run.
3. Each unsent notice is claimed with a conditional UPDATE that must change exactly one row,
   then sent, then marked sent. A claim older than CLAIM_EXPIRES (a worker killed between
   claiming and sending) may be claimed again.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from accounts.roles import Role
from actions import rules
from actions.models import OPEN_STATUSES, Action, Digest, Notice, NoticeKind
from panel.services import record_event

log = logging.getLogger(__name__)

CLAIM_EXPIRES = timedelta(minutes=10)

SUBJECTS = {
    NoticeKind.DUE_SOON: "CASPA: action {ref} is due soon",
    NoticeKind.OVERDUE: "CASPA: action {ref} is overdue",
    NoticeKind.ESCALATED_TO_SPOC: "CASPA: action {ref} is escalated to your agency",
    NoticeKind.ESCALATED_TO_CHAIR: "CASPA: action {ref} is escalated to the panel chair",
}


@dataclass(frozen=True)
class SweepResult:
    escalations_changed: int
    notices_recorded: int
    notices_sent: int
    digests_sent: int = 0


def _recipients(action: Action, kind: str) -> list[User]:
    if kind in (NoticeKind.DUE_SOON, NoticeKind.OVERDUE):
        spoc = action.owner_agency.spoc
        return [spoc] if spoc else []
    if kind == NoticeKind.ESCALATED_TO_SPOC:
        lead = action.case.lead_agency or action.owner_agency
        return [lead.spoc] if lead.spoc else []
    return list(User.objects.filter(role=Role.CHAIR, is_active=True))


def _due_kinds(action: Action, today: date, policy: rules.EscalationPolicy) -> list[str]:
    kinds = []
    reminder = rules.reminder_kind(
        status=action.status, due_on=action.due_on, today=today, policy=policy
    )
    if reminder:
        kinds.append(reminder)
    if action.escalation_level >= 1:
        kinds.append(NoticeKind.ESCALATED_TO_SPOC)
    if action.escalation_level >= 2:
        kinds.append(NoticeKind.ESCALATED_TO_CHAIR)
    return kinds


def record_due_notices(*, today: date) -> tuple[int, int]:
    """Steps 1 and 2. Returns (escalation levels changed, notices newly recorded)."""
    policy = rules.policy_from_settings(settings)
    window_end = today + timedelta(days=policy.remind_days_before_due)
    due = (
        Action.objects.filter(status__in=OPEN_STATUSES, due_on__lte=window_end)
        .annotate(last_update=Max("updates__written_at"))
        .select_related("owner_agency__spoc", "case__lead_agency__spoc")
    )
    changed = 0
    notices = []
    for action in due:
        last_update_on = timezone.localdate(action.last_update) if action.last_update else None
        level = rules.escalation_level(
            status=action.status,
            due_on=action.due_on,
            today=today,
            last_update_on=last_update_on,
            manual_level=action.manual_escalation_level,
            policy=policy,
        )
        if level != action.escalation_level:
            _set_escalation(action, level)
            changed += 1
        for kind in _due_kinds(action, today, policy):
            notices += [
                Notice(action=action, kind=kind, recipient=user)
                for user in _recipients(action, kind)
            ]
    before = Notice.objects.count() if notices else 0
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    recorded = Notice.objects.count() - before if notices else 0
    return changed, recorded


@transaction.atomic
def _set_escalation(action: Action, level: int) -> None:
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.escalation_level == level:
        return
    locked.escalation_level = level
    locked.version += 1
    locked.save()  # no request: history records no user, which is the truth (the sweep)
    action.escalation_level = level
    who = {1: "the lead agency's SPoC", 2: "the panel chair"}.get(level)
    summary = (
        f"Action {locked.reference} escalated to {who}"
        if who
        else (f"Escalation of action {locked.reference} ended")
    )
    record_event(locked.case, summary, by=None)


def _claim(notice_id: int, now) -> bool:
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)
    return (
        Notice.objects.filter(claimable, pk=notice_id, sent_at__isnull=True).update(claimed_at=now)
        == 1
    )


def _send(notice: Notice) -> None:
    action = notice.action
    link = settings.SITE_URL.rstrip("/") + reverse("actions:detail", args=[action.pk])
    subject = SUBJECTS[notice.kind].format(ref=action.reference)
    headline = subject.removeprefix("CASPA: ")
    body = f"{headline[:1].upper()}{headline[1:]}.\n\nSee the action and update it here:\n{link}\n"
    send_mail(subject, body, None, [notice.recipient.email])


def send_claimed_notices() -> int:
    """Step 3: claim each unsent notice, send it, mark it sent. Returns how many it sent."""
    sent = 0
    now = timezone.now()
    waiting = (
        Notice.objects.filter(sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES))
        .values_list("pk", flat=True)
    )
    for notice_id in list(waiting):
        if not _claim(notice_id, now):
            continue  # another sweep has it
        notice = Notice.objects.select_related("action", "recipient").get(pk=notice_id)
        try:
            _send(notice)
        except OSError:
            log.exception("Notice %s not sent; it will be tried again", notice_id)
            Notice.objects.filter(pk=notice_id).update(claimed_at=None)
            continue
        Notice.objects.filter(pk=notice_id).update(sent_at=timezone.now())
        sent += 1
    return sent


def record_weekly_digests(*, today: date) -> int:
    """One digest per SPoC per week, for agencies with open actions. Returns how many are new."""
    week_starting = today - timedelta(days=today.weekday())
    agencies = (
        Agency.objects.exclude(spoc=None)
        .annotate(
            open_count=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)),
            overdue_count=Count(
                "actions", filter=Q(actions__status__in=OPEN_STATUSES, actions__due_on__lt=today)
            ),
        )
        .filter(open_count__gt=0)
    )
    digests = [
        Digest(
            recipient_id=agency.spoc_id,
            week_starting=week_starting,
            open_count=agency.open_count,
            overdue_count=agency.overdue_count,
        )
        for agency in agencies
    ]
    before = Digest.objects.filter(week_starting=week_starting).count()
    Digest.objects.bulk_create(digests, ignore_conflicts=True)
    return Digest.objects.filter(week_starting=week_starting).count() - before


def pluralize(count: int) -> str:
    return "" if count == 1 else "s"


def send_claimed_digests() -> int:
    sent = 0
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES)
    for digest_id in list(
        Digest.objects.filter(claimable, sent_at__isnull=True).values_list("pk", flat=True)
    ):
        if (
            Digest.objects.filter(claimable, pk=digest_id, sent_at__isnull=True).update(
                claimed_at=now
            )
            != 1
        ):
            continue
        digest = Digest.objects.select_related("recipient").get(pk=digest_id)
        link = settings.SITE_URL.rstrip("/") + reverse("actions:list")
        send_mail(
            f"CASPA: your agency's actions, week of {digest.week_starting:%-d %B %Y}",
            f"Your agency has {digest.open_count} open CASPA "
            f"action{pluralize(digest.open_count)}, {digest.overdue_count} of them overdue.\n\n"
            f"See them, overdue first, and update them here:\n{link}\n",
            None,
            [digest.recipient.email],
        )
        Digest.objects.filter(pk=digest_id).update(sent_at=timezone.now())
        sent += 1
    return sent


def run_sweep(*, today: date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    changed, recorded = record_due_notices(today=today)
    record_weekly_digests(today=today)
    sent = send_claimed_notices()
    digests = send_claimed_digests()
    log.info(
        "Action sweep: %s escalations changed, %s notices recorded, %s sent, %s digests sent",
        changed,
        recorded,
        sent,
        digests,
    )
    return SweepResult(changed, recorded, sent, digests)
