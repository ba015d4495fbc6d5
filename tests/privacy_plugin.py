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
another run (its own tests do, with pytester). One compiled regular expression finds every
date, number and word in a text; each is looked up in a set of the forbidden values, so the
watch costs the suite next to nothing however many people the run has made.
"""

import logging
import re
from datetime import date

import pytest

# The shapes a date of birth or an NHS number is written in, and words: one expression finds
# every candidate in a text, and each is then looked up among the forbidden values (a set), so
# the cost does not grow with the number of people the run has made.
MONTHS = {
    name: n
    for n, month in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
    for name in (month, month[:3])
}
CANDIDATES = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"|(?P<slash>(?P<sd>\d{1,2})/(?P<sm>\d{1,2})/(?P<sy>\d{4}))"
    r"|(?P<written>(?P<wd>\d{1,2})\s+(?P<wm>[a-z]{3,9})\s+(?P<wy>\d{4}))"
    r"|(?P<nhs>\d{3}[ -]?\d{3}[ -]?\d{4})"
    r"|(?P<word>[^\W\d_][\w'’-]*)"
    r")(?![\w-])",
    re.IGNORECASE,
)
# The range the NHS keeps for testing, from which every demo number comes.
NHS_TEST_RANGE = "999"
# The names tests.factories makes by number (fill_pathway, years_of_closed_cases).
FACTORY_NAME = re.compile(r"(?:sample|closed)\d+", re.IGNORECASE)
# A full name is looked for in runs of up to this many words.
LONGEST_NAME = 4


def _words(text: str) -> str:
    """Words as a name is compared: lower case, one space, no comma, no possessive."""
    text = re.sub(r"['’]s\b", "", text.replace(",", " ").lower())
    return " ".join(text.split())


class Forbidden:
    """The persons' details no log or e-mail may carry."""

    def __init__(self):
        self.names: set[str] = set()
        self.born: set[date] = set()
        self.nhs: set[str] = set()

    def add_person(self, given: str, family: str, born: date | None, nhs: str) -> None:
        given, family = _words(given or ""), _words(family or "")
        if given and family:
            for first in {given, given.split()[0]}:
                self.names.update({f"{first} {family}", f"{family} {first}"})
        if born is not None:
            self.born.add(born)
        digits = re.sub(r"\D", "", nhs or "")
        if len(digits) == 10:
            self.nhs.add(digits)

    def found_in(self, text: str) -> list[str]:
        """What in the text is a forbidden value, as written there."""
        found, words = [], []  # the run of words just read: (its match, compared as)
        for match in CANDIDATES.finditer(text):
            kind = match.lastgroup
            if kind != "word":
                words = []
            if kind == "word":
                word = match.group(0)
                if FACTORY_NAME.fullmatch(word):
                    found.append(word)
                words = [*words[-(LONGEST_NAME - 1) :], (match, _words(word))]
                for start in range(len(words) - 1):
                    if " ".join(compared for _, compared in words[start:]) in self.names:
                        found.append(text[words[start][0].start() : match.end()])
            elif kind == "nhs":
                digits = re.sub(r"\D", "", match.group(0))
                if digits.startswith(NHS_TEST_RANGE) or digits in self.nhs:
                    found.append(match.group(0))
            elif self._is_born(match):
                found.append(match.group(0))
        return found

    def _is_born(self, match) -> bool:
        if match.group("iso"):
            parts = match.group("iy", "im", "id")
        elif match.group("slash"):
            parts = match.group("sy", "sm", "sd")
        else:
            month = MONTHS.get(match.group("wm").lower())
            if month is None:
                return False
            parts = (match.group("wy"), month, match.group("wd"))
        try:
            return date(*map(int, parts)) in self.born
        except ValueError:
            return False


def known() -> Forbidden:
    """What is forbidden before any test runs: the demo's people and the factories' ones."""
    from demo import referrals as demo
    from tests.factories import complete_answers

    forbidden = Forbidden()
    for given, family, born, nhs, *_ in demo.PEOPLE:
        forbidden.add_person(given, family, born, nhs)
    # Every name the generated people can have; their dates of birth are caught as they are
    # saved, when the demo is seeded.
    for family in demo.FAMILY_NAMES:
        for given in demo.GIVEN_NAMES:
            forbidden.add_person(given, family, None, "")
    answers = complete_answers()
    forbidden.add_person(
        answers["given_names"],
        answers["family_name"],
        answers["date_of_birth"],
        answers["nhs_number"],
    )
    return forbidden


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
        self.forbidden = Forbidden()
        self.records = _Records()
        self.outbox: list[tuple[str, str]] = []
        self._receivers = []
        self._connected = False

    # Both receivers read the instance's own values (__dict__): a deferred field read here
    # would be a query of its own.
    def _saved(self, sender, instance, **kwargs):
        values = instance.__dict__
        self.forbidden.add_person(
            values.get("given_names"),
            values.get("family_name"),
            values.get("date_of_birth"),
            values.get("nhs_number"),
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
        self.forbidden = known()
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
        found = []
        for where, text in [*self.records.seen, *self.outbox, *_sent_mail()]:
            hits = sorted(set(self.forbidden.found_in(text)))
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
