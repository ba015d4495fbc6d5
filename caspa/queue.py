"""Queuing background work without letting a broker outage break the request.

Work is queued only once the transaction commits (a task must never run before the data it
reads exists), and a broker that is down is logged, not raised: the user's change is already
saved, and periodic sweeps catch up with anything the database says is still due.
"""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    def send():
        try:
            task.delay(*args)
        except Exception:  # kombu's OperationalError, or a refused or timed-out connection
            log.exception("Could not queue %s; it will be caught up later", task.name)

    transaction.on_commit(send)
