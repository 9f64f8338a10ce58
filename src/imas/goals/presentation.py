"""Goals as the pages show them: progress bars with amounts in the person's units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from imas.accounts.models import User
from imas.goals import selectors, services
from imas.goals.formatting import format_amount
from imas.goals.models import Goal, Metric


def goal_cards(
    user: User,
    now: dt.datetime | None = None,
    rows: list[tuple[Goal, selectors.GoalProgress]] | None = None,
    history: int = 0,
) -> list[dict[str, Any]]:
    """One card per goal: title, bar width, marker for where one should be by now, pace.
    `rows` may pass in goals_progress() already read; `history` > 0 adds that many past
    periods of each recurring goal (oldest first), for a small chart."""
    now = now or timezone.now()
    if rows is None:
        rows = selectors.goals_progress(owner=user, now=now)
    cards = []
    for goal, p in rows:
        metric, units = goal.metric, user.units

        def amount(value: float | None, metric: str = metric, units: str = units) -> str:
            return format_amount(metric, value, units)

        # Counting activities a day at a time reads oddly; say it per week instead.
        per_day = None if metric == Metric.COUNT else p.per_day
        cards.append(
            {
                "goal": goal,
                "title": services.goal_title(goal),
                "progress": p,
                "bar": min(p.percent, 100.0),
                "marker": min(100.0 * p.expected_by_now / p.target, 100.0) if p.target else 0,
                "done": amount(p.done),
                "target": amount(p.target),
                "remaining": amount(p.remaining),
                "per_day": amount(per_day) if per_day is not None else None,
                "per_week": amount(p.per_week) if p.per_week is not None else None,
                "history": _history(goal, history, now, amount) if history else [],
            }
        )
    return cards


def _history(goal: Goal, count: int, now: dt.datetime, amount: Any) -> list[dict[str, Any]]:
    """Past periods of a recurring goal as bars of a small chart (x, height in a 0..40 box
    where 30 is the target)."""
    if not goal.recurring:
        return []
    periods = list(reversed(selectors.goal_history(goal, count=count, now=now)))
    if len(periods) < 2:
        return []  # nothing earlier to compare with yet
    width = 100.0 / count
    offset = count - len(periods)  # the newest period always sits on the right
    bars = []
    for i, p in enumerate(periods, start=offset):
        height = min(p.percent, 130.0) * 30.0 / 100.0
        bars.append(
            {
                "x": round(i * width + width * 0.15, 2),
                "y": round(40.0 - height, 2),
                "width": round(width * 0.7, 2),
                "height": round(height, 2),
                "reached": p.reached,
                "first": p.period.first,
                "last": p.period.last,
                "done": amount(p.done),
                "percent": p.percent,
            }
        )
    return bars


def achievement_notes(user: User, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Goals reached in the last two weeks, for the dashboard's notes."""
    since = (now or timezone.now()) - dt.timedelta(days=14)
    return [
        {
            "title": services.goal_title(a.goal),
            "amount": format_amount(a.goal.metric, a.value, user.units),
            "reached_at": a.reached_at,
            "period_first": a.period_first,
            "period_last": a.period_last,
        }
        for a in selectors.achievements_recent(owner=user, since=since)
    ]
