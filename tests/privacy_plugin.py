"""The whole test run watched for a person's details leaving the app (docs/privacy.md).

Every log record the app would emit (INFO and above, caught by a handler on the root logger
and formatted with its arguments), every e-mail sent (`django.core.mail.outbox`) and every
e-mail written to the outbox table (`caspa.core.models.OutboxMessage`) during a test is read
at its teardown. A demo person's or a test's person's full name, date of birth or NHS number
in any of them fails the test, naming what leaked and where. Logs and e-mails carry
references (R-000123, C-000072, P-000001), never those details.

What is forbidden:
- the demo's people (`demo/referrals.py`): the named people of its story, every name its
  generated people can have, and every NHS number of the range the NHS keeps for testing
  (999 …), from which all the demo's numbers come;
- the factories' person (`tests.factories.complete_answers`) and those `fill_pathway` and
  `years_of_closed_cases` make (`Sample0`, `Closed0`);
- every person record and referral saved during the run (a `post_save` receiver), which
  catches the generated people's dates of birth and the names tests choose themselves.

A family name alone is not forbidden: the fictional ones are ordinary words ("Pretend",
"Storybook") that the demo's street names and prose use too. A full name is, in either order.

Registered by `pytest_plugins` in tests/conftest.py; `-p tests.privacy_plugin` loads it in
another run (its own tests do, with pytester). One regular expression is compiled for all the
values and compiled again only when a test saved someone new, so the watch costs the suite
next to nothing.
"""

import logging
import re
from datetime import date

import pytest

NHS_TEST_RANGE = r"999[ -]?\d{3}[ -]?\d{4}"
FACTORY_NAMES = [r"Sample\d+", r"Closed\d+"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def name_patterns(given: str, family: str) -> list[str]:
    """A person's full name as a log or an e-mail could write it, as patterns."""
    given, family = " ".join(given.split()), " ".join(family.split())
    if not given or not family:
        return []
    firsts = {given, given.split()[0]}
    patterns = []
    for first in firsts:
        first_re, family_re = _words(first), _words(family)
        patterns += [rf"{first_re}\s+{family_re}", rf"{family_re},?\s+{first_re}"]
    return patterns


def born_patterns(born: date | None) -> list[str]:
    """A date of birth in the ways the app writes dates."""
    if born is None:
        return []
    d, m, y = born.day, born.month, born.year
    month = MONTHS[m - 1]
    return [
        re.escape(born.isoformat()),
        rf"0?{d}/0?{m}/{y}",
        rf"0?{d}\s+(?:{month}|{month[:3]})\s+{y}",
    ]


def nhs_patterns(number: str) -> list[str]:
    digits = re.sub(r"\D", "", number or "")
    if len(digits) != 10:
        return []
    return [rf"{digits[:3]}[ -]?{digits[3:6]}[ -]?{digits[6:]}"]


def person_patterns(given, family, born, nhs) -> list[str]:
    return name_patterns(given, family) + born_patterns(born) + nhs_patterns(nhs)


def _words(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def known_patterns() -> list[str]:
    """What is forbidden before any test runs: the demo's people and the factories' ones."""
    from demo import referrals as demo
    from tests.factories import complete_answers

    patterns = [NHS_TEST_RANGE, *FACTORY_NAMES]
    for given, family, born, nhs, *_ in demo.PEOPLE:
        patterns += person_patterns(given, family, born, nhs)
    # Every name the generated people can have, in two patterns rather than a thousand.
    givens = "|".join(map(re.escape, demo.GIVEN_NAMES))
    families = "|".join(map(re.escape, demo.FAMILY_NAMES))
    patterns += [rf"(?:{givens})\s+(?:{families})", rf"(?:{families}),?\s+(?:{givens})"]
    answers = complete_answers()
    patterns += person_patterns(
        answers["given_names"],
        answers["family_name"],
        answers["date_of_birth"],
        answers["nhs_number"],
    )
    return patterns


class _Records(logging.Handler):
    """Every record at INFO and above that reaches the root logger, as it would be written."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.seen: list[tuple[str, str]] = []

    def emit(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is not ours to judge
            message = str(record.msg)
        self.seen.append((f"a log record ({record.levelname}, logger {record.name})", message))


class PrivacyWatch:
    def __init__(self):
        self.patterns: set[str] = set()
        self._compiled: re.Pattern | None = None
        self._compiled_size = 0
        self.records = _Records()
        self.outbox: list[tuple[str, str]] = []
        self._receivers = []
        self._connected = False

    # --- what is forbidden --------------------------------------------------------------
    def forbidden(self) -> re.Pattern:
        if self._compiled is None or self._compiled_size != len(self.patterns):
            # Longest first, so that a name is reported whole rather than by a shorter match.
            alternatives = sorted(self.patterns, key=len, reverse=True)
            self._compiled = re.compile(
                r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE
            )
            self._compiled_size = len(self.patterns)
        return self._compiled

    # Both receivers read the instance's own values (__dict__): a deferred field read here
    # would be a query of its own.
    def _saved(self, sender, instance, **kwargs):
        values = instance.__dict__
        self.patterns.update(
            person_patterns(
                values.get("given_names") or "",
                values.get("family_name") or "",
                values.get("date_of_birth"),
                values.get("nhs_number") or "",
            )
        )

    def _outbox_row(self, sender, instance, **kwargs):
        values = instance.__dict__
        text = "\n".join(str(values.get(name) or "") for name in ("subject", "body", "reference"))
        if text.strip():
            where = f"an outbox e-mail to {values.get('to')} ({values.get('kind') or 'no kind'})"
            self.outbox.append((where, text))

    # --- the run ------------------------------------------------------------------------
    def start(self):
        logging.getLogger().addHandler(self.records)

    def connect(self):
        """Once Django is ready (the first test's setup): what is forbidden, and the receivers
        that add to it and read the outbox."""
        if self._connected:
            return
        self._connected = True
        self.patterns.update(known_patterns())
        from django.db.models.signals import post_init, post_save

        from caspa.core.models import OutboxMessage
        from referrals.models import Person, Referral

        # post_init, not post_save: write_many() writes the outbox in bulk, without signals,
        # but builds each row first.
        for signal, receiver, sender in [
            (post_save, self._saved, Person),
            (post_save, self._saved, Referral),
            (post_init, self._outbox_row, OutboxMessage),
        ]:
            signal.connect(receiver, sender=sender, weak=False)
            self._receivers.append((signal, receiver, sender))

    def stop(self):
        logging.getLogger().removeHandler(self.records)
        for signal, receiver, sender in self._receivers:
            signal.disconnect(receiver, sender=sender)

    def forget(self):
        self.records.seen.clear()
        self.outbox.clear()

    def leaks(self) -> list[str]:
        texts = [*self.records.seen, *self.outbox, *_sent_mail()]
        if not texts:
            return []
        forbidden = self.forbidden()
        found = []
        for where, text in texts:
            hits = sorted({match.group(0) for match in forbidden.finditer(text)})
            if hits:
                shown = text if len(text) < 300 else text[:300] + "…"
                found.append(f"{', '.join(map(repr, hits))} in {where}: {shown!r}")
        return found


def _sent_mail() -> list[tuple[str, str]]:
    from django.core import mail

    sent = []
    for message in getattr(mail, "outbox", []):
        parts = [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        sent.append((f"an e-mail sent to {', '.join(message.to)}", "\n".join(map(str, parts))))
    return sent


def pytest_configure(config):
    watch = PrivacyWatch()
    config.pluginmanager.register(watch, "caspa-privacy-watch")
    watch.start()
    config.add_cleanup(watch.stop)


def _watch(item) -> PrivacyWatch:
    return item.config.pluginmanager.get_plugin("caspa-privacy-watch")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    watch = _watch(item)
    watch.connect()
    watch.forget()
    return (yield)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    # tryfirst: this wrapper is the outermost, so it reads what every fixture's teardown
    # logged and sent too.
    result = yield
    watch = _watch(item)
    leaks = watch.leaks()
    watch.forget()
    if leaks:
        pytest.fail(
            "A person's details left the app during this test (logs and e-mails carry "
            "references, never names, dates of birth or NHS numbers):\n  " + "\n  ".join(leaks),
            pytrace=False,
        )
    return result
