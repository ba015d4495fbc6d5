"""The dashboard's period, chosen as two dates or a quick choice, and the Board report's
commentary."""

from django import forms
from django.utils import timezone

from caspa.core.forms import (
    BoundedModelForm,
    GovukDateField,
    version_field,
)
from dashboard import rules
from dashboard.models import BoardReport

PERIOD_FIELDS = {"start_day", "start_month", "start_year", "end_day", "end_month", "end_year"}
UNKNOWN_FILTER = (
    "The address asked for {names}, which the dashboard does not have. It shows the last "
    "period you chose instead."
)


class PeriodForm(forms.Form):
    """From and to, inclusive. A period the rules refuse is shown next to its field."""

    start = GovukDateField(
        label="From", label_for_errors="The start date", help_text="For example, 1 4 2026"
    )
    end = GovukDateField(
        label="To", label_for_errors="The end date", help_text="For example, 30 6 2026"
    )

    def __init__(self, data=None, *, today=None, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today or timezone.localdate()
        self.unknown = sorted(set(data or {}) - PERIOD_FIELDS) if data is not None else []

    def clean(self):
        cleaned = super().clean()
        if self.unknown:
            names = ", ".join(f"‘{name[:40]}’" for name in self.unknown[:3])
            raise forms.ValidationError(UNKNOWN_FILTER.format(names=names))
        start, end = cleaned.get("start"), cleaned.get("end")
        for name in ("start", "end"):
            if name not in self.errors and cleaned.get(name) is None:
                self.add_error(name, f"Enter the {'start' if name == 'start' else 'end'} date")
        if start and end:
            for name, message in rules.period_problems(start, end, today=self.today).items():
                self.add_error(name, message)
        return cleaned

    @property
    def period(self) -> rules.Period:
        return rules.Period(self.cleaned_data["start"], self.cleaned_data["end"])


class CommentaryForm(BoundedModelForm):
    version = version_field()

    class Meta:
        model = BoardReport
        fields = ["commentary"]
        widgets = {"commentary": forms.Textarea(attrs={"rows": 8})}
