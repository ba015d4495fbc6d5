"""Twenty people editing the same case, action and referral at once, for half a minute
(docs/resilience.md): every change the app accepts is kept, every one it refuses is told so,
and the counts add up. Nothing is lost between two saves and nothing fails.

Each editor is a thread with its own database connection, posting to the real endpoints with
the version of the record they last saw: after their own save, the version it made; after a
refusal, the version the page showed them (caspa/core/locking.py)."""

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from actions import services as action_services
from actions.models import Action, ActionUpdate
from caspa.core.choices import ActionStatus
from panel.models import Case
from referrals.models import Referral
from tests.conftest import persona
from tests.factories import fill_pathway, make_referral

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("processes")]

EDITORS = 20
EDITING_SECONDS = 30  # the half a minute

VERSION = re.compile(r'name="version" value="(\d+)"')
# What the refused editor reads at the top of the page, for each record.
TOLD = {
    "case": "Someone else changed this case while you had it open",
    "action": "Someone else updated this action while you had it open",
    "referral": "Someone else changed this referral while you had it open",
}


@dataclass
class Tally:
    """What one editor did to one record: what they sent, by outcome."""

    accepted: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    other: list = field(default_factory=list)  # anything else: a 500, an error page, …


@dataclass
class Record:
    name: str
    url: str
    version: int

    def change(self, editor: int, attempt: int) -> tuple[str, dict]:
        """A change only this attempt makes (so the history shows whose it was), as posted."""
        mark = f"Editor {editor} change {attempt}"
        if self.name == "case":
            return mark, {"agency": self.agency, "officer": mark, "reason": "Agreed"}
        if self.name == "action":
            return mark, {"status": ActionStatus.IN_PROGRESS, "note": mark}
        return mark, {"persons_views": mark, "then": "later"}


@pytest.fixture
def records(rosa, cora, housing):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    [agency] = case.involved_agencies.all()
    action = action_services.action_agree(
        case=case, by=cora, owner_agency=agency, description="Visit", due_on=timezone.localdate()
    )
    draft = make_referral(rosa)
    case_record = Record("case", reverse("panel:case_appoint_lead", args=[case.pk]), case.version)
    case_record.agency = agency.pk
    return {
        "case": (case_record, case),
        "action": (
            Record("action", reverse("actions:update", args=[action.pk]), action.version),
            action,
        ),
        "referral": (
            Record(
                "referral",
                reverse("referrals:save_section", args=[draft.pk, "voice"]),
                draft.version,
            ),
            draft,
        ),
    }


def edit_for_a_while(number, clients, records, until, tallies, attempts, crashed):
    """One editor: each record in turn, with the version they last saw of it, until `until`.
    A refusal counts only if the page says so and keeps what they typed."""
    seen = {name: record.version for name, (record, _) in records.items()}
    attempt = 0
    try:
        while time.monotonic() < until:
            for name, (record, _) in records.items():
                attempt += 1
                attempts[number] = attempt
                mark, data = record.change(number, attempt)
                response = clients[name].post(record.url, {"version": seen[name], **data})
                tally = tallies[(number, name)]
                page = response.content.decode()
                if response.status_code == 302:
                    tally.accepted.append(mark)
                    seen[name] += 1  # their own save made the next version
                elif response.status_code == 409 and TOLD[name] in page and mark in page:
                    tally.refused.append(mark)
                    seen[name] = int(VERSION.search(page).group(1))  # the version shown
                else:
                    tally.other.append((mark, response.status_code))
    except Exception as error:  # said by the test, not lost in a thread
        crashed.append(repr(error))
    finally:
        connection.close()  # this thread's own connection


def test_twenty_editors_at_once_every_change_kept_or_told(records, cora, rosa, asc):
    coordinators = [cora] + [
        persona(f"coordinator{n}", f"Coordinator{n}", Role.COORDINATOR, asc)
        for n in range(1, EDITORS)
    ]
    clients = []
    for coordinator in coordinators:
        # The coordinator edits the case and the action; the referrer has the draft open in
        # twenty places at once (only she changes its answers).
        signed_in = {name: Client(raise_request_exception=False) for name in records}
        signed_in["case"].force_login(coordinator)
        signed_in["action"] = signed_in["case"]
        signed_in["referral"].force_login(rosa)
        clients.append(signed_in)
    started_at = timezone.now()
    tallies = {(n, name): Tally() for n in range(EDITORS) for name in records}
    attempts = dict.fromkeys(range(EDITORS), 0)  # counted by each editor as they go
    crashed = []
    until = time.monotonic() + EDITING_SECONDS
    threads = [
        threading.Thread(
            target=edit_for_a_while,
            args=(n, clients[n], records, until, tallies, attempts, crashed),
        )
        for n in range(EDITORS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert crashed == []
    totals = Counter()
    for name, (record, model_object) in records.items():
        accepted = [m for (_, r), t in tallies.items() if r == name for m in t.accepted]
        refused = [m for (_, r), t in tallies.items() if r == name for m in t.refused]
        other = [m for (_, r), t in tallies.items() if r == name for m in t.other]
        assert other == [], name  # no error page, no 500: each try accepted or refused
        assert accepted, name
        assert refused, name  # they really did collide
        kept = kept_changes(name, model_object, since=started_at)
        assert sorted(kept) == sorted(accepted), name  # every accepted change kept, once
        assert not set(kept) & set(refused), name  # no refused one
        now = type(model_object).objects.get(pk=model_object.pk)
        assert now.version == record.version + len(accepted), name
        totals.update({f"{name} accepted": len(accepted), f"{name} refused": len(refused)})
    assert sum(totals.values()) == sum(attempts.values())
    print(f"\n{EDITORS} editors, {EDITING_SECONDS} s, {sum(attempts.values())} tries: {totals}")


def kept_changes(name: str, record, *, since) -> list[str]:
    """What the record's own history holds of the editors' changes since they began."""
    if name == "case":
        history = Case.history.filter(id=record.pk, history_date__gte=since)
        return list(history.values_list("lead_officer", flat=True))
    if name == "action":
        notes = ActionUpdate.objects.filter(action=record, written_at__gte=since)
        saves = Action.history.filter(id=record.pk, history_date__gte=since)
        assert notes.count() == saves.count()  # each update saved the action once
        return list(notes.values_list("note", flat=True))
    history = Referral.history.filter(id=record.pk, history_date__gte=since)
    return list(history.values_list("persons_views", flat=True))
