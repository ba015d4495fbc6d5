"""The reminder sweep on PostgreSQL: each notice once, escalation, nothing when nothing is due."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import agency_appoint_spoc
from actions import rules, services
from actions.models import Action, Notice, NoticeKind
from actions.sweep import actions_to_look_at, record_due_notices, run_sweep
from caspa.core.models import OutboxMessage
from caspa.core.outbox import send_waiting
from tests.factories import fill_pathway


@pytest.fixture
def action(rosa, cora, harriet, housing):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    return services.action_agree(
        case=referral.case,
        by=cora,
        owner_agency=housing,
        description="Repair the heating",
        due_on=timezone.localdate(),
    )


def action_emails():
    return [email for email in mail.outbox if "CASPA: action" in email.subject]


def overdue_by(action, days):
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=days))


def test_an_overdue_action_sends_its_spoc_one_email_with_a_link_and_nothing_personal(action):
    overdue_by(action, 2)
    run_sweep(today=timezone.localdate())
    [email] = action_emails()
    assert email.to == ["harriet@example.org"]
    assert email.subject == f"CASPA: action {action.reference} is overdue"
    assert f"/actions/{action.pk}/" in email.body
    for detail in ("heating", "Alex", "Sample", action.case.person.family_name):
        assert detail not in email.body + email.subject
    run_sweep(today=timezone.localdate())
    assert len(action_emails()) == 1  # sent once, however often the sweep runs


def test_a_sweep_with_nothing_due_sends_nothing(action):
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() + timedelta(days=30))
    result = run_sweep(today=timezone.localdate())
    assert (result.notices_recorded, result.notices_sent) == (0, 0)
    assert action_emails() == []


def test_seven_days_overdue_escalates_to_the_lead_agencys_spoc_then_the_chair(action, chidi):
    overdue_by(action, 7)
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    assert action.escalation_level == 1
    assert Notice.objects.filter(kind=NoticeKind.ESCALATED_TO_SPOC).count() == 1
    assert "escalated to the lead agency's SPoC" in action.case.events.last().summary
    saved = action.history.first()  # a new version in its history, by no one: the sweep
    assert (saved.escalation_level, saved.history_user, saved.version) == (1, None, 2)
    assert action.escalations.get().history.count() == 1
    run_sweep(today=timezone.localdate() + timedelta(days=14))  # two weeks on, nothing moved on it
    action.refresh_from_db()
    assert action.escalation_level == 2
    chair_notice = Notice.objects.get(kind=NoticeKind.ESCALATED_TO_CHAIR)
    assert chair_notice.recipient == chidi
    assert chair_notice.message.sent_at is not None
    assert chair_notice.message.to == chidi.email


def test_finishing_the_action_closes_the_escalation(action, harriet):
    overdue_by(action, 8)
    run_sweep(today=timezone.localdate())
    action.refresh_from_db()
    services.action_update(
        action_id=action.pk,
        by=harriet,
        version=action.version,
        status="done",
        note="Fixed on Monday",
    )
    action.refresh_from_db()
    assert action.escalation_level == 0
    assert "Escalation of action" in action.case.events.last().summary or (
        "Done" in action.case.events.last().summary
    )


def test_a_claimed_notice_is_not_sent_by_another_sweep(action):
    overdue_by(action, 2)
    record_due_notices(today=timezone.localdate())
    notice = Notice.objects.get()
    # Another worker claimed its e-mail a moment ago and is sending it.
    OutboxMessage.objects.filter(pk=notice.message_id).update(claimed_at=timezone.now())
    assert send_waiting()["action.overdue"] == 0
    assert action_emails() == []
    assert OutboxMessage.objects.get(pk=notice.message_id).sent_at is None


def test_a_claim_left_by_a_killed_worker_is_taken_over_later(action, settings):
    overdue_by(action, 2)
    record_due_notices(today=timezone.localdate())
    expired = timezone.now() - settings.OUTBOX_CLAIM_LEASE - timedelta(seconds=1)
    OutboxMessage.objects.update(claimed_at=expired)
    assert send_waiting()["action.overdue"] == 1
    assert len(action_emails()) == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_still_send_each_notice_once(rosa, cora, harriet, housing):
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    cases = [r.case for r, _ in fill_pathway(rosa, cora, 3)]
    for case in cases:
        action = services.action_agree(
            case=case,
            by=cora,
            owner_agency=housing,
            description="Visit",
            due_on=timezone.localdate(),
        )
        overdue_by(action, 2)
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            run_sweep(today=timezone.localdate())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(email.subject for email in action_emails()) == sorted(
        f"CASPA: action {a.reference} is overdue" for a in Action.objects.all()
    )


def test_each_spoc_gets_one_weekly_digest_of_counts_and_a_link(action, harriet):
    overdue_by(action, 2)
    first = run_sweep(today=timezone.localdate())
    second = run_sweep(
        today=timezone.localdate() + timedelta(days=1)
        if timezone.localdate().weekday() < 6
        else timezone.localdate()
    )
    assert first.digests_sent == 1
    assert second.digests_sent == 0
    [digest] = [e for e in mail.outbox if "your agency's actions" in e.subject]
    assert digest.to == ["harriet@example.org"]
    assert "1 open CASPA action, 1 of them overdue" in digest.body
    assert "/actions/" in digest.body
    assert "heating" not in digest.body


def test_a_new_week_brings_a_new_digest(action):
    run_sweep(today=timezone.localdate())
    assert run_sweep(today=timezone.localdate() + timedelta(days=7)).digests_sent == 1


def looked_at(today):
    return list(actions_to_look_at(today=today, policy=rules.policy_from_settings(settings)))


def test_a_sweep_with_nothing_new_reads_none_of_the_actions_it_has_dealt_with(
    action, harriet, django_assert_max_num_queries
):
    overdue_by(action, 2)
    run_sweep(today=timezone.localdate())
    assert looked_at(timezone.localdate()) == []
    with django_assert_max_num_queries(9):
        result = run_sweep(today=timezone.localdate())
    assert (result.notices_recorded, result.emails_sent) == (0, 0)
    action.refresh_from_db()
    services.action_update(
        action_id=action.pk, by=harriet, version=action.version, status="in_progress", note="Booked"
    )
    assert looked_at(timezone.localdate()) == [
        action
    ]  # an update changes what is due: it is read again
    run_sweep(today=timezone.localdate())
    assert looked_at(timezone.localdate()) == []


def test_an_action_is_read_again_on_the_dates_its_reminders_and_escalation_fall_due(action):
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() + timedelta(days=10))
    kinds = []
    for day in range(25):
        today = timezone.localdate() + timedelta(days=day)
        if looked_at(today):
            run_sweep(today=today)
            kinds.append((day, sorted(n.kind for n in Notice.objects.filter(action=action))))
    assert kinds == [
        (7, [NoticeKind.DUE_SOON]),  # 3 days before it is due
        (11, [NoticeKind.DUE_SOON, NoticeKind.OVERDUE]),
        (17, [NoticeKind.DUE_SOON, NoticeKind.ESCALATED_TO_SPOC, NoticeKind.OVERDUE]),
    ]
    assert [e.subject for e in action_emails()] == [
        f"CASPA: action {action.reference} is {what}"
        for what in ("due soon", "overdue", "escalated to your agency")
    ]


def sweep_queries(count, cora, case, housing):
    made = [
        services.action_agree(
            case=case,
            by=cora,
            owner_agency=housing,
            description="Visit",
            due_on=timezone.localdate(),
        )
        for _ in range(count)
    ]
    for n, action in enumerate(made):
        overdue_by(action, 8 if n % 2 else 2)  # half of them escalated by this sweep
    with CaptureQueriesContext(connection) as queries:
        result = run_sweep(today=timezone.localdate())
    assert result.notices_recorded == count + count // 2
    return len(queries)


def test_the_sweep_costs_the_same_queries_for_2_actions_due_as_for_8(
    rosa, cora, harriet, housing, chidi, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite (the demo) claims and next dates are one update each")
    settings.OUTBOX_BATCH_SIZE = 50  # one batch of e-mails either way
    agency_appoint_spoc(agency=housing, spoc=harriet, by=cora)
    first, second = [r.case for r, _ in fill_pathway(rosa, cora, 2)]
    services.action_agree(
        case=first,
        by=cora,
        owner_agency=housing,
        description="Later",
        due_on=timezone.localdate() + timedelta(30),
    )
    run_sweep(
        today=timezone.localdate()
    )  # this week's digest, and the sweep's first record of itself
    few = sweep_queries(2, cora, first, housing)
    many = sweep_queries(8, cora, second, housing)
    assert few == many
