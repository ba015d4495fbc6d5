"""Bounded input everywhere (docs/bounded-input.md): every form's whole numbers and record
choices fit the database's columns, no address takes a number no column holds, and every POST
endpoint, sent anything at all, answers without a server error, changes nothing when it
refuses, and shows again what was typed. Marked `bad_input`: `make test` runs these on
PostgreSQL with the rest, and again on SQLite, whose integers stop at 64 bits."""

import importlib
import inspect
import pkgutil
import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Agency
from caspa.core import forms as core_forms
from caspa.core.converters import BoundedIntConverter
from tests.strategies import ANY_VALUE, VALUE

pytestmark = pytest.mark.bad_input

APPS = ["accounts", "actions", "audit", "caspa", "dashboard", "demo", "panel", "referrals"]
ROOT = Path(settings.BASE_DIR)
TOO_BIG = [str(2**63), str(2**64), "99999999999999999999", str(-(2**63) - 1), "-1", "0"]
DATE = ("_day", "_month", "_year")


# --- the forms and the addresses: bounded by construction ----------------------------------


def every_module():
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            yield importlib.import_module(info.name)


def every_form_class():
    list(every_module())
    seen, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                seen.append(sub)
    return seen


def unbounded(field) -> str | None:
    """Why a form field is unbounded, or None."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        if not isinstance(field, core_forms.BoundedModelMultipleChoiceField):
            return "a ModelMultipleChoiceField that is not BoundedModelMultipleChoiceField"
    elif isinstance(field, forms.ModelChoiceField):
        if not isinstance(field, core_forms.BoundedModelChoiceField):
            return "a ModelChoiceField that is not BoundedModelChoiceField"
    elif isinstance(field, forms.IntegerField):
        low, high = field.min_value, field.max_value
        if low is None or high is None:
            return "an IntegerField without min_value and max_value"
        if low < core_forms.BIGINT_MIN or high > core_forms.BIGINT_MAX:
            return "an IntegerField beyond a 64-bit column"
    return None


def test_every_form_field_takes_only_numbers_and_records_the_database_can_hold():
    classes = every_form_class()
    assert len(classes) > 40  # every app's forms were found
    found = [
        f"{cls.__module__}.{cls.__qualname__}.{name}: {why}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if (why := unbounded(field))
    ]
    assert found == []


def text_fields(field):
    yield from (field.fields if isinstance(field, forms.MultiValueField) else ())
    if isinstance(field, forms.CharField):
        yield field


def test_every_text_box_refuses_a_nul_with_a_message():
    """PostgreSQL refuses NUL in text: each box says so, as Django's CharField does."""
    found = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in every_form_class()
        for name, field in cls.base_fields.items()
        for text in text_fields(field)
        if not any(isinstance(v, ProhibitNullCharactersValidator) for v in text.validators)
    ]
    assert found == []


UNBOUNDED_IN_SOURCE = re.compile(
    r"forms\.(ModelChoiceField|ModelMultipleChoiceField|IntegerField|ModelForm)\b"
)


def test_no_form_builds_an_unbounded_field_as_it_starts():
    """Fields a form adds in its __init__ are not on the class: the source is read for them."""
    core = ROOT / "caspa" / "core" / "forms.py"
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if path != core and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if UNBOUNDED_IN_SOURCE.search(line)
    ]
    assert found == []


def a_record_too_big_is_not_a_choice(field):
    field.queryset = Agency.objects.all()
    for value in TOO_BIG[:4]:
        with pytest.raises(forms.ValidationError) as refused:
            field.clean([value] if isinstance(field, forms.ModelMultipleChoiceField) else value)
        assert refused.value.code == "invalid_choice"


@pytest.mark.django_db
def test_a_record_number_too_big_for_the_database_is_simply_not_a_valid_choice(asc):
    a_record_too_big_is_not_a_choice(core_forms.BoundedModelChoiceField(queryset=None))
    a_record_too_big_is_not_a_choice(core_forms.BoundedModelMultipleChoiceField(queryset=None))
    chosen = core_forms.BoundedModelMultipleChoiceField(queryset=Agency.objects.all())
    assert list(chosen.clean([str(asc.pk)])) == [asc]


def project_patterns(patterns=None, prefix="", namespace=None):
    """(route, URL name, pattern) for every address of the project's own (not the admin's)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from project_patterns(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace
            )
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def test_no_address_takes_a_number_the_database_cannot_hold():
    converters = [
        (route, type(converter).__name__)
        for route, _name, pattern in project_patterns()
        for converter in getattr(pattern.pattern, "converters", {}).values()
    ]
    assert sum(kind == BoundedIntConverter.__name__ for _route, kind in converters) > 70
    assert not [route for route, kind in converters if kind == IntConverter.__name__]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["99999999999999999999", str(2**63), str(2**63 - 1)])
def test_a_case_number_beyond_any_record_is_not_found(cora_client, number):
    assert cora_client.get(f"/cases/{number}/").status_code == 404
    assert cora_client.post(f"/cases/{number}/close/outcome/", {"version": "1"}).status_code == 404


# The lists' filters are GET forms: a record number too big for a column is no filter at all.
FILTERS = [
    ("panel:cases", "lead_agency"),
    ("referrals:screening_queue", "agency"),
    ("actions:list", "agency"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "field"), FILTERS)
@pytest.mark.parametrize("number", TOO_BIG[:4])
def test_a_list_filtered_by_a_record_number_too_big_still_shows(cora_client, name, field, number):
    response = cora_client.get(reverse(name), {field: number})
    assert response.status_code == 200


# --- every POST endpoint, sent anything ----------------------------------------------------


class World:
    """The records the endpoints act on, each made the first time an endpoint asks for it."""

    def __init__(self, request):
        self.request = request

    def __getattr__(self, persona):  # cora, rosa, harriet...: the test's personas
        return self.request.getfixturevalue(persona)

    @cached_property
    def meeting(self):
        from panel import meetings
        from panel.models import PanelMeeting
        from tests.factories import fill_pathway

        fill_pathway(self.rosa, self.cora, 1)
        meeting = PanelMeeting.objects.create(date=timezone.localdate() + timedelta(days=14))
        meetings.agenda_build(meeting_id=meeting.pk, by=self.cora)
        return meeting

    @cached_property
    def item(self):
        return self.meeting.items.first()

    @cached_property
    def case(self):
        case = self.item.case
        case.refresh_from_db()
        return case

    @cached_property
    def person(self):
        return self.case.person

    @cached_property
    def draft(self):
        from tests.factories import make_referral

        return make_referral(self.rosa, family_name="Drafted")

    @cached_property
    def waiting(self):
        from tests.factories import make_referral

        return make_referral(self.rosa, submit=True, family_name="Waiting", nhs_number="")

    @cached_property
    def questioned(self):
        from referrals import services
        from tests.factories import make_referral

        referral = make_referral(self.rosa, submit=True, family_name="Asked", nhs_number="")
        return services.referral_ask_for_information(
            referral_id=referral.pk, by=self.cora, version=referral.version, question="Who?"
        )

    @cached_property
    def linked(self):
        from referrals import services

        return services.referral_link_person(
            referral_id=self.waiting.pk, by=self.cora, version=self.waiting.version, person_id=None
        )

    @cached_property
    def risk(self):
        from panel import assessment

        return assessment.risk_add(
            case_id=self.case.pk, by=self.cora, description="Falls", likelihood=3, severity=3
        )

    @cached_property
    def desired(self):
        from panel import assessment

        return assessment.desired_outcome_add(case_id=self.case.pk, by=self.cora, outcome="Home")

    @cached_property
    def tried(self):
        from panel import assessment

        return assessment.intervention_record(
            case_id=self.case.pk, by=self.cora, agency=self.housing, what="Repairs"
        )

    @cached_property
    def action(self):
        from actions import services

        return services.action_agree(
            case=self.case,
            by=self.cora,
            owner_agency=self.housing,
            description="Repair the heating",
            due_on=timezone.localdate() + timedelta(days=7),
        )

    @cached_property
    def escalated(self):
        """An action escalated to the panel: one that can be resolved."""
        from actions import services

        action = self.action
        return services.action_escalate(
            action_id=action.pk, by=self.cora, version=action.version, level=1, reason="Stuck"
        )

    @cached_property
    def agency_return(self):
        from accounts.services import agency_appoint_spoc
        from panel.models import AgencyReturn

        agency_appoint_spoc(agency=self.housing, spoc=self.harriet, by=self.cora)
        return AgencyReturn.objects.create(
            meeting=self.meeting,
            case=self.case,
            agency=self.housing,
            requested_on=timezone.localdate(),
            due_on=self.meeting.date - timedelta(days=2),
        )

    @cached_property
    def quarter(self):
        return "2026-07-01_to_2026-09-30"


@dataclass(frozen=True)
class Endpoint:
    persona: str  # who may use it
    args: tuple = ()  # the World's records (or words) its address names
    fields: tuple = ()  # what its form takes
    # What a refused request may still write: a failed sign-in is counted, by design.
    may_write: tuple = ()
    # A draft's section keeps what was typed even when answers are missing (shown as errors).
    keeps_a_draft: bool = False
    # The page its form is on, sent as `return_to`: where a refusal shows the form again.
    from_page: str = ""


def form_fields(form_class, *extra) -> tuple:
    """A form class's field names as sent (a date as its three boxes), and any it adds."""
    names = []
    for name, field in form_class.base_fields.items():
        if isinstance(field.widget, forms.MultiWidget):
            names += [f"{name}{suffix}" for suffix in field.widget.widgets_names]
        else:
            names.append(name)
    return (*names, *extra)


def endpoints() -> dict[str, Endpoint]:
    from accounts.forms import SignInForm, TwoFactorCodeForm
    from actions import forms as a
    from caspa.retention_views import AnonymiseForm
    from caspa.search_views import SearchForm
    from dashboard.forms import CommentaryForm, PeriodForm
    from panel import assessment_forms as pa
    from panel import forms as p
    from referrals import forms as r

    risk = form_fields(pa.RiskAddForm)
    intervention = form_fields(pa.InterventionForm)
    return {
        "accounts:sign_in": Endpoint(
            "cora",
            (),
            form_fields(SignInForm),
            may_write=("axes.accessattempt", "axes.accessfailurelog"),
        ),
        "accounts:sign_out": Endpoint("cora"),
        "accounts:two_factor_enrol": Endpoint("cora", (), form_fields(TwoFactorCodeForm)),
        "accounts:two_factor_verify": Endpoint("cora", (), form_fields(TwoFactorCodeForm)),
        "accounts:two_factor_reset": Endpoint("adam", ("rosa",)),
        "subject_access_export": Endpoint("cora", ("person",)),
        "retention_anonymise": Endpoint("cora", ("person",), form_fields(AnonymiseForm)),
        "actions:log_filter": Endpoint("cora", (), form_fields(a.ActionLogFilterForm)),
        "dashboard:period_filter": Endpoint("maya", (), form_fields(PeriodForm)),
        "dashboard:access_report": Endpoint("cora", (), form_fields(PeriodForm)),
        "search": Endpoint("cora", (), form_fields(SearchForm)),
        "referrals:create_draft": Endpoint("rosa"),
        "referrals:submit": Endpoint("rosa", ("draft",), ("version",)),
        "referrals:answer_question": Endpoint(
            "rosa", ("questioned",), form_fields(r.AnswerQuestionForm)
        ),
        "referrals:delete_draft": Endpoint("rosa", ("draft",), ("version",)),
        "referrals:save_section": Endpoint(
            "rosa",
            ("draft", "=risk"),
            (*form_fields(r.RiskForm), "version", "risks", "risks_detail"),
            keeps_a_draft=True,
        ),
        "referrals:find_person": Endpoint("cora", ("waiting",), ("version", "search")),
        "referrals:link_person": Endpoint("cora", ("waiting",), form_fields(r.LinkPersonForm)),
        "referrals:ask_for_information": Endpoint(
            "cora", ("waiting",), form_fields(r.AskForInformationForm)
        ),
        "referrals:decline": Endpoint("cora", ("waiting",), form_fields(r.DeclineForm)),
        "referrals:merge_duplicate": Endpoint("cora", ("person",), form_fields(r.MergePeopleForm)),
        "panel:case_appoint_lead": Endpoint("cora", ("case",), form_fields(p.AppointLeadForm)),
        "panel:assessment_review": Endpoint("cora", ("case",), form_fields(p.AssessmentReviewForm)),
        "panel:lead_disagreement_record": Endpoint(
            "cora", ("case",), form_fields(p.LeadDisagreementForm, "position_housing")
        ),
        "panel:case_set_agencies": Endpoint("cora", ("case",), form_fields(p.AgenciesForm)),
        "panel:case_close": Endpoint("cora", ("case",), form_fields(p.CloseCaseForm)),
        "panel:desired_outcome_mark": Endpoint(
            "cora", ("case", "desired"), form_fields(p.MarkOutcomeForm)
        ),
        "panel:mdt_record": Endpoint("cora", ("case",), form_fields(p.MDTForm)),
        "panel:referral_accept": Endpoint("cora", ("linked",), form_fields(r.AcceptForm)),
        "panel:risk_add": Endpoint("cora", ("case",), risk),
        "panel:risk_change": Endpoint("cora", ("risk",), (*risk, "version")),
        "panel:risk_retire": Endpoint("cora", ("risk",), form_fields(pa.RiskRetireForm)),
        "panel:persons_views_revise": Endpoint("cora", ("case",), form_fields(pa.PersonsViewsForm)),
        "panel:desired_outcome_add": Endpoint(
            "cora", ("case",), form_fields(pa.DesiredOutcomeAddForm)
        ),
        "panel:desired_outcome_change": Endpoint(
            "cora", ("desired",), form_fields(pa.DesiredOutcomeChangeForm)
        ),
        "panel:capacity_record": Endpoint("cora", ("case",), form_fields(pa.CapacityForm)),
        "panel:intervention_record": Endpoint("cora", ("case",), intervention),
        "panel:intervention_change": Endpoint(
            "cora", ("tried",), form_fields(pa.InterventionChangeForm)
        ),
        "panel:meetings_schedule_year": Endpoint("cora", (), form_fields(p.ScheduleYearForm)),
        "panel:agenda_build": Endpoint("cora", ("meeting",)),
        "panel:agenda_add_item": Endpoint("cora", ("meeting",), form_fields(p.AgendaItemForm)),
        "panel:agenda_move": Endpoint("cora", ("meeting", "item", "=up")),
        "panel:agenda_item_notes": Endpoint(
            "cora", ("meeting", "item"), form_fields(p.ItemNotesForm)
        ),
        "panel:attendance_record": Endpoint("cora", ("meeting",), form_fields(p.AttendanceForm)),
        "panel:agenda_item_minute": Endpoint("cora", ("meeting", 1), form_fields(p.MinuteForm)),
        "panel:item_draft": Endpoint("cora", ("meeting", 1), ("field", "text", "minute")),
        "panel:meeting_show_item": Endpoint("cora", ("meeting", 1)),
        "panel:meeting_start": Endpoint("cora", ("meeting",)),
        "panel:meeting_end": Endpoint("cora", ("meeting",)),
        "panel:case_adopt": Endpoint("cora", ("meeting", "case"), ("version",), from_page=SCREEN),
        "panel:case_not_adopt": Endpoint(
            "cora", ("meeting", "case"), form_fields(p.NotAdoptForm), from_page=SCREEN
        ),
        "panel:minutes_approve": Endpoint("chidi", ("meeting",)),
        "panel:minutes_amend": Endpoint("cora", ("meeting",), form_fields(p.AmendMinuteForm)),
        "panel:room_agree": Endpoint("milo", ("meeting",)),
        "panel:return": Endpoint("harriet", ("agency_return",), form_fields(p.AgencyReturnForm)),
        "actions:update": Endpoint("cora", ("action",), form_fields(a.ActionUpdateForm)),
        "actions:escalate": Endpoint("cora", ("action",), form_fields(a.EscalateForm)),
        "actions:resolve_escalation": Endpoint(
            "cora", ("escalated",), form_fields(a.ResolveEscalationForm)
        ),
        "actions:agree": Endpoint("cora", ("case",), form_fields(a.AgreeActionForm, "mdt")),
        "dashboard:commentary": Endpoint("cora", ("quarter",), form_fields(CommentaryForm)),
    }


# The meeting screen at its first item, where the adopt and not-adopt forms are.
SCREEN = "/cases/meetings/{meeting}/screen/1/"
ENDPOINTS = endpoints()


def takes_posts(pattern) -> bool:
    """A view that changes something: its code reads a POST, or its class answers one."""
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    return "POST" in inspect.getsource(inspect.unwrap(pattern.callback))


def test_every_post_endpoint_is_sent_arbitrary_input_below():
    posting = {name for _route, name, pattern in project_patterns() if takes_posts(pattern)}
    assert posting - set(ENDPOINTS) == set(), "a POST endpoint without its bad-input test"
    assert set(ENDPOINTS) - posting == set(), "a bad-input test of no POST endpoint"


# What a refused request may still write without changing anything of the panel's: the
# session (kept on every request), and the record that someone read a page.
ALWAYS_WRITTEN = {"sessions.session", "audit.recordread"}


def row_counts(models) -> tuple[int, ...]:
    """Each model's table's row count, in one statement (one round trip, not one a table)."""
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def snapshot(records, may_write) -> dict:
    """Every table's row count, and every field of the records the address names."""
    skip = ALWAYS_WRITTEN | set(may_write)
    models = [m for m in apps.get_models() if m._meta.label_lower not in skip]
    counts = dict(zip((m._meta.label_lower for m in models), row_counts(models), strict=True))
    rows = {
        (type(record)._meta.label_lower, record.pk): type(record)
        ._base_manager.filter(pk=record.pk)
        .values()
        .first()
        for record in records
        if hasattr(record, "_meta")
    }
    return {"counts": counts, "rows": rows}


def shown_forms(response) -> list:
    if response.context is None:
        return []
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    found = []
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound and value not in found:
                found.append(value)
    return found


TEXT_WIDGETS = (forms.TextInput, forms.Textarea, forms.NumberInput, forms.EmailInput)


def typed_text(form) -> list[tuple[str, str]]:
    """(name, text) of every box the user typed into, as the form holds it."""
    boxes = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            parts = [
                (f"{name}{suffix}", sub)
                for suffix, sub in zip(widget.widgets_names, widget.widgets, strict=True)
            ]
        else:
            parts = [(name, widget)]
        for part, sub in parts:
            key = form.add_prefix(part)
            if isinstance(sub, TEXT_WIDGETS) and not sub.is_hidden and key in form.data:
                text = form.data.get(key)
                if isinstance(text, str) and text.strip():
                    boxes.append((key, text))
    return boxes


def value_for(field_name: str, agencies: list[str]):
    """Anything at all: nasty text, numbers far beyond any column, lists, or a real choice."""
    real = [*agencies, "1", "yes", "no", "new", "up", "minute", "high", "medium"]
    if field_name.endswith("_year"):
        real += ["2026", "2027"]
    return st.one_of(
        ANY_VALUE,
        st.sampled_from(TOO_BIG),
        st.lists(st.sampled_from(TOO_BIG + agencies), min_size=1, max_size=3),
        st.sampled_from(real),
    )


def address(world, endpoint: Endpoint):
    records, args = [], []
    for arg in endpoint.args:
        if isinstance(arg, int) or arg.startswith("="):
            args.append(arg if isinstance(arg, int) else arg[1:])  # a position, or a word
            continue
        record = getattr(world, arg)
        records.append(record)
        args.append(getattr(record, "pk", record))
    return args, records


SOME = hypothesis_settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(request, db, housing, police):
    return World(request)


@pytest.fixture
def endpoint_at(world, name):
    """The endpoint's address, records and signed-in client, made once for all its examples."""
    endpoint = ENDPOINTS[name]
    args, records = address(world, endpoint)
    client = world.client_for(getattr(world, endpoint.persona))
    return endpoint, reverse(name, args=args), records, client


def current_version(records) -> str:
    version = "1"
    for record in records:
        if hasattr(record, "refresh_from_db"):
            with suppress(ObjectDoesNotExist):  # a draft deleted by an earlier example
                record.refresh_from_db()
            version = str(getattr(record, "version", version))
    return version


def send_and_check(endpoint_at, sent: dict):
    """POST what was drawn: no server error; a refusal changes nothing and keeps the text."""
    endpoint, url, records, client = endpoint_at
    if endpoint.from_page:
        sent["return_to"] = endpoint.from_page.format(meeting=records[0].pk)
    before = snapshot(records, endpoint.may_write)

    response = client.post(url, sent)

    assert response.status_code < 500
    refused_forms = [form for form in shown_forms(response) if form.errors]
    if (response.status_code >= 400 or refused_forms) and not endpoint.keeps_a_draft:
        assert snapshot(records, endpoint.may_write) == before, "a refused request changed data"
    body = response.content.decode(errors="replace")  # an export is a ZIP
    for form in refused_forms:
        for key, text in typed_text(form):
            # Each box the page shows again holds what was typed in it.
            if f'name="{key}"' in body:
                assert escape(text) in body, f"{key}'s text was not shown again"


@pytest.mark.parametrize("name", list(ENDPOINTS))
@SOME
@given(data=st.data())
def test_no_input_causes_a_server_error_and_a_refusal_changes_nothing_and_keeps_the_text(
    endpoint_at, name, data
):
    endpoint, _url, records, _client = endpoint_at
    agencies = [str(pk) for pk in Agency.objects.order_by("pk").values_list("pk", flat=True)]
    version = current_version(records)
    sent = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                **{field: value_for(field, agencies) for field in endpoint.fields},
                "version": st.one_of(st.just(version), VALUE),
            },
        )
    )
    send_and_check(endpoint_at, sent)


# The five forms a probe of the demo found answering 500 on SQLite to a number too big.
FOUND_BY_THE_PROBE = [
    ("referrals:save_section", "agencies_involved"),
    ("referrals:merge_duplicate", "duplicate"),
    ("panel:mdt_record", "invited"),
    ("panel:mdt_record", "attended"),
    ("panel:case_set_agencies", "agencies"),
]


@pytest.mark.parametrize(("name", "field"), FOUND_BY_THE_PROBE)
def test_a_number_too_big_for_sqlite_is_an_error_by_its_box(endpoint_at, name, field):
    _endpoint, url, records, client = endpoint_at
    typed = "99999999999999999999"
    response = client.post(url, {field: typed, "version": current_version(records)})
    assert response.status_code == 200
    [form] = [form for form in shown_forms(response) if field in form.errors]
    assert escape(form.errors[field][0]) in response.content.decode()


# The known troublemakers in every box at once, whatever hypothesis draws: a NUL (which
# PostgreSQL refuses in text) and numbers beyond any column (which SQLite cannot bind).
EVERYWHERE = ["a\x00b", str(2**64), str(-(2**63) - 1), "99999999999999999999"]


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_a_nul_or_a_number_too_big_in_every_box_is_refused_without_a_server_error(
    endpoint_at, name
):
    endpoint, _url, records, _client = endpoint_at
    for value in EVERYWHERE:
        sent = {field: value for field in endpoint.fields if field != "version"}
        sent["version"] = current_version(records)
        send_and_check(endpoint_at, sent)
