import pytest

from tests.factories import fill_pathway


@pytest.fixture
def case(rosa, cora):
    """A case on the caseload, awaiting its first panel: Rosa referred it, Cora accepted it."""
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    return referral.case
