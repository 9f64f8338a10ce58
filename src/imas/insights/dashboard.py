"""What the dashboard shows, as one plain dict: the page renders it and GET /api/v1/trends
answers it, so both always agree.

Every part is a handful of grouped queries over a bounded date range (see selectors), so the
whole costs the same for 100 or 10,000 activities, give or take the database's index scan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from imas.accounts.models import User
from imas.goals.models import Goal
from imas.goals.selectors import GoalProgress, goals_progress
from imas.goals.services import goal_title
from imas.insights import records, selectors

WEEKS_SHOWN = 26
MONTHS_SHOWN = 12
LOAD_DAYS_SHOWN = 180
YEARS_SHOWN = 10


def dashboard_data(
    *,
    owner: User,
    now: dt.datetime | None = None,
    goals: list[tuple[Goal, GoalProgress]] | None = None,
    band: selectors.EffortBand | None = None,
) -> dict[str, Any]:
    """Everything the dashboard shows; `goals` may pass in goals_progress() already read,
    `band` says which efforts to compare (default: like the latest activity)."""
    now = now or timezone.now()
    if goals is None:
        goals = goals_progress(owner=owner, now=now)
    today = selectors.local_today(owner, now)
    week_first = selectors.period_start("week", today)
    month_first = selectors.period_start("month", today)
    year_first = selectors.period_start("year", today)

    weeks_first = week_first - dt.timedelta(weeks=WEEKS_SHOWN - 1)
    weekly_rows = selectors.totals_by_period(
        owner=owner, period="week", first=weeks_first, last=today
    )
    months_first = selectors.period_step("month", month_first, -(MONTHS_SHOWN - 1))
    monthly_rows = selectors.totals_by_period(
        owner=owner, period="month", first=months_first, last=today
    )
    years_first = dt.date(today.year - (YEARS_SHOWN - 1), 1, 1)
    yearly_rows = selectors.totals_by_period(
        owner=owner, period="year", first=years_first, last=today
    )
    if yearly_rows:  # the chart begins with the first year that has activities
        years_first = max(years_first, min(row["period"] for row in yearly_rows))

    def summed(rows: list[dict[str, Any]], first: dt.date) -> dict[str, Any]:
        out: dict[str, Any] = {
            "first": first,
            "count": 0,
            "distance_m": 0.0,
            "moving_s": 0.0,
            "ascent_m": 0.0,
            "calories_kcal": 0.0,
            "load": 0.0,
        }
        for row in rows:
            if row["period"] == first:
                for key in ("count", "distance_m", "moving_s", "ascent_m", "calories_kcal", "load"):
                    out[key] += row[key]
        return out

    band = band or selectors.effort_band_default(owner=owner)
    return {
        "today": today,
        "time_zone": owner.time_zone,
        "units": owner.units,
        "week_starts_on": "monday",
        "current": {
            "week": summed(weekly_rows, week_first),
            "month": summed(monthly_rows, month_first),
            "year": summed(yearly_rows, year_first),
        },
        "weekly": selectors.period_series(weekly_rows, "week", weeks_first, today),
        "monthly": selectors.period_series(monthly_rows, "month", months_first, today),
        "yearly": selectors.period_series(yearly_rows, "year", years_first, today),
        "load": selectors.load_series(
            owner=owner, first=today - dt.timedelta(days=LOAD_DAYS_SHOWN - 1), last=today
        ),
        "efforts": selectors.comparable_efforts(owner=owner, band=band) if band else None,
        "goals": [
            {"id": goal.pk, "title": goal_title(goal), "metric": goal.metric, **p.as_dict()}
            for goal, p in goals
        ],
        "records": records.records_recent(owner=owner),
    }
