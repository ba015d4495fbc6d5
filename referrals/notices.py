"""E-mails about referrals. They carry a link and the referral's reference, never a person's
name or details: e-mail leaves the council's systems."""

from django.conf import settings
from django.urls import reverse

from caspa.queue import enqueue_on_commit
from caspa.tasks import send_notice_email
from referrals.models import Referral


def link_to(referral: Referral) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])


def notify_more_information_needed(referral: Referral) -> None:
    enqueue_on_commit(
        send_notice_email,
        referral.created_by.email,
        f"CASPA: more information needed for referral {referral.reference}",
        "The CASPA coordinator has asked a question about a referral you made "
        f"({referral.reference}).\n\nRead the question and answer it here:\n"
        f"{link_to(referral)}\n",
    )


def notify_screening_decision(referral: Referral) -> None:
    enqueue_on_commit(
        send_notice_email,
        referral.created_by.email,
        f"CASPA: referral {referral.reference} has been screened",
        f"The CASPA coordinator has screened a referral you made ({referral.reference}).\n\n"
        f"See the decision here:\n{link_to(referral)}\n",
    )
