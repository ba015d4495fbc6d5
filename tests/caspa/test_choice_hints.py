"""Every select and radio group in CASPA offers words, never Django's "---------": each form
in the project, rendered through the GOV.UK field template as the pages render it."""

import importlib
import inspect
import pkgutil
import re
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from actions import services as action_services
from caspa.core.forms import DJANGO_BLANK, blank_choice_hint, hint_blank_choice
from tests.factories import fill_pathway


def project_form_modules():
    """Every module of the project's own apps whose name ends in "forms"."""
    found = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)) or "/.venv/" in config.path:
            continue
        package = importlib.import_module(config.name)
        if not hasattr(package, "__path__"):
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.endswith("forms"):
                found.append(importlib.import_module(f"{config.name}.{info.name}"))
    return found


def project_forms():
    """The project's forms; a base that others extend is checked through them."""
    every = _every_project_form()
    return [cls for cls in every if not any(o is not cls and issubclass(o, cls) for o in every)]


def _every_project_form():
    return sorted(
        {
            cls
            for module in project_form_modules()
            for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm)
            and cls.__module__ == module.__name__
            and not (issubclass(cls, forms.ModelForm) and cls._meta.model is None)
        },
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def instantiate(cls, given: dict):
    """The form, with the keyword arguments its __init__ asks for by name."""
    kwargs = {}
    for _ in range(6):
        try:
            return cls(**kwargs)
        except TypeError as refusal:
            wanted = re.findall(r"'(\w+)'", str(refusal))
            missing = [name for name in wanted if name in given and name not in kwargs]
            if not missing:
                raise
            kwargs.update({name: given[name] for name in missing})
    raise AssertionError(f"{cls.__name__} could not be made")


@pytest.fixture
def given(rosa, cora, housing):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    action = action_services.action_agree(
        case=referral.case,
        by=cora,
        owner_agency=housing,
        description="Repair the heating",
        due_on=timezone.localdate() + timedelta(days=1),
    )
    return {
        "referral": referral,
        "case": referral.case,
        "action": action,
        "candidates": [referral.person],
        "today": timezone.localdate(),
        "backup_codes_allowed": True,
    }


def test_the_walk_finds_the_forms_of_every_app():
    modules = {cls.__module__ for cls in project_forms()}
    assert {"referrals.forms", "panel.forms", "actions.forms", "dashboard.forms"} <= modules
    assert len(project_forms()) > 30


def test_no_form_offers_djangos_dashes(given):
    selects = 0
    for cls in project_forms():
        form = instantiate(cls, given)
        for bound in form:
            if not isinstance(bound.field, forms.ChoiceField):
                continue
            html = render_to_string("govuk/field.html", {"field": bound})
            assert DJANGO_BLANK not in html, f"{cls.__name__}.{bound.name}"
            selects += "<select" in html
    assert selects > 10  # the walk rendered the selects it set out to check


def test_a_blank_choice_reads_as_a_hint_from_its_label():
    assert blank_choice_hint("Agency") == "Choose an agency"
    assert blank_choice_hint("Lead agency") == "Choose a lead agency"
    assert blank_choice_hint("Your agency (optional)") == "Choose your agency"
    assert blank_choice_hint("Which need is most pressing?") == "Choose one"
    assert blank_choice_hint("NHS trust") == "Choose a NHS trust"  # the acronym kept


def test_a_select_and_a_radio_group_each_name_their_blank_choice():
    field = forms.ChoiceField(label="Signpost", choices=[("", DJANGO_BLANK), ("a", "A")])
    hint_blank_choice(field)
    assert list(field.widget.choices)[0] == ("", "Choose a signpost")
    radios = forms.ChoiceField(label="Signpost", choices=[("", DJANGO_BLANK), ("a", "A")])
    hint_blank_choice(radios, as_radio=True)
    assert list(radios.choices)[0] == ("", "None")
