"""Pages that belong to no one app: home, about, health, and the error pages."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe

from caspa import home as home_page
from caspa.core.refusals import RefusedWithReason

log = logging.getLogger(__name__)


@login_required
@require_safe
def home(request):
    """What the user has to do, most urgent first, and what changed since their last visit
    (caspa/home.py; docs/home-pages.md)."""
    return render(request, "home.html", home_page.home_context(request.user))


@login_required
@require_safe
def about(request):
    """What CASPA is and whom to ask. It asks the database nothing of its own: it is the floor
    every page's cost is measured against (docs/performance.md)."""
    return render(request, "about.html")


@require_safe
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
    if isinstance(exception, RefusedWithReason):
        context = {"title": ERROR_PAGES[403][0], "paragraphs": [exception.reason]}
        return render(request, "errors/page.html", context, status=403)
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
