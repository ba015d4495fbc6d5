"""Named personas, one per role, in two agencies (Adult Social Care and Housing), plus a
Police SPoC for the "other agency" cases. Tests ask for them by name."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

# A loaded two-core CI machine is slow to generate examples; correctness, not speed, is tested.
settings.register_profile(
    "caspa", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("caspa")


@pytest.fixture
def asc(db):
    return AgencyFactory(name="Adult Social Care", short_name="ASC", is_host=True)


@pytest.fixture
def housing(db):
    return AgencyFactory(name="Housing", short_name="Housing")


@pytest.fixture
def police(db):
    return AgencyFactory(name="Bedfordshire Police", short_name="Police")


def persona(username, first_name, role, agency):
    return UserFactory(username=username, first_name=first_name, role=role, agency=agency)


@pytest.fixture
def cora(asc):
    """Cora, the panel coordinator at Adult Social Care."""
    return persona("cora", "Cora", Role.COORDINATOR, asc)


@pytest.fixture
def adam(asc):
    """Adam, panel admin staff at Adult Social Care."""
    return persona("adam", "Adam", Role.ADMIN_STAFF, asc)


@pytest.fixture
def chidi(asc):
    """Chidi, who chairs the panel."""
    return persona("chidi", "Chidi", Role.CHAIR, asc)


@pytest.fixture
def maya(asc):
    """Maya, a Safeguarding Adults Board manager: aggregates only."""
    return persona("maya", "Maya", Role.MANAGER, asc)


@pytest.fixture
def harriet(housing):
    """Harriet, Housing's single point of contact."""
    return persona("harriet", "Harriet", Role.SPOC, housing)


@pytest.fixture
def rosa(housing):
    """Rosa, a housing officer who refers people."""
    return persona("rosa", "Rosa", Role.REFERRER, housing)


@pytest.fixture
def milo(housing):
    """Milo, Housing's panel member."""
    return persona("milo", "Milo", Role.PANEL_MEMBER, housing)


@pytest.fixture
def piers(police):
    """Piers, the Police SPoC: another agency."""
    return persona("piers", "Piers", Role.SPOC, police)


@pytest.fixture
def client_for(client):
    """client_for(user) is a test client signed in as that user."""

    def sign_in(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return sign_in
