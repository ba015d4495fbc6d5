"""E-mails about referrals. They carry a link and the referral's reference, never a person's
name or details: e-mail leaves the council's systems.

Each is written to the outbox in the caller's transaction (caspa/core/outbox.py): it exists
if and only if the decision does, and it is sent after the commit, or by the outbox sweep if
the broker is down."""

from django.conf import settings
from django.urls import reverse

from caspa.core import outbox
from referrals.models import Referral, ScreeningQuestion


def link_to(referral: Referral) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])


def notify_more_information_needed(referral: Referral) -> None:
    outbox.write(
        to=referral.created_by.email,
        subject=f"CASPA: more information needed for referral {referral.reference}",
        body="The CASPA coordinator has asked a question about a referral you made "
        f"({referral.reference}).\n\nRead the question and answer it here:\n"
        f"{link_to(referral)}\n",
        kind="referral.question",
        reference=referral.reference,
    )


def notify_question_answered(question: ScreeningQuestion) -> None:
    """The coordinator who asked is told the answer has come: the link, never the answer."""
    referral = question.referral
    link = settings.SITE_URL.rstrip("/") + reverse("referrals:screening_detail", args=[referral.pk])
    outbox.write(
        to=question.asked_by.email,
        subject=f"CASPA: referral {referral.reference} is back with an answer",
        body="The referrer has answered your question about a referral "
        f"({referral.reference}), and sent it back for screening.\n\n"
        f"Read the answer here:\n{link}\n",
        kind="referral.answered",
        reference=referral.reference,
    )


def notify_screening_decision(referral: Referral) -> None:
    outbox.write(
        to=referral.created_by.email,
        subject=f"CASPA: referral {referral.reference} has been screened",
        body=f"The CASPA coordinator has screened a referral you made ({referral.reference}).\n\n"
        f"See the decision here:\n{link_to(referral)}\n",
        kind="referral.screened",
        reference=referral.reference,
    )
