"""References kept on one line in pages: {{ x|ref }}, and {{ text|refs }} for those in a text."""

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_a_reference_is_kept_on_one_line():
    assert render("{{ r|ref }}", r="C-000057") == '<span class="caspa-ref">C-000057</span>'
    assert render("{{ r|ref }}", r="") == ""


def test_each_reference_in_a_text_is_kept_on_one_line_and_the_rest_escaped():
    html = render("{{ t|refs }}", t="Action A-000284 (for C-000057) <b>done</b>")
    assert html == (
        'Action <span class="caspa-ref">A-000284</span> (for '
        '<span class="caspa-ref">C-000057</span>) &lt;b&gt;done&lt;/b&gt;'
    )


def test_a_text_already_made_safe_keeps_its_markup():
    html = render("{{ t|linebreaksbr|refs }}", t="R-000012 sent\nP-000098 linked")
    assert html == (
        '<span class="caspa-ref">R-000012</span> sent<br>'
        '<span class="caspa-ref">P-000098</span> linked'
    )


def test_a_number_that_is_not_a_reference_is_left_alone():
    assert render("{{ t|refs }}", t="Call 01632-960001 or X-000001") == (
        "Call 01632-960001 or X-000001"
    )
