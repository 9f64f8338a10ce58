"""The privacy app listens to new activities: a person who withdrew consent to health data
gets new uploads analysed without heart rate too (the upload itself does not ask)."""

from __future__ import annotations

from typing import Any


def on_activity_created(sender: Any, activity_id: int, owner_id: int, **kwargs: Any) -> None:
    from imas.accounts.models import User
    from imas.privacy.selectors import health_data_allowed
    from imas.privacy.tasks import activity_recompute_task

    owner = User.objects.filter(pk=owner_id).first()
    if owner is not None and not health_data_allowed(owner):
        activity_recompute_task.delay(int(activity_id))


def connect() -> None:
    try:
        from imas.activities import events
    except ImportError:  # a platform without activities
        return
    events.activity_created.connect(on_activity_created, dispatch_uid="privacy-health-new")
