"""The shared risk assessment and plan's services: each change checked, kept in history with
who made it, and told in the chronology in words a person reads."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caspa.core.locking import ChangedMeanwhile
from panel import assessment, services
from panel.models import CapacityOutcome, Risk
from panel.rules import risk as risk_rules

EVICTION = "Eviction for rent arrears"


def last_line(case) -> str:
    return case.events.order_by("-happened_at", "-pk").first().summary


def add_risk(case, by, **fields):
    fields = {"description": EVICTION, "likelihood": 4, "severity": 4, **fields}
    return assessment.risk_add(case_id=case.pk, by=by, **fields)


def change_risk(risk, by, **fields):
    risk.refresh_from_db()
    return assessment.risk_change(risk_id=risk.pk, by=by, version=risk.version, **fields)


def test_adding_a_risk_scores_it_and_the_chronology_says_so(case, cora):
    risk = add_risk(case, cora, to_whom=["person"], need="housing")
    assert (risk.score, risk.band) == (16, "high")
    assert risk.raised_on == timezone.localdate()
    assert risk.raised_by == cora
    assert last_line(case) == (
        "Risk added: 'Eviction for rent arrears' (to the person), likelihood 4, severity 4: "
        "high (16)"
    )
    assert risk.history.get().history_user == cora


def test_re_scoring_a_risk_says_from_what_band_to_what(case, cora):
    risk = add_risk(case, cora)
    risk = change_risk(risk, cora, likelihood=2)
    assert (risk.score, risk.band, risk.version) == (8, "medium", 2)
    assert last_line(case) == "Risk re-scored: 'Eviction for rent arrears' high (16) → medium (8)"
    latest = risk.history.first()
    assert (latest.likelihood, latest.history_user) == (2, cora)


def test_changing_a_risks_plan_says_which_parts_changed(case, cora, housing):
    risk = add_risk(case, cora)
    change_risk(
        risk,
        cora,
        monitored_by=housing,
        monitoring_officer="Harriet Lomax, tenancy officer",
        contingency_trigger="A notice of eviction",
        contingency_response="Housing calls an MDT within two days",
        out_of_hours_contact="Emergency duty team, 01632 960999",
    )
    risk.refresh_from_db()
    assert risk.monitored_by == housing
    assert last_line(case) == (
        "Risk changed: 'Eviction for rent arrears': monitored by, monitoring officer, if this "
        "happens, who does what, out of hours contact"
    )


def test_re_scoring_and_changing_more_says_both(case, cora):
    risk = add_risk(case, cora)
    change_risk(risk, cora, severity=5, warning_signs="Rent unpaid two weeks running")
    assert last_line(case) == (
        "Risk re-scored: 'Eviction for rent arrears' high (16) → critical (20); also changed: "
        "warning signs"
    )


def test_saving_a_risk_unchanged_adds_nothing(case, cora):
    risk = add_risk(case, cora)
    lines = case.events.count()
    change_risk(risk, cora, likelihood=4)
    risk.refresh_from_db()
    assert (risk.version, case.events.count()) == (1, lines)


def test_a_long_description_is_quoted_short_in_the_chronology(case, cora):
    long = "Loss of her home through eviction, after arrears that built up " + "x" * 200
    add_risk(case, cora, description=long)
    line = last_line(case)
    quoted = line.split("'")[1]
    assert len(quoted) == 60
    assert quoted.startswith("Loss of her home through eviction")
    assert quoted.endswith("…")


def test_retiring_a_risk_needs_a_reason_and_keeps_it(case, cora):
    risk = add_risk(case, cora)
    with pytest.raises(ValidationError) as refused:
        assessment.risk_retire(risk_id=risk.pk, by=cora, version=risk.version, reason=" ")
    assert refused.value.message_dict == {"reason": [assessment.RETIRED_REASON_NEEDED]}
    assessment.risk_retire(
        risk_id=risk.pk, by=cora, version=risk.version, reason="Arrears cleared by a DHP award"
    )
    risk.refresh_from_db()
    assert risk.retired_on == timezone.localdate()
    assert not Risk.objects.current().filter(pk=risk.pk).exists()
    assert last_line(case) == (
        "Risk retired: 'Eviction for rent arrears' (was high (16)): Arrears cleared by a DHP award"
    )
    with pytest.raises(ValidationError, match="already retired"):
        change_risk(risk, cora, likelihood=1)


@pytest.mark.parametrize(
    ("field", "value"),
    [("likelihood", 0), ("likelihood", 6), ("severity", None), ("severity", "5")],
)
def test_a_risk_off_the_1_to_5_scales_is_refused(case, cora, field, value):
    with pytest.raises(ValidationError) as refused:
        add_risk(case, cora, **{field: value})
    assert refused.value.message_dict == {field: [risk_rules.OUT_OF_SCALE]}
    assert not case.risks.exists()


def test_re_scoring_off_the_scale_is_refused_and_the_score_stays(case, cora):
    risk = add_risk(case, cora)
    with pytest.raises(ValidationError) as refused:
        change_risk(risk, cora, severity=7)
    assert refused.value.message_dict == {"severity": [risk_rules.OUT_OF_SCALE]}
    risk.refresh_from_db()
    assert risk.severity == 4


def test_a_risk_needs_a_description_and_a_need_from_the_list(case, cora):
    with pytest.raises(ValidationError) as refused:
        add_risk(case, cora, description="  ", need="bad_luck", to_whom=["pets"])
    assert refused.value.message_dict == {
        "description": [assessment.DESCRIPTION_NEEDED],
        "need": [assessment.NEED_UNKNOWN],
        "to_whom": [assessment.TO_WHOM_UNKNOWN],
    }


@pytest.mark.parametrize("field", ["source_agency", "monitored_by"])
def test_the_agency_a_risk_names_must_be_involved_in_the_case(case, cora, police, field):
    with pytest.raises(ValidationError) as refused:
        add_risk(case, cora, **{field: police})
    assert refused.value.message_dict == {field: [assessment.AGENCY_NOT_INVOLVED]}


def test_a_risk_changed_meanwhile_is_not_overwritten(case, cora, adam):
    risk = add_risk(case, cora)
    seen = risk.version
    assessment.risk_change(risk_id=risk.pk, by=adam, version=seen, likelihood=5)
    with pytest.raises(ChangedMeanwhile):
        assessment.risk_change(risk_id=risk.pk, by=cora, version=seen, likelihood=1)
    risk.refresh_from_db()
    assert risk.likelihood == 5


# --- who may, and when ---------------------------------------------------------------------


def every_change(case, by):
    """Each service of the assessment, called on the case by `by`."""
    risk = Risk.objects.filter(case=case).first()
    desired = case.desired_outcomes.first()
    intervention = case.interventions.first()
    today = timezone.localdate()
    housing = case.involved_agencies.get()
    return {
        "risk_add": lambda: add_risk(case, by),
        "risk_change": lambda: assessment.risk_change(
            risk_id=risk.pk, by=by, version=risk.version, likelihood=1
        ),
        "risk_retire": lambda: assessment.risk_retire(
            risk_id=risk.pk, by=by, version=risk.version, reason="Gone"
        ),
        "persons_views_revise": lambda: assessment.persons_views_revise(
            case_id=case.pk, by=by, version=case.version, persons_views="Wants to move"
        ),
        "desired_outcome_add": lambda: assessment.desired_outcome_add(
            case_id=case.pk, by=by, outcome="To keep my flat"
        ),
        "desired_outcome_change": lambda: assessment.desired_outcome_change(
            outcome_id=desired.pk, by=by, version=desired.version, outcome="To keep my dog"
        ),
        "capacity_record": lambda: assessment.capacity_record(
            case_id=case.pk,
            by=by,
            decision="Where to live",
            assessed_by="Ana, social worker",
            assessed_on=today,
            outcome=CapacityOutcome.HAS_CAPACITY,
        ),
        "intervention_record": lambda: assessment.intervention_record(
            case_id=case.pk, by=by, agency=housing, what="Repairs offered"
        ),
        "intervention_change": lambda: assessment.intervention_change(
            intervention_id=intervention.pk,
            by=by,
            version=intervention.version,
            what_happened="Declined",
        ),
    }


@pytest.fixture
def assessed_case(case, cora, housing):
    """The case with one of everything the assessment holds."""
    add_risk(case, cora)
    assessment.desired_outcome_add(case_id=case.pk, by=cora, outcome="To stay at home")
    assessment.intervention_record(case_id=case.pk, by=cora, agency=housing, what="Repairs")
    case.refresh_from_db()
    return case


SERVICES = [
    "risk_add",
    "risk_change",
    "risk_retire",
    "persons_views_revise",
    "desired_outcome_add",
    "desired_outcome_change",
    "capacity_record",
    "intervention_record",
    "intervention_change",
]


@pytest.mark.parametrize("service", SERVICES)
def test_a_spoc_cannot_change_the_assessment(assessed_case, harriet, service):
    lines = assessed_case.events.count()
    with pytest.raises(PermissionDenied):
        every_change(assessed_case, harriet)[service]()
    assert assessed_case.events.count() == lines


@pytest.mark.parametrize("service", SERVICES)
def test_a_closed_case_takes_no_changes_to_its_assessment(assessed_case, cora, service):
    services.case_close(
        case_id=assessed_case.pk,
        by=cora,
        version=assessed_case.version,
        outcome="moved_away",
        agreed_on=timezone.localdate(),
    )
    assessed_case.refresh_from_db()
    with pytest.raises(ValidationError, match="is not on the caseload"):
        every_change(assessed_case, cora)[service]()


# --- the person's voice --------------------------------------------------------------------


def test_the_persons_views_come_over_from_the_referral(case):
    assert case.persons_views == "Wants to stay at home."


def test_revising_the_persons_views_is_kept_with_the_case_version(case, cora, adam):
    seen = case.version
    revised = assessment.persons_views_revise(
        case_id=case.pk, by=cora, version=seen, persons_views="Wants to stay, with her cat"
    )
    assert (revised.persons_views, revised.version) == ("Wants to stay, with her cat", seen + 1)
    assert last_line(case) == "The person's views and wishes revised: 'Wants to stay, with her cat'"
    assert revised.history.first().history_user == cora
    with pytest.raises(ChangedMeanwhile):
        assessment.persons_views_revise(
            case_id=case.pk, by=adam, version=seen, persons_views="Wants to move"
        )


def test_desired_outcomes_are_added_and_revised_in_the_persons_words(case, cora):
    desired = assessment.desired_outcome_add(case_id=case.pk, by=cora, outcome="To keep my flat")
    assert last_line(case) == "Desired outcome added: 'To keep my flat'"
    with pytest.raises(ValidationError) as refused:
        assessment.desired_outcome_change(
            outcome_id=desired.pk, by=cora, version=desired.version, outcome=""
        )
    assert refused.value.message_dict == {"outcome": [assessment.OUTCOME_NEEDED]}
    desired = assessment.desired_outcome_change(
        outcome_id=desired.pk, by=cora, version=desired.version, outcome="To keep my flat warm"
    )
    assert last_line(case) == "Desired outcome revised: 'To keep my flat' → 'To keep my flat warm'"
    assert [h.history_user for h in desired.history.all()] == [cora, cora]


# --- mental capacity -----------------------------------------------------------------------


def record_capacity(case, by, **fields):
    fields = {
        "decision": "Where to live",
        "assessed_by": "Ana Patel, social worker (ASC)",
        "assessed_on": date(2026, 11, 1),
        "outcome": CapacityOutcome.HAS_CAPACITY,
        **fields,
    }
    return assessment.capacity_record(case_id=case.pk, by=by, **fields)


def test_capacity_is_recorded_for_one_decision(case, cora):
    assessed = record_capacity(case, cora)
    assert assessed.history.get().history_user == cora
    assert last_line(case) == (
        "Mental capacity recorded for the decision 'Where to live': has capacity for this "
        "decision (assessed by Ana Patel, social worker (ASC), 1 November 2026)"
    )


def test_a_capacity_assessment_cannot_be_dated_in_the_future(case, cora):
    with pytest.raises(ValidationError) as refused:
        record_capacity(case, cora, assessed_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.message_dict == {"assessed_on": [assessment.ASSESSED_IN_FUTURE]}


def test_a_capacity_assessment_says_what_who_when_and_the_outcome(case, cora):
    with pytest.raises(ValidationError) as refused:
        record_capacity(case, cora, decision="", assessed_by="", assessed_on=None, outcome="")
    assert set(refused.value.message_dict) == {"decision", "assessed_by", "assessed_on", "outcome"}


# --- what has been tried -------------------------------------------------------------------


def test_what_an_agency_tried_is_recorded_and_its_outcome_added_later(case, cora, housing):
    tried = assessment.intervention_record(
        case_id=case.pk,
        by=cora,
        agency=housing,
        what="Offered emergency repairs to the heating",
        started_on=date(2026, 10, 1),
    )
    assert last_line(case) == (
        "What has been tried: Housing, 'Offered emergency repairs to the heating' "
        "(from 1 October 2026, ongoing)"
    )
    assessment.intervention_change(
        intervention_id=tried.pk,
        by=cora,
        version=tried.version,
        ended_on=date(2026, 10, 20),
        what_happened="Declined the visit twice",
    )
    tried.refresh_from_db()
    assert not tried.is_ongoing
    assert last_line(case) == (
        "What has been tried, changed: Housing, 'Offered emergency repairs to the heating': "
        "until, what happened (1 October 2026 to 20 October 2026)"
    )
    assert tried.history.first().history_user == cora


def test_an_intervention_is_by_an_involved_agency_and_ends_after_it_starts(case, cora, police):
    with pytest.raises(ValidationError) as refused:
        assessment.intervention_record(
            case_id=case.pk,
            by=cora,
            agency=police,
            what="",
            started_on=date(2026, 10, 2),
            ended_on=date(2026, 10, 1),
        )
    assert refused.value.message_dict == {
        "agency": [assessment.AGENCY_NOT_INVOLVED],
        "what": [assessment.WHAT_NEEDED],
        "ended_on": [assessment.UNTIL_BEFORE_FROM],
    }


def test_an_agency_that_left_keeps_what_it_tried_on_the_record(case, cora, housing, asc):
    tried = assessment.intervention_record(
        case_id=case.pk, by=cora, agency=housing, what="Tenancy support"
    )
    services.case_set_agencies(case_id=case.pk, by=cora, version=case.version, agencies=[asc])
    tried = assessment.intervention_change(
        intervention_id=tried.pk, by=cora, version=tried.version, what_happened="Closed"
    )
    assert (tried.agency, tried.what_happened) == (housing, "Closed")


def test_a_risk_keeps_its_source_after_the_agency_leaves_but_needs_a_monitor_still_involved(
    case, cora, housing, asc
):
    risk = add_risk(case, cora, source_agency=housing, monitored_by=housing)
    services.case_set_agencies(case_id=case.pk, by=cora, version=case.version, agencies=[asc])
    with pytest.raises(ValidationError) as refused:
        change_risk(risk, cora, likelihood=2)
    assert refused.value.message_dict == {"monitored_by": [assessment.AGENCY_NOT_INVOLVED]}
    risk = change_risk(risk, cora, likelihood=2, monitored_by=asc)
    assert (risk.source_agency, risk.monitored_by, risk.likelihood) == (housing, asc, 2)
