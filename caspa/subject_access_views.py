"""The subject access export: one POST, from the person's page, for the coordinator only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from caspa.subject_access import subject_access_export as export_everything_held
from referrals.permissions import person_for_rights


@login_required
@require_POST
def subject_access_export(request, pk):
    person = person_for_rights(request.user, pk)
    export = export_everything_held(by=request.user, person=person)
    response = HttpResponse(export.content, content_type="application/zip")
    # The reference names the file, never the person: downloads folders are read by others.
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
