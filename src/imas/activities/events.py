"""Domain events of the activities app: other apps subscribe, activities never import them.

Each signal is sent once, after the transaction that made the change has committed, with the
ids only (receivers read what they need; a receiver's failure never undoes the change).

    activity_created(sender, activity_id, owner_id)   segments, goals, training load
    activity_updated(sender, activity_id, owner_id, fields)
    activity_deleted(sender, activity_id, owner_id)
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

activity_created = Signal()
activity_updated = Signal()
activity_deleted = Signal()


def send_after_commit(signal: Signal, **kwargs: object) -> None:
    """Send `signal` once the current transaction commits; receivers' errors are logged."""

    def _send() -> None:
        for receiver, result in signal.send_robust(sender="imas.activities", **kwargs):
            if isinstance(result, Exception):
                logger.error("activity event receiver %r failed: %s", receiver, result)

    transaction.on_commit(_send)
