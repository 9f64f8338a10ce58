"""Celery tasks of the insights app: they take ids (and instants) and are safe to repeat."""

from __future__ import annotations

import datetime as dt

from celery import shared_task


@shared_task(name="insights.daily_totals_refresh", ignore_result=True)  # type: ignore[untyped-decorator]
def daily_totals_refresh_task(owner_id: int, instants: list[str]) -> None:
    from imas.insights.services import daily_totals_refresh

    daily_totals_refresh(
        owner_id=int(owner_id), instants=[dt.datetime.fromisoformat(t) for t in instants]
    )


@shared_task(name="insights.daily_totals_refresh_activity", ignore_result=True)  # type: ignore[untyped-decorator]
def daily_totals_refresh_activity_task(owner_id: int, activity_id: int) -> None:
    from imas.activities.models import Activity
    from imas.insights.services import daily_totals_refresh

    start = (
        Activity.objects.filter(pk=int(activity_id), owner_id=int(owner_id))
        .values_list("start_time", flat=True)
        .first()
    )
    if start is not None:  # deleted meanwhile: the delete queued its own refresh
        daily_totals_refresh(owner_id=int(owner_id), instants=[start])


@shared_task(name="insights.daily_totals_rebuild", ignore_result=True)  # type: ignore[untyped-decorator]
def daily_totals_rebuild_task(owner_id: int) -> None:
    from imas.insights.services import daily_totals_rebuild

    daily_totals_rebuild(owner_id=int(owner_id))
