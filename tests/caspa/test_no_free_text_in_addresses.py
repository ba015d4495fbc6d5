"""No GET form can carry a name: every form a page sends by GET holds only choices, so that
nothing typed (a name, a date of birth, an NHS number) ends up in an address, a browser's
history or an access log. Free-text filters post, and go on to their list with only
references and choices in its address."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.addresses import free_text_in_get_forms
from tests.factories import fill_pathway

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Every template with a GET form, and a page that shows it (persona, address); a new GET form
# fails the first test until its page is here, so that the second test checks its boxes.
PAGES_WITH_GET_FORMS = {
    "panel/case_list.html": ("cora", lambda case: reverse("panel:cases")),
    "panel/case_chronology.html": (
        "cora",
        lambda case: reverse("panel:case_chronology", args=[case.pk]),
    ),
    "referrals/screening_queue.html": ("cora", lambda case: reverse("referrals:screening_queue")),
}


def get_forms_in(text: str) -> list[str]:
    """The opening tags of the template's forms sent by GET (a form without a method is)."""
    return [
        tag
        for tag in re.findall(r"<form\b[^>]*>", text, flags=re.IGNORECASE)
        if not re.search(r"""\bmethod\s*=\s*["']?post""", tag, flags=re.IGNORECASE)
    ]


def templates_with_get_forms() -> set[str]:
    return {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if get_forms_in(path.read_text(encoding="utf-8"))
    }


def test_every_template_with_a_get_form_has_its_page_checked():
    assert templates_with_get_forms() == set(PAGES_WITH_GET_FORMS)


def test_no_template_writes_a_free_text_box_into_a_get_form():
    # Boxes written in the template itself; those rendered from a form's fields are checked on
    # the rendered pages below.
    for name in templates_with_get_forms():
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        for form in re.findall(r"<form\b(?:(?!method=\"post\").)*?</form>", text, flags=re.S):
            assert free_text_in_get_forms(form) == [], name


@pytest.mark.parametrize("template", sorted(PAGES_WITH_GET_FORMS))
def test_the_get_forms_on_each_page_hold_only_choices(client_for, cora, rosa, template, request):
    persona, address = PAGES_WITH_GET_FORMS[template]
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    response = client_for(request.getfixturevalue(persona)).get(address(referral.case))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert get_forms_in(response.text), "the page no longer shows its GET form"
    assert free_text_in_get_forms(response.text) == []


@pytest.mark.parametrize(
    ("html", "found"),
    [
        (
            '<form method="get"><input name="q"></form>',
            ["input name='q' in the form to (this page)"],
        ),
        (
            '<form action="/x"><input type="search" name="q"></form>',
            ["input name='q' in the form to /x"],
        ),
        (
            '<form method="GET"><textarea name="t"></textarea></form>',
            ["textarea name='t' in the form to (this page)"],
        ),
        (
            '<form method="get"><select name="s"></select><input type="checkbox" name="c"></form>',
            [],
        ),
        ('<form method="post"><input type="text" name="q"></form>', []),
        ('<input type="text" name="q"><form method="get"></form>', []),
    ],
)
def test_a_box_a_name_could_be_typed_into_is_found_only_in_a_get_form(html, found):
    assert free_text_in_get_forms(html) == found
