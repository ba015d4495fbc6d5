"""The watch on the whole test run (tests/privacy_plugin.py) fails a test whose logs or
e-mails carry a demo person's name, date of birth or NHS number, and names what leaked and
where; a test whose logs and e-mails carry only references passes."""

import os
from datetime import date
from pathlib import Path

import pytest

from tests import privacy_plugin

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]

INNER = """
import logging

from django.core import mail

from caspa.core.models import OutboxMessage

log = logging.getLogger("referrals.services")


def test_a_log_with_a_demo_persons_name():
    log.info("Referral R-000012 submitted for %s", "Alex Example")


def test_a_log_with_a_demo_persons_date_of_birth():
    log.warning("Possible match born %s", "14 March 1979")


def test_an_email_with_a_demo_persons_nhs_number():
    mail.send_mail("Case C-000072", "NHS number 999 000 0077", "a@example.org", ["b@example.org"])


def test_an_outbox_email_with_a_factory_persons_name():
    OutboxMessage(to="b@example.org", subject="R-000001", body="About Alex Example", kind="t")


def test_a_log_and_an_email_with_only_references():
    log.info("Referral %s accepted as %s", "R-000012", "C-000072")
    mail.send_mail("Case C-000072", "Person P-000001", "a@example.org", ["b@example.org"])
"""


@pytest.fixture
def run_watched(pytester, monkeypatch):
    """Runs the test file given in a new pytest process with the watch, as the suite has it."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "caspa.settings")
    monkeypatch.setenv("DJANGO_ENV", os.environ.get("DJANGO_ENV", "test"))

    def run(source: str):
        pytester.makepyfile(test_inner=source)
        return pytester.runpytest_subprocess("-p", "tests.privacy_plugin", "-p", "no:cacheprovider")

    return run


def test_a_test_that_leaks_a_persons_details_fails_naming_them_and_a_test_with_references_passes(
    run_watched,
):
    result = run_watched(INNER)
    # Each leaking test fails at its teardown, after its own body passed.
    result.assert_outcomes(passed=5, errors=4)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_a_log_with_a_demo_persons_name*",
            "*'Alex Example' in a log record (INFO, logger referrals.services)*",
            "*'14 March 1979' in a log record (WARNING, logger referrals.services)*",
            "*'999 000 0077' in an e-mail sent to b@example.org*",
            "*'Alex Example' in an outbox e-mail to b@example.org (t)*",
        ]
    )
    assert "test_a_log_and_an_email_with_only_references" not in "".join(
        line for line in result.stdout.lines if "ERROR at teardown" in line
    )


@pytest.mark.parametrize(
    "text",
    [
        "Alex Example",
        "Example, Alex",
        "EXAMPLE alex",
        "Alex Example's",
        "Ash  Imaginary",
        "Sample12",
        "943 476 5919",
        "9991000003",
        "17/05/1980",
        "1980-05-17",
        "17 May 1980",
        "14 Mar 1979",
    ],
)
def test_a_persons_details_however_written_are_forbidden(text):
    assert privacy_plugin.known().found_in(f"Referral R-000012 for {text}.") == [text]


def test_a_person_saved_during_the_run_is_forbidden_too():
    forbidden = privacy_plugin.known()
    forbidden.add_person("Kim Jo", "Okafor-Lee", date(1961, 2, 3), "")
    for text in ["Kim Okafor-Lee", "Okafor-Lee, Kim Jo", "3 February 1961"]:
        assert text in forbidden.found_in(f"Case C-000072: {text}")


@pytest.mark.parametrize(
    "text",
    [
        "R-000012",
        "C-000072",
        "Alex",
        "Example",
        "Pretend Lane, Luton",
        "rosa@example.org",
        "01632 960000",
        "8 December 2026",
        "1234567890",
    ],
)
def test_references_first_names_and_other_words_and_numbers_are_not_forbidden(text):
    assert privacy_plugin.known().found_in(f"Referral R-000012 for {text}.") == []
