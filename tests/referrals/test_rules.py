"""The referral rules (referrals/rules/: one module each) as pure functions: no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referrals.choices import Need, RiskTool
from referrals.rules import age, completeness, matching, nhs_numbers, sections
from tests.factories import complete_answers

# --- NHS numbers ---


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_real_nhs_numbers_pass_the_check_digit(number):
    assert nhs_numbers.nhs_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    ["9434765918", "943476591", "94347659190", "abcdefghij", "", "1000000010", "943476591O"],
)
def test_impossible_nhs_numbers_fail(number):
    assert not nhs_numbers.nhs_number_is_valid(number)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_fits_each_nine_digits_unless_none_does(first_nine):
    valid = [d for d in "0123456789" if nhs_numbers.nhs_number_is_valid(first_nine + d)]
    assert len(valid) <= 1


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(0, 9))
def test_changing_any_one_digit_of_a_valid_number_is_caught(number, position):
    if not nhs_numbers.nhs_number_is_valid(number):
        return
    for other in "0123456789":
        if other != number[position]:
            changed = number[:position] + other + number[position + 1 :]
            assert not nhs_numbers.nhs_number_is_valid(changed)


# --- sounds-alike and close dates ---


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Robert", "R163"),
        ("Rupert", "R163"),
        ("Ashcraft", "A261"),
        ("Tymczak", "T522"),
        ("Pfister", "P236"),
        ("Smith", "S530"),
        ("Smyth", "S530"),
        ("Lee", "L000"),
        ("", ""),
    ],
)
def test_soundex_codes(name, code):
    assert matching.soundex(name) == code


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Smith", "Smyth", True),
        ("O'Neill", "ONeill", True),
        ("Brown-Ali", "brown ali", True),
        ("Khan", "Kahn", True),
        ("Smith", "Jones", False),
        ("", "", False),
    ],
)
def test_family_names_match_when_they_are_the_same_or_sound_alike(a, b, expected):
    assert matching.family_names_match(a, b) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(1980, 5, 17), date(1980, 5, 17), True),
        (date(1980, 5, 17), date(1980, 5, 19), True),  # two days off
        (date(1980, 5, 17), date(1980, 5, 20), False),  # three days off, two digits differ
        (date(1980, 5, 17), date(1981, 5, 17), True),  # one digit of the year
        (date(1980, 5, 17), date(1980, 6, 17), True),  # one digit of the month
        (date(1980, 5, 7), date(1980, 7, 5), True),  # day and month swapped
        (date(1980, 5, 17), date(1990, 6, 17), False),
        (date(1980, 12, 31), date(1981, 1, 1), True),  # a day apart across a year
    ],
)
def test_dates_of_birth_close(a, b, expected):
    assert matching.dates_of_birth_close(a, b) is expected


@given(st.dates(), st.dates())
def test_closeness_of_dates_is_symmetric(a, b):
    assert matching.dates_of_birth_close(a, b) == matching.dates_of_birth_close(b, a)


def identity(name="Example", born=date(1980, 5, 17), nhs=""):
    return matching.Identity(name, born, nhs)


@pytest.mark.parametrize(
    ("referred", "known", "expected"),
    [
        (identity(nhs="9434765919"), identity("Other", date(1950, 1, 1), "943 476 5919"), True),
        (identity("Smyth", date(1990, 1, 1)), identity("Smith"), False),
        (identity("Smyth"), identity("Smith"), True),
        (identity("Smith", date(1980, 8, 28)), identity("Smith"), False),
        (identity("Smith", date(1980, 5, 18)), identity("Smith"), True),
        (identity("Smith", None), identity("Smith"), False),
        (identity("Smith", date(1960, 1, 1)), identity("Smith"), False),
        (identity("Jones"), identity("Smith"), False),
    ],
)
def test_may_be_same_person(referred, known, expected):
    assert matching.may_be_same_person(referred, known) is expected


# --- age ---

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        (date(1980, 1, 1), None),
        (date(2008, 11, 23), None),  # eighteen today
        (date(2008, 11, 24), age.NOT_AN_ADULT),  # eighteen tomorrow
        (date(2026, 11, 24), age.BORN_IN_THE_FUTURE),
        (date(1900, 12, 31), age.BORN_TOO_LONG_AGO),
        (date(1901, 1, 1), None),
    ],
)
def test_date_of_birth_problems(born, problem):
    assert age.date_of_birth_problem(born, TODAY) == problem


def test_a_leap_day_birthday_turns_eighteen_on_the_first_of_march():
    born = date(2008, 2, 29)
    assert age.date_of_birth_problem(born, date(2026, 2, 28)) == age.NOT_AN_ADULT
    assert age.date_of_birth_problem(born, date(2026, 3, 1)) is None


# --- completeness ---


def complete():
    return {**complete_answers(), "agencies_involved": [1], "referrer_agency": 1}


def fields_missing(answers):
    return [m.field for m in completeness.missing_answers(answers)]


def test_a_complete_referral_misses_nothing():
    assert completeness.missing_answers(complete()) == []


ALWAYS_REQUIRED = [
    "family_name",
    "given_names",
    "date_of_birth",
    "address",
    "lives_with",
    "ethnicity",
    "gender",
    "preferred_language",
    "interpreter_needed",
    "disability",
    "communication_needs",
    "needs",
    "risk_description",
    "why_critical_now",
    "tried_so_far",
    "agencies_involved",
    "safety_plan",
    "interim_plan_in_place",
    "persons_views",
    "consent",
    "capacity_considered",
    "referrer_name",
    "referrer_role",
    "referrer_agency",
    "referrer_phone",
    "referrer_email",
    "referrer_availability",
]


@pytest.mark.parametrize("field", ALWAYS_REQUIRED)
@pytest.mark.parametrize("empty", [None, "", "   ", [], {}])
def test_each_required_answer_is_missed_when_blank(field, empty):
    answers = complete()
    answers[field] = empty
    assert field in fields_missing(answers)


@pytest.mark.parametrize("field", ["other_names", "nhs_number"])
def test_optional_answers_are_not_required(field):
    answers = complete()
    answers[field] = ""
    assert fields_missing(answers) == []


@pytest.mark.parametrize(
    ("trigger", "value", "follow_up"),
    [
        ("ethnicity", "not_known", "ethnicity_not_known_reason"),
        ("gender", "self_described", "gender_description"),
        ("interim_plan_in_place", "yes", "interim_plan"),
        ("interim_plan_in_place", "no", "interim_plan_why_not"),
        ("consent", "no", "consent_detail"),
        ("consent", "not_sought", "consent_detail"),
        ("capacity_considered", "yes", "capacity_conclusion"),
        ("capacity_considered", "no", "capacity_conclusion"),
    ],
)
def test_follow_up_answers_are_required_only_after_the_answer_that_asks_for_them(
    trigger, value, follow_up
):
    answers = complete()
    answers[trigger] = value
    answers[follow_up] = ""
    assert follow_up in fields_missing(answers)
    answers[follow_up] = "Explained"
    assert follow_up not in fields_missing(answers)


def test_not_known_ethnicity_needs_a_reason_but_a_known_one_does_not():
    answers = complete()
    answers["ethnicity_not_known_reason"] = ""
    assert "ethnicity_not_known_reason" not in fields_missing(answers)


@pytest.mark.parametrize("need", Need.values)
def test_every_need_ticked_needs_its_evidence(need):
    answers = complete()
    answers["needs"] = {need: ""}
    answers["primary_need"] = need
    assert fields_missing(answers) == [f"evidence_{need}"]


def test_the_most_pressing_need_must_be_one_of_those_ticked():
    answers = complete()
    answers["primary_need"] = "housing"
    missing = completeness.missing_answers(answers)
    assert [m.message for m in missing] == [
        "The most pressing need must be one of the needs you selected"
    ]


@pytest.mark.parametrize("tool", RiskTool.values)
def test_every_risk_tool_used_needs_its_score_or_outcome(tool):
    answers = complete()
    answers["risk_tools"] = {tool: " "}
    assert fields_missing(answers) == [f"outcome_{tool}"]


def test_no_risk_tool_is_acceptable_with_a_reason():
    answers = complete()
    answers["risk_tools"] = {}
    assert fields_missing(answers) == ["risk_tools"]
    answers["risk_tools_none_reason"] = "The person would not take part."
    assert fields_missing(answers) == []


def test_every_missing_answer_says_why_it_matters_and_where_it_goes():
    for missing in completeness.missing_answers({}):
        assert missing.why
        assert missing.section in sections.SECTIONS_BY_SLUG
        assert missing.field in sections.SECTIONS_BY_SLUG[missing.section].fields


@given(
    st.dictionaries(
        st.sampled_from(sorted(sections.FIELD_SECTION)),
        st.one_of(
            st.none(), st.text(max_size=5), st.just("not_known"), st.just("yes"), st.just("no")
        ),
    )
)
def test_the_rule_never_fails_on_any_partial_answers(answers):
    missing = completeness.missing_answers(answers)
    assert all(isinstance(m, completeness.Missing) for m in missing)


def test_section_states():
    answers = complete()
    assert completeness.section_state(answers, "person", []) == completeness.SectionState.COMPLETED
    for field in sections.SECTIONS_BY_SLUG["voice"].fields:
        answers[field] = ""
    missing = completeness.missing_answers(answers)
    assert (
        completeness.section_state(answers, "voice", missing)
        == completeness.SectionState.NOT_STARTED
    )
    answers["persons_views"] = "Wants to stay at home."
    missing = completeness.missing_answers(answers)
    assert (
        completeness.section_state(answers, "voice", missing)
        == completeness.SectionState.IN_PROGRESS
    )


def test_a_referral_made_today_for_someone_born_exactly_eighteen_years_ago_is_fine():
    born = TODAY - timedelta(days=365 * 18 + 5)
    assert age.date_of_birth_problem(born, TODAY) is None


def test_each_section_leads_to_the_next_and_the_last_to_none():
    slugs = [section.slug for section in sections.SECTIONS]
    assert [sections.section_after(slug) for slug in slugs] == [*slugs[1:], None]
