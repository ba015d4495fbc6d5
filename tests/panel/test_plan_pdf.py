"""The printable assessment and plan: a PDF of the case's risks, plan, contingencies and the
person's voice, OFFICIAL-SENSITIVE with the date and page numbers on every page, for whoever
sees the case, each download recorded as a read."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Action
from audit.models import RecordRead
from caspa.core.privacy import is_private_response
from panel.models import (
    Achievement,
    CapacityAssessment,
    CapacityOutcome,
    DesiredOutcome,
    Intervention,
    Risk,
    RiskReview,
)


def pdf_url(case):
    return reverse("panel:case_plan_pdf", args=[case.pk])


def pages_of(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def reads_of(case):
    return RecordRead.objects.filter(record_type="panel.case", record_id=case.pk)


@pytest.fixture
def assessed(case, cora, housing, asc):
    """A case with a full assessment: seven risks (enough for several pages), the first with
    its contingency and a mitigating action, the person's voice, capacity and interventions."""
    case.involved_agencies.add(asc)
    case.lead_agency = housing
    case.lead_officer = "Harriet Lomax, tenancy officer"
    case.risk_level = "high"
    case.persons_views = "Wants to stay in her flat; does not want carers every day."
    case.save()
    for n in range(7):
        risk = Risk.objects.create(
            case=case,
            description=f"Risk number {n + 1}: falls at night on the stairs, unseen until morning",
            to_whom=["person", "others"] if n == 0 else ["person"],
            need="self_neglect",
            likelihood=4,
            severity=3,
            warning_signs="Curtains left closed; milk on the step. " * 6,
            protective_factors="A neighbour who checks most days. " * 6,
            source_agency=housing,
            monitored_by=asc,
            monitoring_officer="Duty social worker",
            contingency_trigger="If she is found on the floor" if n == 0 else "",
            contingency_response="Ambulance, then ASC duty team the same day" if n == 0 else "",
            out_of_hours_contact="Emergency duty team, 01632 960999" if n == 0 else "",
            raised_on=timezone.localdate(),
            raised_by=cora,
        )
        if n == 0:
            Action.objects.create(
                case=case,
                description="Fit a falls sensor",
                owner_agency=asc,
                due_on=timezone.localdate(),
                risk=risk,
                created_by=cora,
            )
    DesiredOutcome.objects.create(
        case=case,
        outcome="To stay in my own home",
        achievement=Achievement.PARTLY,
        added_on=timezone.localdate(),
        added_by=cora,
    )
    CapacityAssessment.objects.create(
        case=case,
        decision="Where to live",
        assessed_by="Sam Example, social worker",
        assessed_on=timezone.localdate(),
        outcome=CapacityOutcome.HAS_CAPACITY,
        recorded_by=cora,
    )
    Intervention.objects.create(
        case=case,
        agency=housing,
        what="Heating repaired",
        started_on=timezone.localdate(),
        recorded_by=cora,
    )
    RiskReview.objects.create(
        case=case,
        reviewed_on=timezone.localdate() - timedelta(days=28),
        level="critical",
        derived_level="critical",
        by=cora,
    )
    RiskReview.objects.create(
        case=case, reviewed_on=timezone.localdate(), level="high", derived_level="high", by=cora
    )
    return case


def test_every_page_is_marked_official_sensitive_with_the_date_and_its_number(
    client_for, assessed, cora
):
    pages = pages_of(client_for(cora).get(pdf_url(assessed)))
    assert len(pages) >= 2
    produced = f"produced {timezone.localdate():%-d %B %Y}"
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") == 2, number  # at the top and the bottom
        assert produced in text
        assert f"Page {number} of {len(pages)}" in text


def test_the_plan_carries_the_risks_the_contingency_and_the_persons_voice(
    client_for, assessed, cora
):
    text = " ".join(pages_of(client_for(cora).get(pdf_url(assessed))))
    assert assessed.reference in text
    assert "Lead agency Housing, Harriet Lomax, tenancy officer" in text
    for n in range(1, 8):
        assert f"Risk {n}: Risk number {n}: falls at night" in text
    assert "To whom The person, other adults" in text
    assert "Likelihood 4 × severity 3 = 12: high" in text
    assert "If she is found on the floor" in text
    assert "Ambulance, then ASC duty team the same day" in text
    assert "Emergency duty team, 01632 960999" in text
    assert re.search(r"A-\d{6}: Fit a falls sensor Adult Social Care", text)
    assert "Wants to stay in her flat" in text
    assert "stay in my own home” Partly achieved" in text  # pypdf reads "To" as "T o"
    assert "Where to live Sam Example, social worker" in text
    assert "Heating repaired" in text
    assert f"Reviewed {timezone.localdate():%-d %B %Y}: high" in text
    earlier = timezone.localdate() - timedelta(days=28)
    assert "The risk level at each review" in text
    assert f"{earlier:%-d %b %Y} Between meetings Critical" in text


def test_an_involved_spoc_downloads_it_under_the_reference_and_the_download_is_a_read(
    client_for, assessed, harriet
):
    before = reads_of(assessed).count()
    response = client_for(harriet).get(pdf_url(assessed))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="{assessed.reference}-assessment-and-plan.pdf"'
    assert assessed.person.family_name not in disposition
    assert is_private_response(response)
    assert reads_of(assessed).filter(reader=harriet).count() == 1
    assert reads_of(assessed).count() == before + 1


@pytest.mark.parametrize("outsider", ["piers", "maya"])
def test_an_uninvolved_spoc_or_a_manager_gets_nothing_and_no_read_is_recorded(
    client_for, case, outsider, request
):
    response = client_for(request.getfixturevalue(outsider)).get(pdf_url(case))
    assert response.status_code == 404
    assert not reads_of(case).exists()


def test_the_case_page_offers_the_download_to_whoever_sees_the_case(client_for, case, harriet):
    page = client_for(harriet).get(case.get_absolute_url()).text
    assert f'href="{pdf_url(case)}"' in page
    assert "Download the assessment and plan (PDF)" in page
