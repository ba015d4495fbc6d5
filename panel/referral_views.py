"""Accepting a referral onto the pathway: the screening page's accept form posts here.

Accepting opens a case, so it is the pathway's change; the referral's side of it (the
decision, its checks, the e-mail to the referrer) is the referrals app's, called by
panel.services.referral_accept_onto_pathway in the same transaction.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from caspa.core.forms import OUT_OF_DATE
from caspa.core.locking import ChangedMeanwhile
from panel import rules, selectors, services
from referrals import permissions as referral_permissions
from referrals import selectors as referral_selectors
from referrals.forms import AcceptForm

CHANGED_MEANWHILE = (
    "{reference} has not been accepted: it changed while you had it open ({changes}). "
    "Check it again, then decide."
)


@login_required
@require_POST
def referral_accept(request, pk):
    referral = referral_permissions.referral_for_screening(request.user, pk)
    back = redirect("referrals:screening_detail", referral.pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, OUT_OF_DATE)
        return back
    try:
        referral, placement = services.referral_accept_onto_pathway(
            referral_id=referral.pk, by=request.user, version=form.cleaned_data["version"]
        )
    except ChangedMeanwhile as changed:
        entries = referral_selectors.changes_since(changed.record, changed.seen_version)
        changes = "; ".join(f"{entry.what} by {entry.who}" for entry in entries)
        messages.error(
            request,
            CHANGED_MEANWHILE.format(
                reference=referral.reference, changes=changes or "by someone else"
            ),
        )
        return back
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return back

    cap = selectors.pathway_cap()
    if placement.waiting_position is None:
        messages.success(
            request,
            f"{referral.reference} is accepted for the next panel meeting. "
            f"The pathway now holds {placement.caseload} of {cap} cases.",
        )
    else:
        messages.warning(
            request,
            f"{referral.reference} is accepted. "
            + rules.PATHWAY_FULL.format(
                caseload=placement.caseload, cap=cap, position=placement.waiting_position
            ),
        )
    return redirect("referrals:screening_queue")
