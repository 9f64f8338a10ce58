"""Celery tasks of the segments app: thin wrappers that take ids and call services.

Every task is idempotent: matching replaces an activity's (or a segment's) efforts and cells,
and records are rebuilt from the activities, so a redelivered message does no harm.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="segments.activity_match", ignore_result=True)  # type: ignore[untyped-decorator]
def activity_match_task(activity_id: int) -> None:
    from imas.segments.services import activity_match_segments

    activity_match_segments(activity_id=int(activity_id))


@shared_task(name="segments.activity_changed", ignore_result=True)  # type: ignore[untyped-decorator]
def activity_changed_task(activity_id: int, owner_id: int, rematch: bool) -> None:
    """One task per activity event (the web request enqueues only this): match the activity
    against the segments when it is new or its sport changed, then ask for a records rebuild."""
    from imas.segments.records import records_request
    from imas.segments.services import activity_match_segments

    if rematch:
        activity_match_segments(activity_id=int(activity_id))
    records_request(owner_id=int(owner_id))


@shared_task(name="segments.segment_backfill", ignore_result=True)  # type: ignore[untyped-decorator]
def segment_backfill_task(segment_id: int) -> None:
    from imas.segments.services import segment_backfill

    segment_backfill(segment_id=int(segment_id))


@shared_task(name="segments.records_recompute", ignore_result=True)  # type: ignore[untyped-decorator]
def records_recompute_task(owner_id: int) -> None:
    from imas.segments.records import records_recompute

    records_recompute(owner_id=int(owner_id))


@shared_task(name="segments.unmatched_backfill", ignore_result=True)  # type: ignore[untyped-decorator]
def unmatched_backfill_task(limit: int = 500) -> None:
    from imas.segments.services import activities_unmatched_match

    activities_unmatched_match(limit=int(limit))


UNMATCHED_EVERY_S = 600.0


def _register_periodic_backfill() -> None:
    # Activities whose match task was lost (a broker restart) are picked up within minutes.
    from imas.celery import app

    schedule = dict(app.conf.beat_schedule or {})
    schedule["segments-unmatched-backfill"] = {
        "task": "segments.unmatched_backfill",
        "schedule": UNMATCHED_EVERY_S,
    }
    app.conf.beat_schedule = schedule


_register_periodic_backfill()
