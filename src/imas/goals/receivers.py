"""The goals app listens to the activities' domain events: any change may move a goal.

The events are sent after the activity's transaction committed, with ids only; the work
happens in a Celery task that takes the owner's id.
"""

from __future__ import annotations

import logging
from typing import Any

from imas.activities import events

logger = logging.getLogger(__name__)


def _recheck(owner_id: Any, **_kwargs: Any) -> None:
    from imas.goals.tasks import goals_check_for_owner_task

    goals_check_for_owner_task.delay(int(owner_id))


def on_activity_changed(sender: Any, owner_id: int, **kwargs: Any) -> None:
    _recheck(owner_id)


def connect() -> None:
    for signal in (events.activity_created, events.activity_updated, events.activity_deleted):
        signal.connect(on_activity_changed, dispatch_uid=f"goals-recheck-{id(signal)}")
