"""The case's assessment and plan as a PDF: for whoever sees the case, each download a read
(built on the worker and kept until its content changes: panel/plan_pdf.py)."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import How
from audit.services import record_read
from panel import permissions
from panel.plan_pdf import plan_pdf_response


@login_required
@require_GET
def case_plan_pdf(request, pk):
    case = permissions.case_for_viewing(request.user, pk)
    return plan_pdf_response(
        request,
        case,
        produced_on=timezone.localdate(),
        on_serve=lambda: record_read(reader=request.user, record=case, how=How.PDF),
    )
