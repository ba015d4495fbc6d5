"""Pages that belong to no one app: home, health, and the error pages."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from actions import permissions as action_permissions
from actions import selectors as action_selectors
from panel import minutes as panel_minutes
from panel import permissions as panel_permissions
from panel import returns as panel_returns
from panel import review_selectors, room_selectors
from referrals import permissions as referral_permissions
from referrals import selectors as referral_selectors

log = logging.getLogger(__name__)


@login_required
def home(request):
    user = request.user
    context = {
        "can_screen": referral_permissions.can_screen(user),
        "can_make_referrals": referral_permissions.can_make_referrals(user),
        # A running panel meeting the user may follow on the room display, or could once they
        # agree to its confidentiality statement there.
        "meetings_to_follow": room_selectors.meetings_to_follow(user),
    }
    if context["can_screen"]:
        context["waiting_for_screening"] = referral_selectors.waiting_for_screening_count()
    if context["can_make_referrals"]:
        context["questions"] = referral_selectors.questions_for_referrer(user)
        context["referrals_of_agency"] = referral_permissions.referrals_for_listing(user).agency
    if panel_permissions.can_run_panel(user):
        context["past_review"] = list(review_selectors.cases_past_review(timezone.localdate()))
    if panel_permissions.can_chair(user):
        context["minutes_waiting"] = panel_minutes.waiting_for_approval(timezone.localdate())
    if action_permissions.receives_chair_escalations(user):
        context["escalated_to_chair"] = action_selectors.escalated_to_chair()
    if panel_permissions.submits_returns(user):
        context["returns_due"] = panel_returns.returns_due(user)
    if action_permissions.updates_agency_actions(user):
        context["agency_actions"] = action_selectors.agency_actions_overdue_first(user.agency)
        context["escalated_to_us"] = action_selectors.escalated_to_agency(user)
    return render(request, "home.html", context)


def health(request):
    """For the load balancer: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# status: (title, paragraphs). Plain words, no codes, and never anything from the request.
ERROR_PAGES = {
    400: (
        "Sorry, there is a problem with that request",
        ["Check the address or the form you sent, and try again."],
    ),
    403: (
        "You cannot see this page",
        [
            "This page is for people in a different role, or about a case your agency is not "
            "involved in. If you think you should see it, ask the panel coordinator."
        ],
    ),
    404: (
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the whole address.",
        ],
    ),
    500: (
        "Sorry, there is a problem with the service",
        ["Try again later. Nothing you had already saved has been lost."],
    ),
    "csrf": (
        "Your form could not be sent",
        [
            "This usually happens when a page has been open for a long time, or you signed "
            "out and in again in another tab.",
            "Go back, reload the page, and send the form again. Copy anything long you typed "
            "before you reload it.",
        ],
    ),
}


def error_page(request, kind, status):
    title, paragraphs = ERROR_PAGES[kind]
    context = {"title": title, "paragraphs": paragraphs}
    return render(request, "errors/page.html", context, status=status)


def csrf_failure(request, reason=""):
    log.info("CSRF failure on %s: %s", request.path, reason)
    return error_page(request, "csrf", 403)


def bad_request(request, exception):
    return error_page(request, 400, 400)


def permission_denied(request, exception):
    return error_page(request, 403, 403)


def page_not_found(request, exception):
    return error_page(request, 404, 404)


def server_error(request):
    # No request context: the page must render even when the session or database is what broke.
    title, paragraphs = ERROR_PAGES[500]
    html = loader.get_template("errors/page.html").render(
        {"title": title, "paragraphs": paragraphs}
    )
    return HttpResponseServerError(html)
