"""The case's assessment and plan as a PDF: for whoever sees the case, each download a read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.services import record_read
from panel import permissions
from panel.plan_pdf import render_plan_pdf


@login_required
@require_GET
def case_plan_pdf(request, pk):
    case = permissions.case_for_viewing(request.user, pk)
    pdf = render_plan_pdf(
        case, produced_on=timezone.localdate(), base_url=request.build_absolute_uri("/")
    )
    record_read(reader=request.user, record=case)
    response = HttpResponse(pdf, content_type="application/pdf")
    # The reference names the file, never the person: downloads folders are read by others.
    filename = f"{case.reference}-assessment-and-plan.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
