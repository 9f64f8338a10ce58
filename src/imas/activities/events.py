"""Domain events of the activities app: other apps subscribe, activities never import them.

Each signal is sent once, after the transaction that made the change has committed, with the
ids only (receivers read what they need; a receiver's failure never undoes the change).

    activity_created(sender, activity_id, owner_id)   segments, goals, training load
    activity_updated(sender, activity_id, owner_id, fields)
    activity_deleted(sender, activity_id, owner_id)

Within a web request the signals go out once the response has been sent (Django's
request_finished, which the WSGI server triggers after the last byte), so the person's upload
is answered without waiting for every subscriber to queue its work; outside a request (the
worker, a command) they go out at the commit itself.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

activity_created = Signal()
activity_updated = Signal()
activity_deleted = Signal()

# Per thread: None outside a request, else the events waiting for the response to be sent.
_state = threading.local()


def _dispatch(signal: Signal, kwargs: dict[str, Any]) -> None:
    for receiver, result in signal.send_robust(sender="imas.activities", **kwargs):
        if isinstance(result, Exception):
            logger.error("activity event receiver %r failed: %s", receiver, result)


def _flush() -> None:
    pending: list[tuple[Signal, dict[str, Any]]] | None = getattr(_state, "pending", None)
    _state.pending = None
    for signal, kwargs in pending or []:
        _dispatch(signal, kwargs)


def _on_request_started(**_kwargs: Any) -> None:
    _flush()  # anything a previous request left (a server that never closed its response)
    _state.pending = []


def _on_request_finished(**_kwargs: Any) -> None:
    _flush()


request_started.connect(_on_request_started, dispatch_uid="imas.activities.events.started")
request_finished.connect(_on_request_finished, dispatch_uid="imas.activities.events.finished")


def send_after_commit(signal: Signal, **kwargs: Any) -> None:
    """Send `signal` once the current transaction commits (and, in a request, once the
    response is out); receivers' errors are logged, never raised."""

    def _after_commit() -> None:
        pending: list[tuple[Signal, dict[str, Any]]] | None = getattr(_state, "pending", None)
        if pending is None:
            _dispatch(signal, kwargs)
        else:
            pending.append((signal, kwargs))

    transaction.on_commit(_after_commit)
