"""A referral's whole journey in a real browser: Rosa (a referrer at Housing) fills it in,
makes a mistake and corrects it, and sends it; Cora (the panel coordinator) confirms who it
is about and asks a question; Rosa changes an answer, answers the question and sends it back;
Cora accepts it for panel.
On the way Rosa opens a question from the check page's list of what is still missing.

Every page on the way is checked by axe-core. All the data is plainly fictional.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from referrals.models import Referral
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Has the GP been told about the missed medication? Please add it to what was tried."


# --- small steps ------------------------------------------------------------------------------


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, username: str, check) -> None:
    page.goto("/")
    expect(page).to_have_title(re.compile("Sign in"))
    check(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text(re.compile(r"^Welcome, "))
    check(page)


def sign_out(page: Page, check) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(heading(page)).to_have_text("You have signed out")
    check(page)


def open_from_header(page: Page, item: str, check) -> None:
    link = page.get_by_role("navigation", name="Menu").get_by_role("link", name=item)
    link.click()
    expect(link).to_have_attribute("aria-current", "page")
    check(page)


def group(page: Page, legend: str):
    """A fieldset (radios, checkboxes, a date) by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def choose(page: Page, legend: str, option: str) -> None:
    group(page, legend).get_by_label(option, exact=True).check()


def save_and_continue(page: Page, next_heading: str, check) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(heading(page)).to_have_text(next_heading)
    check(page)


def screen_link(reference: str):
    """The queue's link to a referral: its reference, then (visually hidden) what it does."""
    return re.compile(rf"^{reference}\W+screen this referral$")


def summary_card(page: Page, title: str):
    """One section of the answers on a check or summary page, by its title."""
    return page.locator(".govuk-summary-card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def open_section(page: Page, title: str, check) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    expect(heading(page)).to_have_text(title)
    check(page)


# --- the sections, as Rosa fills them ---------------------------------------------------------


def fill_about_the_person(page: Page, *, year: str, nhs_number: str) -> None:
    page.get_by_label("Family name").fill("Example")
    page.get_by_label("Given names").fill("Alex")
    page.get_by_label("Other names (optional)").fill("Lexi Example")
    date_of_birth = group(page, "Date of birth")
    date_of_birth.get_by_label("Day").fill("17")
    date_of_birth.get_by_label("Month").fill("5")
    date_of_birth.get_by_label("Year").fill(year)
    page.get_by_label("NHS number (optional)").fill(nhs_number)
    page.get_by_label("Where they live").fill("Flat 2, 10 Example Road, Exampletown")
    page.get_by_label("Who they live with").fill("Lives alone; her adult son visits most days.")

    choose(page, "Ethnicity", "Not known")
    page.get_by_label("Why is their ethnicity not known?").fill(
        "Not yet asked: she was in crisis at the visit."
    )

    choose(page, "Gender", "Woman")
    page.get_by_label("Preferred language").fill("English")
    choose(page, "Do they need an interpreter?", "No")
    page.get_by_label("Disability").fill("None known.")
    page.get_by_label("Communication needs").fill("Short visits, with her support worker there.")


def fill_their_needs(page: Page) -> None:
    needs = group(page, "Which of these needs does the person have?")
    for need, evidence in [
        ("Poor self-care or self-neglect", "Not eating; found unwell at home on 2 June (Housing)."),
        ("Vulnerable housing or unstable tenancy", "Notice seeking possession served in May."),
    ]:
        box = page.get_by_label(f"Evidence of '{need}'")
        expect(box).to_be_hidden()
        needs.get_by_label(need, exact=True).check()
        expect(box).to_be_visible()  # revealed by GOV.UK Frontend's checkboxes script
        box.fill(evidence)
    choose(page, "Which need is most pressing?", "Poor self-care or self-neglect")


def fill_the_risk(page: Page) -> None:
    page.get_by_label("What is the risk?").fill(
        "She may die from untreated illness: she has missed three weeks of medication."
    )
    page.get_by_label("Why is it critical now?").fill(
        "She has stopped opening the door to the district nurses since May."
    )
    page.get_by_label("What has been tried, and by which agencies?").fill(
        "Housing: three visits and a tenancy support referral, all declined."
    )
    agencies = group(page, "Which agencies are involved with them today?")
    agencies.get_by_label("Housing", exact=True).check()
    agencies.get_by_label("Adult Social Care", exact=True).check()


def fill_safety_planning(page: Page) -> None:
    page.get_by_label("What risk and safety plan is in place now?").fill(
        "Housing visits twice a week; her son calls the duty team if she will not answer."
    )
    choose(page, "Is an interim protection plan in place until the panel meets?", "Yes")
    page.get_by_label("What is the interim protection plan?").fill(
        "Daily welfare call from the Housing officer until the panel meets."
    )


def fill_the_persons_voice(page: Page) -> None:
    page.get_by_label("What are the person's own views and wishes?").fill(
        "'I want to stay in my flat and I don't want strangers coming round.'"
    )
    choose(page, "Does the person consent to this referral?", "Yes, they consent to this referral")
    choose(page, "Was the person's mental capacity considered?", "Yes")
    page.get_by_label("What was concluded, or why was it not considered?").fill(
        "Social worker assessed her decision to refuse care on 3 June: she has capacity."
    )


def fill_risk_tools_used(page: Page) -> None:
    outcome = page.get_by_label("Score or outcome of 'Self-neglect tool'")
    expect(outcome).to_be_hidden()
    group(page, "Which risk tools have been used?").get_by_label(
        "Self-neglect tool", exact=True
    ).check()
    expect(outcome).to_be_visible()
    outcome.fill("High risk (assessed 4 June).")


def fill_about_you(page: Page) -> None:
    # Started from what CASPA knows about Rosa; she completes and corrects it.
    expect(page.get_by_label("Your work e-mail address")).to_have_value("rosa@example.org")
    page.get_by_label("Your role").fill("Housing officer, Tenancy Sustainment Team")
    page.get_by_label("Your agency").select_option(label="Housing")
    page.get_by_label("Your phone number").fill("01632 960123")
    page.get_by_label("When can you be reached?").fill("Monday to Thursday, 9am to 5pm.")


# --- the journey ------------------------------------------------------------------------------


def test_a_referral_is_made_questioned_answered_and_accepted(page, rosa, cora, assert_accessible):
    check = assert_accessible

    # 1. Rosa signs in and starts a referral.
    sign_in(page, "rosa", check)
    open_from_header(page, "Referrals", check)
    expect(heading(page)).to_have_text("Your referrals")
    page.get_by_role("button", name="Refer someone to CASPA").click()
    expect(heading(page)).to_have_text("Refer someone to CASPA")
    check(page)
    page.get_by_role("button", name="Start a referral").click()
    expect(heading(page)).to_have_text("Name not yet given")
    expect(page.get_by_text("You have completed 0 of 7 sections")).to_be_visible()
    check(page)
    open_section(page, "About the person", check)

    # 2. She mistypes the year of birth and the NHS number.
    fill_about_the_person(page, year="2099", nhs_number="943 476 5918")
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile("^Error: About the person"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["The date of birth must be in the past", re.compile("^Enter a real NHS number")]
    )
    expect(group(page, "Date of birth")).to_have_accessible_description(
        re.compile(r"Error:\s+The date of birth must be in the past")
    )
    nhs_number = page.get_by_label("NHS number (optional)")
    expect(nhs_number).to_have_accessible_description(
        re.compile(r"Error:\s+Enter a real NHS number")
    )
    check(page)

    # What she typed elsewhere is all still there, the follow-up answer included.
    expect(page.get_by_label("Family name")).to_have_value("Example")
    expect(page.get_by_label("Given names")).to_have_value("Alex")
    expect(page.get_by_label("Where they live")).to_have_value(
        "Flat 2, 10 Example Road, Exampletown"
    )
    expect(group(page, "Date of birth").get_by_label("Day")).to_have_value("17")
    expect(group(page, "Date of birth").get_by_label("Year")).to_have_value("2099")
    expect(group(page, "Ethnicity").get_by_label("Not known", exact=True)).to_be_checked()
    expect(page.get_by_label("Why is their ethnicity not known?")).to_have_value(
        "Not yet asked: she was in crisis at the visit."
    )
    expect(group(page, "Gender").get_by_label("Woman", exact=True)).to_be_checked()
    expect(page.get_by_label("Communication needs")).to_have_value(
        "Short visits, with her support worker there."
    )

    # The summary's link takes her to the first box of the date.
    summary.get_by_role("link", name="The date of birth must be in the past").click()
    expect(group(page, "Date of birth").get_by_label("Day")).to_be_focused()
    group(page, "Date of birth").get_by_label("Year").fill("1980")
    nhs_number.fill("943 476 5919")
    save_and_continue(page, "Their needs", check)

    # The task list shows the first section done; she carries on from there.
    page.get_by_role("link", name="Back to the referral").click()
    expect(heading(page)).to_have_text("Alex Example")
    expect(page.get_by_role("link", name="About the person")).to_have_accessible_description(
        "Completed"
    )
    check(page)

    # She looks at what is still missing; each link opens its question, saying what it needs.
    page.get_by_role("button", name="Check your answers and send").click()
    expect(heading(page)).to_have_text("Check your answers before sending")
    still_missing = page.locator(".govuk-error-summary")
    expect(still_missing).to_contain_text("Some answers are still needed")
    check(page)
    still_missing.get_by_role("link", name="Select at least one need").click()
    expect(heading(page)).to_have_text("Their needs")
    expect(
        group(page, "Which of these needs does the person have?")
    ).to_have_accessible_description(re.compile(r"Error:\s+Select at least one need"))
    check(page)
    fill_their_needs(page)
    save_and_continue(page, "The risk", check)
    fill_the_risk(page)
    save_and_continue(page, "Safety planning", check)
    fill_safety_planning(page)
    save_and_continue(page, "The person's voice", check)
    fill_the_persons_voice(page)
    save_and_continue(page, "Risk tools used", check)
    fill_risk_tools_used(page)
    save_and_continue(page, "About you, the referrer", check)
    fill_about_you(page)
    save_and_continue(page, "Check your answers before sending", check)

    # 3. She checks her answers and sends the referral.
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    person = summary_card(page, "About the person")
    expect(person).to_contain_text("17 May 1980")
    expect(person).to_contain_text("943 476 5919")
    page.get_by_role("button", name="Send for screening").click()
    expect(heading(page)).to_have_text("Referral sent")
    check(page)
    reference = page.get_by_text(re.compile(r"^R-\d{6}$")).inner_text()

    # 4. Cora confirms who it is about, and asks Rosa a question.
    sign_out(page, check)
    sign_in(page, "cora", check)
    open_from_header(page, "Screening", check)
    page.get_by_role("link", name=screen_link(reference)).click()
    expect(heading(page)).to_have_text("Alex Example")
    check(page)
    screening_url = page.url
    # Nobody held may be her: creating a record is the one thing to do, so it is a button.
    page.get_by_role("button", name="Create a new person record").click()
    expect(page.get_by_role("alert")).to_contain_text("linked to the person's record")
    check(page)
    page.get_by_label("What do you need to know?").fill(QUESTION)
    page.get_by_role("button", name="Send the question").click()
    expect(heading(page)).to_have_text("Referrals waiting for screening")
    expect(page.get_by_role("alert")).to_contain_text(f"{reference} is back with the referrer")
    check(page)

    # 5. Rosa reads the question, changes an answer and sends the referral again.
    sign_out(page, check)
    sign_in(page, "rosa", check)
    page.get_by_role("region", name="Waiting for your answer").get_by_role(
        "link", name=reference
    ).click()
    expect(heading(page)).to_have_text("Alex Example")
    expect(page.get_by_role("region", name="The coordinator asks")).to_contain_text(QUESTION)
    check(page)
    open_section(page, "The risk", check)
    tried = page.get_by_label("What has been tried, and by which agencies?")
    tried.press("End")
    tried.press_sequentially(" GP told on 5 June; the practice nurse will visit weekly.")
    save_and_continue(page, "Safety planning", check)
    page.get_by_role("link", name="Back to the referral").click()
    expect(heading(page)).to_have_text("Alex Example")
    check(page)
    page.get_by_label("Your answer").fill("Yes: the GP was told on 5 June. I have added it.")
    page.get_by_role("button", name="Send the referral back").click()
    expect(heading(page)).to_have_text("Referral sent back")
    check(page)

    # 6. Cora sees the answer in the queue and accepts the referral for panel.
    sign_out(page, check)
    sign_in(page, "cora", check)
    open_from_header(page, "Screening", check)
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text("Answered your question")
    row.get_by_role("link", name=screen_link(reference)).click()
    expect(heading(page)).to_have_text("Alex Example")
    check(page)
    page.get_by_role("button", name="Accept for panel").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"{reference} is accepted for the next panel meeting"
    )
    check(page)
    page.goto(screening_url)
    expect(page.get_by_text("Accepted: awaiting its first panel", exact=True)).to_be_visible()
    check(page)

    referral = Referral.objects.get()
    assert referral.reference == reference
    assert referral.status == "accepted"
    assert referral.person is not None
    assert "GP told on 5 June" in referral.tried_so_far
