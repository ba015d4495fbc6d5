"""Template helpers that render Django form fields as GOV.UK Design System markup."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from caspa.core.forms import hint_blank_choice
from caspa.core.references import REFERENCE_PATTERN

register = template.Library()

# Keyed by Django's BoundField.widget_type: the widget's class name, lower case, without
# "Widget" or "Input" at the end.
WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "date": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}
CHOICE_WIDGETS = {"radioselect": "radios", "checkboxselectmultiple": "checkboxes"}


@register.filter
def govuk_widget(field):
    """The field's input with GOV.UK classes, its error state and what describes it."""
    base = WIDGET_CLASSES.get(field.widget_type, "")
    if field.widget_type == "select":
        hint_blank_choice(field.field)
    classes = [base, field.field.widget.attrs.get("class", "")]
    if field.errors and base:
        classes.append(f"{base}--error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if field.errors and field.widget_type == "govukdate":
        attrs["has_error"] = True
    described_by = describers(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    return field.as_widget(attrs=attrs)


@register.filter
def describers(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def choice_kind(field):
    """'radios' or 'checkboxes' for choice widgets, '' for the rest. (Asked first by the
    field template: a radio group's blank choice is named here, before its buttons render.)"""
    kind = CHOICE_WIDGETS.get(field.widget_type, "")
    if kind == "radios":
        hint_blank_choice(field.field, as_radio=True)
    return kind


@register.filter
def error_anchor(field):
    """Where the error summary's link for this field points: its first input."""
    if field.widget_type in CHOICE_WIDGETS or field.widget_type == "govukdate":
        return f"{field.auto_id}_0"
    return field.auto_id


def _revealing(form) -> dict:
    """A form's conditional questions: {field: {choice value: [fields it reveals]}}."""
    return getattr(form, "revealed_by_choice", {})


@register.filter
def revealed_by(field, value):
    """The bound fields shown when this choice is picked (GOV.UK conditional reveal)."""
    names = _revealing(field.form).get(field.name, {}).get(str(value), [])
    return [field.form[name] for name in names]


@register.filter
def is_revealed_field(field):
    """True for a field that is rendered inside the choice that reveals it, not on its own."""
    return any(
        field.name in names
        for choices in _revealing(field.form).values()
        for names in choices.values()
    )


# --- references never break at their hyphen ------------------------------------------------

REF_CLASS = "caspa-ref"


@register.filter
def ref(reference):
    """One reference kept on one line: {{ case.reference|ref }}."""
    if not reference:
        return ""
    return format_html('<span class="{}">{}</span>', REF_CLASS, reference)


@register.filter(needs_autoescape=True)
def refs(text, autoescape=True):
    """A text (a heading, a chronology line, a minute) with each reference in it kept on one
    line: {{ item.heading|refs }}; after linebreaksbr: {{ minute|linebreaksbr|refs }}."""
    if text is None or text == "":
        return ""
    escaped = conditional_escape(text) if autoescape else str(text)
    return mark_safe(
        re.sub(
            REFERENCE_PATTERN, lambda m: f'<span class="{REF_CLASS}">{m.group(0)}</span>', escaped
        )
    )
