"""Template helpers that render Django form fields as GOV.UK Design System markup."""

from django import template

register = template.Library()

WIDGET_CLASSES = {
    "textinput": "govuk-input",
    "emailinput": "govuk-input",
    "passwordinput": "govuk-input",
    "numberinput": "govuk-input",
    "urlinput": "govuk-input",
    "telinput": "govuk-input",
    "dateinput": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}
CHOICE_WIDGETS = {"radioselect": "radios", "checkboxselectmultiple": "checkboxes"}


@register.filter
def govuk_widget(field):
    """The field's input with GOV.UK classes, its error state and what describes it."""
    base = WIDGET_CLASSES.get(field.widget_type, "")
    classes = [base, field.field.widget.attrs.get("class", "")]
    if field.errors and base:
        classes.append(f"{base}--error")
    attrs = {"class": " ".join(c for c in classes if c)}
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
    """'radios' or 'checkboxes' for choice widgets, '' for the rest."""
    return CHOICE_WIDGETS.get(field.widget_type, "")


@register.filter
def error_anchor(field):
    """Where the error summary's link for this field points: its first input."""
    if field.widget_type in CHOICE_WIDGETS:
        return f"{field.auto_id}_0"
    return field.auto_id
