"""The segments app's subscription to the activities' domain events (imas.activities.events).

The events arrive after the activity's transaction committed; each enqueues one task with ids
only (so an upload pays for one enqueue). A created activity is matched against the segments
and its owner's records rebuilt; an edit of the sport re-matches (segments are per sport) and
rebuilds records; a deletion leaves the efforts and cells to the database's cascade and
rebuilds the records. Record rebuilds are coalesced (records.records_request): an import of
thousands of files rebuilds a handful of times, not thousands.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from imas.activities.events import activity_created, activity_deleted, activity_updated
from imas.segments.tasks import activity_changed_task

# Edits that change what an activity matches or what it counts towards.
_REMATCH_FIELDS = frozenset({"sport"})


@receiver(activity_created, dispatch_uid="segments.activity_created")
def _on_activity_created(sender: Any, activity_id: int, owner_id: int, **_kw: Any) -> None:
    activity_changed_task.delay(activity_id, owner_id, True)


@receiver(activity_updated, dispatch_uid="segments.activity_updated")
def _on_activity_updated(
    sender: Any, activity_id: int, owner_id: int, fields: list[str] | None = None, **_kw: Any
) -> None:
    if fields is None or _REMATCH_FIELDS & set(fields):
        activity_changed_task.delay(activity_id, owner_id, True)


@receiver(activity_deleted, dispatch_uid="segments.activity_deleted")
def _on_activity_deleted(sender: Any, activity_id: int, owner_id: int, **_kw: Any) -> None:
    activity_changed_task.delay(activity_id, owner_id, False)
