"""A dashboard table's cells, written in one step for each row: `{% load figure_cells %}`, then
`{% row_cells row %}` and `{% total_cells table.footer %}`. The template language took longer
over a page's few hundred cells than the dashboard's figures took to count
(docs/performance.md); what each cell says is the same, escaped as the template escapes."""

from html import escape

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from dashboard.tables import Row

register = template.Library()

CELL = '<td class="govuk-table__cell govuk-table__cell--numeric"'


def _number(value) -> str:
    """As the template writes a number: a whole one as its digits (when the settings group
    none), any other localised."""
    if isinstance(value, int) and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return localize(value)


def _hidden(cell) -> str:
    return f' data-hidden="{escape(cell.hidden.key)}"' if cell.hidden else ""


@register.simple_tag
def row_cells(row: Row) -> str:
    """Each figure: its number for the chart (`data-value`; empty when hidden), why it is
    hidden when it is, and its text."""
    return mark_safe(
        "".join(
            f'{CELL} data-value="{"" if cell.value is None else escape(_number(cell.value))}"'
            f"{_hidden(cell)}>{escape(cell.text)}</td>"
            for cell in row.cells
        )
    )


@register.simple_tag
def total_cells(row: Row) -> str:
    """The totals: no number for the chart, which draws no total."""
    return mark_safe(
        "".join(
            f"{CELL}{_hidden(cell)}><strong>{escape(cell.text)}</strong></td>" for cell in row.cells
        )
    )
