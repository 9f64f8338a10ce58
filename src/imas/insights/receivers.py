"""The insights app keeps its daily totals in step with the activities.

Created and updated activities arrive as the activities' domain events (after commit, ids only).
A deleted activity is gone by the time its event arrives, so the day it started on is taken
from Django's post_delete of the row itself, and the refresh is queued when that commits.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete

from imas.activities import events
from imas.activities.models import Activity

logger = logging.getLogger(__name__)


def on_activity_saved(sender: Any, activity_id: int, owner_id: int, **kwargs: Any) -> None:
    from imas.insights.tasks import daily_totals_refresh_activity_task

    daily_totals_refresh_activity_task.delay(int(owner_id), int(activity_id))


def on_activity_row_deleted(sender: Any, instance: Activity, **kwargs: Any) -> None:
    owner_id, start = instance.owner_id, instance.start_time
    origin = kwargs.get("origin")
    origin_model = getattr(origin, "model", type(origin))
    if start is None or (origin is not None and origin_model is not Activity):
        return  # a person's whole account going (erasure): their totals go with it

    def queue() -> None:
        from imas.insights.tasks import daily_totals_refresh_task

        try:
            daily_totals_refresh_task.delay(int(owner_id), [start.isoformat()])
        except Exception:  # the cache heals on the next rebuild; the delete itself stands
            logger.exception("queueing a daily totals refresh failed")

    transaction.on_commit(queue)


def connect() -> None:
    events.activity_created.connect(on_activity_saved, dispatch_uid="insights-created")
    events.activity_updated.connect(on_activity_saved, dispatch_uid="insights-updated")
    post_delete.connect(on_activity_row_deleted, sender=Activity, dispatch_uid="insights-deleted")
