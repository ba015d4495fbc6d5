"""Every form renders as GOV.UK Design System markup through these templates."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms.renderers import TemplatesSetting

OUT_OF_DATE = "This page is out of date. Reload it, check what it shows, and try again."

# --- bounded numbers (docs/bounded-input.md) ----------------------------------------------
# Every whole number a form takes is one its column can hold, on PostgreSQL and on SQLite, so
# a number too big is the field's own error, never a database error (a 500).

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1  # a 64-bit column: bigint, SQLite's INTEGER
# Each integer column's range: PostgreSQL's, the narrowest of the two databases (SQLite holds
# 64 bits in every integer column).
COLUMN_RANGES = {
    **BaseDatabaseOperations.integer_field_ranges,
    "AutoField": (1, 2**31 - 1),
    "BigAutoField": (1, BIGINT_MAX),
    "SmallAutoField": (1, 2**15 - 1),
}


def column_range(model_field) -> tuple[int, int] | None:
    """The whole numbers a model field's column holds; None for a column of another kind."""
    return COLUMN_RANGES.get(model_field.get_internal_type())


class BoundedIntegerField(forms.IntegerField):
    """A whole number within a 64-bit column's range, or the narrower range it is given."""

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        min_value = BIGINT_MIN if min_value is None else max(min_value, BIGINT_MIN)
        max_value = BIGINT_MAX if max_value is None else min(max_value, BIGINT_MAX)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


def version_field():
    """The version of the record the page showed: how a save from a stale page is caught."""
    return BoundedIntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=COLUMN_RANGES["PositiveIntegerField"][1],
        error_messages={
            "required": OUT_OF_DATE,
            "invalid": OUT_OF_DATE,
            "min_value": OUT_OF_DATE,
            "max_value": OUT_OF_DATE,
        },
    )


class KeyInRange:
    """A choice of records by key: a key its column cannot hold is not one of the choices,
    refused with the field's own "not a valid choice" message before any query is made."""

    def key_in_range(self, value) -> bool:
        meta = self.queryset.model._meta
        key = meta.pk if self.to_field_name in (None, "pk") else meta.get_field(self.to_field_name)
        bounds = column_range(key)
        if bounds is None:
            return True
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return True  # not a number at all: Django refuses it as usual
        return bounds[0] <= number <= bounds[1]


class BoundedModelChoiceField(KeyInRange, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not self.key_in_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(KeyInRange, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            values = frozenset()  # Django's own check refuses a value that is not a list
        for each in values:
            if not self.key_in_range(each):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": each},
                )
        return super()._check_values(value)


def bounded_formfield(db_field, **kwargs):
    """A ModelForm's `formfield_callback`: its model's keys and whole numbers, bounded."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    elif (bounds := column_range(db_field)) is not None and not db_field.choices:
        kwargs.setdefault("form_class", BoundedIntegerField)
        kwargs.setdefault("min_value", bounds[0])
        kwargs.setdefault("max_value", bounds[1])
    return db_field.formfield(**kwargs)


class BoundedModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = bounded_formfield
        return super().__new__(mcs, name, bases, attrs)


class BoundedModelForm(forms.ModelForm, metaclass=BoundedModelFormMetaclass):
    """A ModelForm whose keys and whole numbers are bounded (`bounded_formfield`), whatever
    its own Meta says."""


def add_validation_errors(form, error: ValidationError) -> None:
    """A service's ValidationError, shown on the form: by field where it names one."""
    pairs = (
        error.message_dict.items() if hasattr(error, "message_dict") else [(None, error.messages)]
    )
    for field, messages in pairs:
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The Design System's date input: day, month and year as three boxes."""

    template_name = "govuk/date_widget.html"
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(
                attrs={"inputmode": "numeric", "maxlength": 4 if size == 4 else 2}
            )
            for name, _label, size in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_name, label, size) in zip(
            context["widget"]["subwidgets"], self.parts, strict=True
        ):
            subwidget["label"] = label
            subwidget["size"] = size
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month, year, with the Design System's error messages."""

    widget = GovukDateWidget

    def __init__(self, *, label_for_errors: str, **kwargs):
        self.label_for_errors = label_for_errors
        fields = (forms.CharField(max_length=4, required=False),) * 3
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or all(not (part or "").strip() for part in data_list):
            return None
        day, month, year = ((part or "").strip() for part in data_list)
        name = self.label_for_errors
        missing = [
            label for label, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{name} must be a real date, in numbers, like 27 3 1981")
        if len(year) != 4:
            raise ValidationError(f"{name} must include a year with 4 numbers, like 1981")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{name} must be a real date") from None


# --- the blank choice of a select -------------------------------------------------------

DJANGO_BLANK = "---------"  # Django's own label for "nothing chosen", never shown


def blank_choice_hint(label) -> str:
    """What a select offers before anything is chosen, from its label: "Choose an agency";
    for a question ("Who leads?"), "Choose one"."""
    label = str(label or "").removesuffix(" (optional)").strip()
    if not label or label.endswith("?"):
        return "Choose one"
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        label = label[0].lower() + label[1:]
    if label.startswith(("the ", "a ", "an ", "your ", "their ")):
        return f"Choose {label}"
    article = "an" if label[0].lower() in "aeiou" else "a"
    return f"Choose {article} {label}"


NOTHING_CHOSEN = "None"  # the blank choice as a radio button


def hint_blank_choice(field: forms.Field, *, as_radio: bool = False) -> None:
    """Replace Django's "---------" in a choice field (each form has its own copy of its
    fields) with a hint from the field's label, or "None" among radio buttons. Called by
    the template tags that render every select and radio group (caspa/templatetags/govuk.py),
    so no form need remember it."""
    wanted = NOTHING_CHOSEN if as_radio else blank_choice_hint(field.label)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_BLANK:
            field.empty_label = wanted
        return
    if not isinstance(field, forms.ChoiceField):
        return
    choices = list(field.choices)
    if any(label == DJANGO_BLANK for _value, label in choices):
        field.choices = [
            (value, wanted if label == DJANGO_BLANK else label) for value, label in choices
        ]
