"""Pages that belong to no one app: home, about, health, and the error pages."""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions import sweep
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
    """For monitoring and the load balancer (docs/operations.md, "/health/"): the database,
    the broker, when the reminder sweep last ran and how many messages wait unsent. Counts
    and times only, never a person's details. 503 only when the database does not answer
    (this process can serve nothing); anything else wrong is "degraded", logged as an
    error, and still 200, so the load balancer keeps sending pages that work."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        log.error("Health: the database does not answer (%s)", type(error).__name__)
        return JsonResponse({"status": "down", "database": "down"}, status=503)
    now = timezone.now()
    broker = broker_status()
    sweep_now = sweep.sweep_health(now=now)
    sweep.log_health_problems(sweep_now, now=now)
    problems = [*(("broker_down",) if broker == BROKER_DOWN else ()), *sweep_now.problems]
    last = sweep_now.last_ran_at
    return JsonResponse(
        {
            "status": "degraded" if problems else "ok",
            "database": "ok",
            "broker": broker,
            "sweep_last_ran_at": last.isoformat() if last else None,
            "sweep_minutes_ago": int((now - last).total_seconds() // 60) if last else None,
            "outbox_waiting": sweep_now.waiting,
            "problems": problems,
        }
    )


BROKER_DOWN = "down"


def broker_status() -> str:
    """ "ok", "down", or "not configured" (the demo, with no Redis): a ping with a short
    timeout, so a broker that does not answer cannot hold the health check."""
    if not settings.REDIS_URL:
        return "not configured"
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
    )
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        log.error("Health: the broker does not answer (%s)", type(error).__name__)
        return BROKER_DOWN
    finally:
        client.close()
    return "ok"


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
