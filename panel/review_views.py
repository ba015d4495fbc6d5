"""The panel's reviews of a case's assessment: the endpoint that records one (from the case
page or the meeting screen, going back to the page the form came from), and the page that
reads a past review as the panel saw it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from audit.services import record_read
from panel import pages, permissions, review_selectors, reviews
from panel.forms import AssessmentReviewForm


@login_required
@require_POST
def assessment_review(request, pk):
    case = permissions.case_for_running(request.user, pk)

    def decide(data):
        review = reviews.assessment_review(case_id=case.pk, by=request.user, **data)
        return [
            (
                messages.SUCCESS,
                f"The review is recorded: {review.get_level_display().lower()}, next review "
                f"{review.next_review_on:%-d %B %Y}.",
            )
        ]

    return pages.take_decision(request, case, "review", AssessmentReviewForm, decide)


@login_required
@require_GET
def case_review(request, case_pk, pk):
    """A past review, as the panel saw it: read from its snapshot, never from the records."""
    case = permissions.case_for_viewing(request.user, case_pk)
    review = get_object_or_404(case.reviews.select_related("meeting", "by"), pk=pk)
    record_read(reader=request.user, record=case)
    return render(
        request,
        "panel/review_detail.html",
        {
            "case": case,
            "review": review,
            "assessment": review_selectors.snapshot_for_reading(review.snapshot),
        },
    )
