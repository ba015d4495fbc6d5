"""The referrer's reply, in a real browser: Cora (the panel coordinator) asks Rosa (a referrer
at Housing) a question about her referral; Rosa finds it in her list, tries to send the
referral back without answering and is told so by the box, answers, and sends it back; Cora
is e-mailed and reads the question and its answer together on the screening page and in its
history. Rosa also deletes a draft she will not send.

Every page on the way is checked by axe-core. All the data is plainly fictional.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from referrals.models import Referral, ScreeningQuestion
from tests.factories import PASSWORD, make_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Who does she live with now? The referral gives two addresses."
ANSWER = "She lives with her brother now; the second address was her old flat."


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, username: str, check) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text(re.compile(r"^Welcome, "))
    check(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(heading(page)).to_have_text("You have signed out")


def screen_link(reference: str):
    return re.compile(rf"^{reference}\W+screen this referral$")


def test_the_referrer_answers_the_question_and_the_coordinator_reads_both(
    page, rosa, cora, assert_accessible
):
    check = assert_accessible
    referral = make_referral(rosa, submit=True)
    draft = make_referral(rosa, nhs_number="", family_name="Notsent")
    reference = referral.reference

    # 1. Cora asks her question from the screening page.
    sign_in(page, "cora", check)
    page.goto("/referrals/screening/")
    page.get_by_role("link", name=screen_link(reference)).click()
    expect(heading(page)).to_have_text("Alex Example")
    page.get_by_label("What do you need to know?").fill(QUESTION)
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{reference} is back with the referrer")
    sign_out(page)

    # 2. Rosa finds it in her list, under what is waiting for her.
    sign_in(page, "rosa", check)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    expect(heading(page)).to_have_text("Your referrals")
    page.get_by_role("link", name="More information asked for (1)").click()
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text("More information asked for")
    expect(page.get_by_role("row", name=re.compile(draft.reference))).to_have_count(0)
    check(page)
    row.get_by_role("link", name=reference).click()
    expect(heading(page)).to_have_text("Alex Example")
    expect(page.get_by_role("region", name="The coordinator asks")).to_contain_text(QUESTION)
    check(page)

    # 3. She sends it back without an answer: the box says what is needed.
    page.get_by_role("button", name="Send the referral back").click()
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    box = page.get_by_label("Your answer")
    expect(box).to_have_accessible_description(
        re.compile(r"Error:\s+Enter your answer to the coordinator's question")
    )
    check(page)
    summary.get_by_role("link", name="Enter your answer to the coordinator's question").click()
    expect(box).to_be_focused()

    # 4. She answers, and sends it back.
    box.fill(ANSWER)
    page.get_by_role("button", name="Send the referral back").click()
    expect(heading(page)).to_have_text("Referral sent back")
    check(page)
    page.get_by_role("link", name="See your referrals and where each stands").click()
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text(
        "Waiting for screening"
    )

    # 5. And deletes the draft she will not send, after saying she is sure.
    page.get_by_role("link", name="Drafts (1)").click()
    page.get_by_role("link", name=draft.reference).click()
    page.get_by_role("link", name="Delete this draft").click()
    expect(heading(page)).to_have_text("Are you sure you want to delete this draft?")
    check(page)
    page.get_by_role("button", name="Delete this draft").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Draft referral {draft.reference}")
    expect(page.get_by_role("link", name="Drafts (0)")).to_be_visible()
    check(page)
    sign_out(page)

    # 6. Cora was e-mailed a link; she reads the question and the answer together.
    [told] = [email for email in mail.outbox if email.to == [cora.email]]
    assert reference in told.subject
    assert ANSWER not in told.body
    sign_in(page, "cora", check)
    page.goto("/referrals/screening/")
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text("Answered your question")
    row.get_by_role("link", name=screen_link(reference)).click()
    exchange = page.locator("dl").filter(has_text=QUESTION)
    expect(exchange).to_contain_text(ANSWER)
    expect(exchange).to_contain_text("Answer from Rosa")
    history = page.locator(".caspa-history")
    expect(history).to_contain_text("Answered the coordinator's question")
    expect(history).to_contain_text(ANSWER)
    check(page)

    question = ScreeningQuestion.objects.get(referral=referral)
    assert question.answer == ANSWER
    assert Referral.objects.get(pk=referral.pk).status == "submitted"
    assert not Referral.objects.filter(pk=draft.pk).exists()
