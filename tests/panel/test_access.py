"""Who sees a case follows one rule, the agencies involved in it, whatever happens to it.

Guardian's rows are derived from that rule by one function; a state machine drives a case
through joins, leaves, lead changes and closure, and after every step checks what each
agency's SPoC can see against the rule. Then: an agency that leaves a case loses everything on
it at once, and cannot leave while it still owns open actions.
"""

from contextlib import suppress
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from accounts.roles import Role
from actions import services as action_services
from panel import permissions, services
from panel.models import Case
from tests.factories import AgencyFactory, UserFactory, fill_pathway


def spoc_of(agency):
    return UserFactory(username=f"spoc-{agency.short_name}", role=Role.SPOC, agency=agency)


class InvolvementMachine(RuleBasedStateMachine):
    """One case, five agencies; the coordinator changes who is involved, who leads, and closes
    it. Each SPoC sees the case exactly when their agency is involved."""

    def __init__(self):
        super().__init__()
        self.coordinator = self.world["coordinator"]
        self.agencies = self.world["agencies"]
        self.spocs = self.world["spocs"]

    @initialize()
    def open_a_case(self):
        self.cases = []
        self.refer_again()

    def fresh(self) -> Case:
        return Case.objects.get(pk=self.case.pk)

    @precondition(lambda self: not self.fresh().is_on_caseload)
    @rule()
    def refer_again(self):
        """A new referral after closure: a new case, with the referral's agencies."""
        [(referral, _)] = fill_pathway(self.world["referrer"], self.coordinator, 1)
        self.case = referral.case
        self.cases.append(self.case)

    def teardown(self):
        # Every example shares the pathway's 15 places: give them back.
        for case in Case.objects.on_caseload():
            services.case_close(
                case_id=case.pk,
                by=self.coordinator,
                version=case.version,
                outcome="moved_away",
                agreed_on=date.today(),
            )

    @precondition(lambda self: self.fresh().is_on_caseload)
    @rule(chosen=st.sets(st.integers(min_value=0, max_value=4), min_size=1))
    def set_agencies(self, chosen):
        case = self.fresh()
        wanted = [self.agencies[i] for i in sorted(chosen)]
        # Refused when the lead would leave: the rule must hold either way (checked below).
        with suppress(ValidationError):
            services.case_set_agencies(
                case_id=case.pk, by=self.coordinator, version=case.version, agencies=wanted
            )

    @precondition(lambda self: self.fresh().is_on_caseload)
    @rule(index=st.integers(min_value=0, max_value=4))
    def appoint_lead(self, index):
        case = self.fresh()
        with suppress(ValidationError):  # refused when the agency is not involved
            services.case_appoint_lead(
                case_id=case.pk,
                by=self.coordinator,
                version=case.version,
                agency=self.agencies[index],
                officer="",
                reason="The panel agreed",
            )

    @precondition(lambda self: self.fresh().is_on_caseload)
    @rule()
    def close(self):
        case = self.fresh()
        services.case_close(
            case_id=case.pk,
            by=self.coordinator,
            version=case.version,
            outcome="moved_away",
            agreed_on=date.today(),
        )

    @invariant()
    def each_spoc_sees_a_case_exactly_when_their_agency_is_involved(self):
        for case in getattr(self, "cases", []):
            involved = set(case.involved_agencies.values_list("pk", flat=True))
            for agency, spoc in zip(self.agencies, self.spocs, strict=True):
                sees = permissions.visible_cases(spoc).filter(pk=case.pk).exists()
                assert sees == (agency.pk in involved), (case, agency.short_name, involved)


def test_guardian_always_answers_what_the_involvement_rule_says(rosa, cora):
    agencies = [rosa.agency] + [AgencyFactory(short_name=f"Machine{n}") for n in range(4)]
    InvolvementMachine.world = {
        "coordinator": cora,
        "referrer": rosa,
        "agencies": agencies,
        "spocs": [spoc_of(agency) for agency in agencies],
    }
    test_case = InvolvementMachine.TestCase
    test_case.settings = settings(max_examples=10, stateful_step_count=6, deadline=None)
    test_case().runTest()


@pytest.fixture
def case_with_police(rosa, cora, housing, police):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    case = referral.case
    return services.case_set_agencies(
        case_id=case.pk, by=cora, version=case.version, agencies=[housing, police]
    )


def test_an_agency_that_owns_open_actions_cannot_leave_the_case(case_with_police, cora, housing):
    case = case_with_police
    action = action_services.action_agree(
        case=case,
        by=cora,
        owner_agency=case.involved_agencies.get(short_name="Police"),
        description="Check on him at home",
        due_on=date.today() + timedelta(days=7),
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.case_set_agencies(
            case_id=case.pk, by=cora, version=case.version, agencies=[housing]
        )
    assert (
        f"Bedfordshire Police still owns 1 open action on this case ({action.reference}): its "
        "owner must mark it done, could not be done, or no longer needed before Bedfordshire "
        "Police leaves." in refused.value.messages
    )
    assert case.involved_agencies.count() == 2


def test_an_agency_that_leaves_loses_the_case_and_its_actions_at_once(
    client_for, case_with_police, cora, piers, housing
):
    case = case_with_police
    police = piers.agency
    action = action_services.action_agree(
        case=case,
        by=cora,
        owner_agency=police,
        description="Check on him at home",
        due_on=date.today() + timedelta(days=7),
    )
    spoc = client_for(piers)
    assert spoc.get(reverse("actions:detail", args=[action.pk])).status_code == 200
    action_services.action_update(
        action_id=action.pk, by=piers, version=action.version, status="done", note="Seen, well"
    )
    case.refresh_from_db()
    services.case_set_agencies(case_id=case.pk, by=cora, version=case.version, agencies=[housing])

    action.refresh_from_db()
    assert spoc.get(case.get_absolute_url()).status_code == 404
    assert spoc.get(reverse("actions:detail", args=[action.pk])).status_code == 404
    assert action.reference not in spoc.get(reverse("actions:list")).text
    response = spoc.post(
        reverse("actions:update", args=[action.pk]),
        {"version": action.version, "status": "in_progress", "note": "Still here"},
    )
    assert response.status_code == 404
    assert not case.events.filter(summary__contains="Still here").exists()
    assert action.updates.count() == 1


def test_a_spoc_who_has_left_is_refused_by_the_service_too(case_with_police, cora, piers, housing):
    """The page is not the guard: the service refuses an update from an agency no longer
    involved, even when called directly."""
    case = case_with_police
    action = action_services.action_agree(
        case=case,
        by=cora,
        owner_agency=piers.agency,
        description="Check on him at home",
        due_on=date.today() + timedelta(days=7),
    )
    action_services.action_update(
        action_id=action.pk, by=piers, version=action.version, status="done", note="Seen"
    )
    case.refresh_from_db()
    action.refresh_from_db()
    services.case_set_agencies(case_id=case.pk, by=cora, version=case.version, agencies=[housing])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        action_services.action_update(
            action_id=action.pk, by=piers, version=action.version, status="in_progress"
        )


def test_an_agency_sees_the_assessment_returns_and_plan_while_involved_and_loses_them_on_leaving(
    client_for, case_with_police, cora, piers, harriet, housing
):
    """The assessment, its reviews, the printable plan and the returns follow the case's door:
    an involved agency's SPoC reads them; once the agency leaves, each answers 404."""
    from panel import assessment, meetings, returns
    from panel.models import PanelMeeting
    from panel.reviews import assessment_review

    case = case_with_police
    services.case_adopt(
        case_id=case.pk,
        by=cora,
        version=case.version,
        meeting=PanelMeeting.objects.create(date=date.today() - timedelta(days=7)),
    )
    assessment.risk_add(
        case_id=case.pk, by=cora, description="Exploited at home", likelihood=4, severity=4
    )
    case.refresh_from_db()
    review = assessment_review(case_id=case.pk, by=cora, version=case.version, level="high")
    meeting = PanelMeeting.objects.create(date=date.today() + timedelta(days=2))
    meetings.agenda_build(meeting_id=meeting.pk, by=cora)
    returns.returns_sweep(today=date.today())
    police_return = case.returns.get(agency=piers.agency)
    pages = [
        case.get_absolute_url(),
        reverse("panel:case_review", args=[case.pk, review.pk]),
        reverse("panel:case_plan_pdf", args=[case.pk]),
        reverse("panel:return", args=[police_return.pk]),
    ]
    spoc = client_for(piers)
    assert [spoc.get(page).status_code for page in pages] == [200, 200, 200, 200]
    # Another agency's SPoC sees the case and its plan but may not send Police's return.
    assert client_for(harriet).get(pages[3]).status_code == 403

    case.refresh_from_db()
    services.case_set_agencies(case_id=case.pk, by=cora, version=case.version, agencies=[housing])
    assert [spoc.get(page).status_code for page in pages] == [404, 404, 404, 404]
    assert "Exploited at home" not in spoc.get(reverse("panel:cases")).text
