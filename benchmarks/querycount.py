"""Bench-only: the app as `make bench` serves it, each response saying in an `X-Queries`
header how many SQL statements its request ran, and in `X-Server-Ms` how long Django took to
start the response (the view's time, without the wait for a free worker) (docs/benchmarks.md).

It wraps the WSGI application rather than adding a middleware, so that production's settings
and middleware are exactly what is measured; nothing in the project imports it, and only the
bench's gunicorn is pointed at it (`benchmarks.querycount:application`). Even then it counts
only when CASPA_BENCH_QUERY_COUNT=1: without that it is the plain application.
"""

import os
import time
from contextlib import ExitStack

from caspa.wsgi import application as django_application

HEADER = "X-Queries"
TIME_HEADER = "X-Server-Ms"


class CountQueries:
    """Counts every statement on every database connection while Django handles the request;
    the header goes in when Django starts the response, after the view has run."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        from django.db import connections

        count = 0
        began = time.perf_counter()

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        def start(status, headers, exc_info=None):
            took = f"{(time.perf_counter() - began) * 1000:.1f}"
            added = [(HEADER, str(count)), (TIME_HEADER, took)]
            return start_response(status, [*headers, *added], exc_info)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            return self.app(environ, start)


if os.environ.get("CASPA_BENCH_QUERY_COUNT") == "1":
    application = CountQueries(django_application)
else:
    application = django_application
