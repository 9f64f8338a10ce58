"""Reads of goals and their progress.

Progress is always computed from the activities themselves with one aggregate query per goal
and period (the activities selector's queryset, summed by the database), so it is right after
any upload, edit or delete without a stored counter that could drift.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from imas.accounts.models import User
from imas.activities.selectors import activity_list
from imas.goals import periods
from imas.goals.models import Goal, GoalAchievement, Metric

# How many past periods a history may ask for.
MAX_HISTORY = 104


def metric_aggregate(metric: str) -> Any:
    """The database aggregate that a goal's metric sums (SI units)."""
    if metric == Metric.DISTANCE:
        return Sum("distance_m")
    if metric == Metric.TIME:
        # Moving time is what people train by; manual entries and some files only have elapsed.
        return Sum(Coalesce("moving_s", "elapsed_s"))
    if metric == Metric.COUNT:
        return Count("id")
    if metric == Metric.ELEVATION:
        return Sum("ascent_m")
    if metric == Metric.ENERGY:
        return Sum("calories_kcal")
    raise ValueError(f"unknown metric {metric!r}")


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """Where a goal stands in one period, in SI units; `per_day`/`per_week` say what it takes
    from today on to reach the target (None once reached or once the period is over)."""

    goal_id: int
    period: periods.Period
    starts: dt.datetime
    ends: dt.datetime
    state: str  # "upcoming", "active" or "ended"
    done: float
    target: float
    remaining: float
    percent: float
    reached: bool
    days_left: int
    expected_by_now: float
    on_track: bool
    per_day: float | None
    per_week: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "goal_id": self.goal_id,
            "period_first": self.period.first,
            "period_last": self.period.last,
            "starts": self.starts,
            "ends": self.ends,
            "state": self.state,
            "done": self.done,
            "target": self.target,
            "remaining": self.remaining,
            "percent": self.percent,
            "reached": self.reached,
            "days_left": self.days_left,
            "expected_by_now": self.expected_by_now,
            "on_track": self.on_track,
            "per_day": self.per_day,
            "per_week": self.per_week,
        }


def goal_list(*, owner: User) -> QuerySet[Goal]:
    return Goal.objects.filter(owner_id=owner.pk).order_by("created_at", "id")


def goal_get_for_owner(*, owner: Any, goal_id: int) -> Goal:
    """The goal if it is the person's own; Goal.DoesNotExist alike for missing and foreign."""
    if owner is None or not owner.is_authenticated:
        raise Goal.DoesNotExist
    return Goal.objects.select_related("owner").get(pk=goal_id, owner_id=owner.pk)


def goal_period(goal: Goal, today: dt.date) -> periods.Period:
    return periods.period_for(goal.period, goal.start_date, goal.end_date, goal.recurring, today)


def goal_total(goal: Goal, owner: User, starts: dt.datetime, ends: dt.datetime) -> float:
    qs = activity_list(owner=owner, sport=goal.sport or None, start_from=starts, start_to=ends)
    value = qs.order_by().aggregate(v=metric_aggregate(goal.metric))["v"]
    return float(value or 0.0)


def goal_progress(
    goal: Goal, *, now: dt.datetime | None = None, period: periods.Period | None = None
) -> GoalProgress:
    """Progress of a goal in its current period (or in `period`), as of `now`."""
    owner = goal.owner
    zone = periods.zone_of(owner.time_zone)
    now = now or timezone.now()
    today = periods.local_today(now, zone)
    period = period or goal_period(goal, today)
    starts, ends = periods.local_bounds(period, zone)
    done = goal_total(goal, owner, starts, ends)
    return progress_from(goal.pk, goal.target, done, period, starts, ends, today, now)


def progress_from(
    goal_id: int,
    target: float,
    done: float,
    period: periods.Period,
    starts: dt.datetime,
    ends: dt.datetime,
    today: dt.date,
    now: dt.datetime,
) -> GoalProgress:
    """The arithmetic of progress, apart from the query (so it can be tested on its own)."""
    if today < period.first:
        state, days_left = "upcoming", period.days
    elif today > period.last:
        state, days_left = "ended", 0
    else:
        state, days_left = "active", (period.last - today).days + 1  # today still counts
    remaining = max(target - done, 0.0)
    reached = target > 0 and done >= target
    percent = 100.0 * done / target if target > 0 else 0.0
    # The share of the period that has passed, by the clock (a DST day counts as it is long).
    span = (ends - starts).total_seconds()
    passed = min(max((now - starts).total_seconds(), 0.0), span)
    expected = target * passed / span if span > 0 else target
    per_day = per_week = None
    if not reached and days_left > 0:
        per_day = remaining / days_left
        per_week = per_day * 7 if days_left >= 7 else remaining
    return GoalProgress(
        goal_id=goal_id,
        period=period,
        starts=starts,
        ends=ends,
        state=state,
        done=done,
        target=target,
        remaining=remaining,
        percent=round(percent, 2) if math.isfinite(percent) else 0.0,
        reached=reached,
        days_left=days_left,
        expected_by_now=expected,
        on_track=reached or done >= expected,
        per_day=per_day,
        per_week=per_week,
    )


def goal_history(goal: Goal, *, count: int, now: dt.datetime | None = None) -> list[GoalProgress]:
    """Progress in the current period and up to count-1 periods before it (recurring goals),
    newest first. A one-off goal has one period."""
    count = max(1, min(count, MAX_HISTORY))
    current = goal_progress(goal, now=now)
    out = [current]
    if not goal.recurring:
        return out
    period = current.period
    first_ever = goal_period(goal, goal.start_date)
    while len(out) < count and period.first > first_ever.first:
        period = periods.previous_period(goal.period, period)
        out.append(goal_progress(goal, now=now, period=period))
    return out


def goals_progress(
    *, owner: User, now: dt.datetime | None = None
) -> list[tuple[Goal, GoalProgress]]:
    """Every goal of a person with its current progress, in the order they were made."""
    now = now or timezone.now()
    out = []
    for goal in goal_list(owner=owner):
        goal.owner = owner  # spare one query per goal
        out.append((goal, goal_progress(goal, now=now)))
    return out


def achievements_recent(
    *, owner: User, since: dt.datetime | None = None, limit: int = 10
) -> QuerySet[GoalAchievement]:
    """Goals reached lately (the dashboard's notes), newest first."""
    since = since or timezone.now() - dt.timedelta(days=14)
    return (
        GoalAchievement.objects.filter(Q(goal__owner_id=owner.pk) & Q(reached_at__gte=since))
        .select_related("goal")
        .order_by("-reached_at", "-id")[:limit]
    )
