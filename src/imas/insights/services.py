"""Writes of the insights app: keeping the DailyTotal cache in step with the activities.

Each write recomputes whole days from the activities (never adds or subtracts), so running it
twice, late or out of order gives the same rows: the tasks that call it may be redelivered.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from imas.accounts.models import User
from imas.activities.selectors import activity_list
from imas.goals import periods
from imas.insights import selectors
from imas.insights.models import DailyTotal, TotalsState

logger = logging.getLogger(__name__)

# Above this many days to refresh, rebuilding the person's whole cache is the cheaper way.
REFRESH_DAYS_MAX = 60


def _rows(owner: User, first: dt.date, last: dt.date) -> list[DailyTotal]:
    return [
        DailyTotal(
            owner_id=owner.pk,
            day=row["period"],
            sport=row["sport"],
            count=row["count"],
            distance_m=row["distance_m"],
            moving_s=row["moving_s"],
            ascent_m=row["ascent_m"],
            calories_kcal=row["calories_kcal"],
            load=row["load"],
            load_count=row["load_count"],
        )
        for row in selectors.totals_by_period(
            owner=owner, period="day", first=first, last=last, source="live"
        )
    ]


def daily_totals_rebuild(*, owner_id: int) -> int:
    """Recompute all of a person's daily totals in their current time zone; rows written."""
    owner = User.objects.filter(pk=owner_id).first()
    if owner is None:
        return 0
    zone = periods.zone_of(owner.time_zone)
    with transaction.atomic():
        # The state row is the per-person lock: refreshes wait while a rebuild runs.
        TotalsState.objects.select_for_update().filter(owner_id=owner_id).first()
        DailyTotal.objects.filter(owner_id=owner_id).delete()
        span = (
            activity_list(owner=owner)
            .order_by()
            .aggregate(first=Min("start_time"), last=Max("start_time"))
        )
        rows: list[DailyTotal] = []
        if span["first"] is not None:
            first = span["first"].astimezone(zone).date()
            last = span["last"].astimezone(zone).date()
            rows = _rows(owner, first, last)
            DailyTotal.objects.bulk_create(rows, batch_size=500)
        TotalsState.objects.update_or_create(
            owner_id=owner_id,
            defaults={"time_zone": owner.time_zone, "built_at": timezone.now()},
        )
    logger.info("daily totals of person %s rebuilt: %d rows", owner_id, len(rows))
    return len(rows)


def daily_totals_refresh(*, owner_id: int, instants: Iterable[dt.datetime]) -> None:
    """Recompute the local days that hold these instants (activity starts that changed).

    Without a complete cache in the person's current zone, rebuild it all instead."""
    owner = User.objects.filter(pk=owner_id).first()
    if owner is None:
        return
    zone = periods.zone_of(owner.time_zone)
    days = sorted({t.astimezone(zone).date() for t in instants})
    if len(days) > REFRESH_DAYS_MAX:  # many days at once: one rebuild is cheaper
        daily_totals_rebuild(owner_id=owner_id)
        return
    with transaction.atomic():
        state = TotalsState.objects.select_for_update().filter(owner_id=owner_id).first()
        if state is None or state.time_zone != owner.time_zone:
            ready = False
        else:
            ready = True
            for day in days:
                DailyTotal.objects.filter(owner_id=owner_id, day=day).delete()
                DailyTotal.objects.bulk_create(_rows(owner, day, day))
    if not ready:
        daily_totals_rebuild(owner_id=owner_id)


def ensure_daily_totals(owner: User) -> None:
    """Queue a rebuild when the person's cache is missing or cut in another zone (a new
    account, a changed time zone); until it is done, pages sum the activities directly."""
    if selectors.daily_totals_ready(owner):
        return
    from imas.insights.tasks import daily_totals_rebuild_task

    try:
        daily_totals_rebuild_task.delay(owner.pk)
    except Exception:  # no broker right now: the live sums still answer
        logger.exception("queueing a daily totals rebuild failed")
