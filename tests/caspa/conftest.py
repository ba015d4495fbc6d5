"""The people, referrals, cases and an action that the search tests look for."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.services import agency_appoint_spoc
from actions import services as action_services
from tests.conftest import persona
from tests.factories import AgencyFactory, accept, make_referral


@dataclass
class SearchWorld:
    housing_referral: object  # Alex Smith, accepted: a case Housing is involved in
    housing_case: object
    police_referral: object  # Sam Smyth (sounds like Smith), accepted: a case only Police see
    police_case: object
    waiting_referral: object  # Kim Okafor, sent by the Police referrer, not yet screened
    draft: object  # Jo Smithe, Rosa's draft
    action: object  # on the Housing case, owned by Housing
    personas: dict


@pytest.fixture
def search_world(cora, chidi, maya, harriet, rosa, piers, housing, police):
    fire = AgencyFactory(name="Fire and Rescue", short_name="Fire")
    fiona = persona("fiona", "Fiona", Role.SPOC, fire)  # her agency is involved in nothing
    paula = persona("paula", "Paula", Role.REFERRER, police)
    for agency, spoc in ((housing, harriet), (police, piers), (fire, fiona)):
        agency_appoint_spoc(agency=agency, spoc=spoc, by=cora)
    housing_referral, _ = accept(
        make_referral(
            rosa,
            submit=True,
            given_names="Alex",
            family_name="Smith",
            date_of_birth=date(1985, 6, 6),
            nhs_number="9434765919",
        ),
        cora,
    )
    police_referral, _ = accept(
        make_referral(
            paula,
            submit=True,
            given_names="Sam",
            family_name="Smyth",
            date_of_birth=date(1990, 1, 2),
            nhs_number="4010232137",
        ),
        cora,
    )
    waiting = make_referral(
        paula,
        submit=True,
        given_names="Kim",
        family_name="Okafor",
        date_of_birth=date(1970, 3, 3),
        nhs_number="9990000018",
    )
    draft = make_referral(
        rosa, given_names="Jo", family_name="Smithe", date_of_birth=date(1985, 6, 7), nhs_number=""
    )
    housing_referral.refresh_from_db()
    police_referral.refresh_from_db()
    action = action_services.action_agree(
        case=housing_referral.case,
        by=cora,
        owner_agency=housing,
        description="Arrange a welfare visit",
        due_on=timezone.localdate(),
    )
    return SearchWorld(
        housing_referral=housing_referral,
        housing_case=housing_referral.case,
        police_referral=police_referral,
        police_case=police_referral.case,
        waiting_referral=waiting,
        draft=draft,
        action=action,
        personas={
            "coordinator": cora,
            "SPoC of the involved agency": harriet,
            "SPoC of an uninvolved agency": fiona,
            "SPoC of the other case's agency": piers,
            "referrer": rosa,
            "another referrer": paula,
            "manager": maya,
            "chair": chidi,
        },
    )
