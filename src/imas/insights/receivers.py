"""The insights app keeps its daily totals in step with the activities.

Created and updated activities arrive as the activities' domain events (after commit, ids only).
A deleted activity is gone by the time its event arrives, so the day it started on is taken
from Django's post_delete of the row itself, and one refresh per person is queued when the
deleting transaction commits, however many activities it deleted (an erasure, a clean-up).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete

from imas.activities import events
from imas.activities.models import Activity

logger = logging.getLogger(__name__)

# Per thread: for each person, the refresh queued for the open transaction and its instants.
_local = threading.local()


def on_activity_saved(sender: Any, activity_id: int, owner_id: int, **kwargs: Any) -> None:
    from imas.insights.tasks import daily_totals_refresh_activity_task

    daily_totals_refresh_activity_task.delay(int(owner_id), int(activity_id))


def _pending() -> dict[int, tuple[Callable[[], None], list[str]]]:
    if not hasattr(_local, "pending"):
        _local.pending = {}
    pending: dict[int, tuple[Callable[[], None], list[str]]] = _local.pending
    return pending


def _still_queued(flush: Callable[[], None]) -> bool:
    """Whether `flush` still waits for the open transaction to commit (not run, not rolled
    back with it)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(item[1] is flush for item in connection.run_on_commit)


def on_activity_row_deleted(sender: Any, instance: Activity, **kwargs: Any) -> None:
    owner_id, start = int(instance.owner_id), instance.start_time
    origin = kwargs.get("origin")
    origin_model = getattr(origin, "model", type(origin))
    if start is None or (origin is not None and origin_model is not Activity):
        return  # a person's whole account going: their totals go with it (cascade)
    pending = _pending()
    queued = pending.get(owner_id)
    if queued is not None and _still_queued(queued[0]):
        queued[1].append(start.isoformat())
        return
    instants = [start.isoformat()]

    def flush() -> None:
        if pending.get(owner_id, (None,))[0] is flush:
            del pending[owner_id]
        from imas.insights.tasks import daily_totals_refresh_task

        try:
            daily_totals_refresh_task.delay(owner_id, instants)
        except Exception:  # the cache heals on the next rebuild; the delete itself stands
            logger.exception("queueing a daily totals refresh failed")

    pending[owner_id] = (flush, instants)
    transaction.on_commit(flush)


def connect() -> None:
    events.activity_created.connect(on_activity_saved, dispatch_uid="insights-created")
    events.activity_updated.connect(on_activity_saved, dispatch_uid="insights-updated")
    post_delete.connect(on_activity_row_deleted, sender=Activity, dispatch_uid="insights-deleted")
