"""Every line of a case's chronology says what it is about, so the case page can filter it."""

from panel.models import CaseEvent, EventKind
from panel.services import case_set_agencies
from tests.factories import accept, make_referral


def test_accepting_and_changing_the_agencies_write_lines_of_their_kinds(
    cora, rosa, housing, police
):
    referral = make_referral(rosa, submit=True)
    _, placement = accept(referral, cora)
    case = placement.case
    case_set_agencies(case_id=case.pk, by=cora, version=case.version, agencies=[housing, police])
    kinds = dict(CaseEvent.objects.filter(case=case).values_list("summary", "kind"))
    assert kinds["Joined the caseload: awaiting its first panel"] == EventKind.PATHWAY
    agencies_line = next(summary for summary in kinds if summary.startswith("Agencies involved"))
    assert kinds[agencies_line] == EventKind.AGENCIES
