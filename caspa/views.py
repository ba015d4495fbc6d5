"""Pages that belong to no one app: home, health, and the error pages."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)


@login_required
def home(request):
    return render(request, "home.html")


def health(request):
    """For the load balancer: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason=""):
    log.info("CSRF failure on %s: %s", request.path, reason)
    return render(request, "errors/csrf.html", status=403)


def bad_request(request, exception):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the page must render even when the session or database is what broke.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
