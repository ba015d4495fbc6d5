"""Arbitrary input to every form of the risk assessment and plan never causes a server error."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from panel import assessment
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE

# Run again on SQLite by `make test` (docs/bounded-input.md).
pytestmark = pytest.mark.bad_input

DATE = ["_day", "_month", "_year"]
RISK = [
    "description",
    "to_whom",
    "need",
    "likelihood",
    "severity",
    "warning_signs",
    "protective_factors",
    "source_agency",
    "monitored_by",
    "monitoring_officer",
    "contingency_trigger",
    "contingency_response",
    "out_of_hours_contact",
]
INTERVENTION = [
    "agency",
    "what",
    *(f"started_on{part}" for part in DATE),
    *(f"ended_on{part}" for part in DATE),
    "what_happened",
]
# Each page's address (from the case and its records) and the fields its form has.
ENDPOINTS = {
    "panel:risk_add": ("case", RISK),
    "panel:risk_change": ("risk", RISK),
    "panel:risk_retire": ("risk", ["reason"]),
    "panel:persons_views_revise": ("case", ["persons_views"]),
    "panel:desired_outcome_add": ("case", ["outcome"]),
    "panel:desired_outcome_change": ("desired", ["outcome"]),
    "panel:capacity_record": (
        "case",
        ["decision", "assessed_by", *(f"assessed_on{part}" for part in DATE), "outcome", "notes"],
    ),
    "panel:intervention_record": ("case", INTERVENTION),
    "panel:intervention_change": ("tried", INTERVENTION),
}


@pytest.fixture
def records(case, cora, housing):
    return {
        "case": case,
        "risk": assessment.risk_add(
            case_id=case.pk, by=cora, description="Falls", likelihood=3, severity=3
        ),
        "desired": assessment.desired_outcome_add(case_id=case.pk, by=cora, outcome="Home"),
        "tried": assessment.intervention_record(
            case_id=case.pk, by=cora, agency=housing, what="Repairs"
        ),
    }


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@SLOW_OK
@given(data=st.data())
def test_no_input_to_an_assessment_form_causes_a_server_error(
    cora_client, records, housing, endpoint, data
):
    which, fields = ENDPOINTS[endpoint]
    record = records[which]
    record.refresh_from_db()
    field_values = st.one_of(ANY_VALUE, st.just(str(housing.pk)), st.sampled_from(["1", "5"]))
    form = data.draw(
        st.fixed_dictionaries(
            {"version": st.one_of(st.just(str(record.version)), VALUE)},
            optional={name: field_values for name in fields},
        )
    )
    response = cora_client.post(reverse(endpoint, args=[record.pk]), form)
    assert response.status_code in (200, 302, 409)
