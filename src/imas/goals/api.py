"""The goals API: /api/v1/goals (list, create), /api/v1/goals/{id} (read, change, delete),
/api/v1/goals/{id}/progress (the current period and, for recurring goals, earlier ones).

Amounts are SI: distance and elevation in metres, time in seconds, energy in kcal, count in
activities. Periods are local days in the person's time zone; weeks start on Monday.
Another person's goal answers 404, exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from imas.api.auth import request_user
from imas.api.errors import ApiError
from imas.goals import selectors, services
from imas.goals.models import Goal, Metric

router = Router(tags=["goals"])
API_PREFIX = "/goals"

NOT_FOUND = ApiError(404, "not_found", "No such goal.")
SI_UNIT = {
    Metric.DISTANCE: "m",
    Metric.TIME: "s",
    Metric.COUNT: "activities",
    Metric.ELEVATION: "m",
    Metric.ENERGY: "kcal",
}

PeriodName = Literal["week", "month", "year", "custom"]
MetricName = Literal["distance", "time", "count", "elevation", "energy"]
SportName = Literal["", "running", "walking", "cycling", "swimming", "hiking", "gym", "other"]


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class GoalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=120)
    period: PeriodName
    sport: SportName | None = Field(None, description="empty or null: every sport")
    metric: MetricName
    target: float = Field(..., description="metres, seconds, activities or kcal")
    start_date: dt.date | None = Field(None, description="default: today in your time zone")
    end_date: dt.date | None = Field(None, description="custom spans only, inclusive")
    recurring: bool = False
    notify_email: bool = False


class GoalPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=120)
    period: PeriodName | None = None
    sport: SportName | None = None
    metric: MetricName | None = None
    target: float | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    recurring: bool | None = None
    notify_email: bool | None = None


class ProgressOut(Schema):
    period_first: dt.date
    period_last: dt.date
    starts: dt.datetime
    ends: dt.datetime
    state: str
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


class GoalOut(Schema):
    id: int
    name: str
    title: str
    period: str
    sport: str
    metric: str
    unit: str
    target: float
    start_date: dt.date
    end_date: dt.date | None
    recurring: bool
    notify_email: bool
    created_at: dt.datetime
    progress: ProgressOut
    links: dict[str, str]


class GoalListOut(Schema):
    count: int
    results: list[GoalOut]


class HistoryOut(Schema):
    goal_id: int
    week_starts_on: str
    time_zone: str
    periods: list[ProgressOut]


def _out(goal: Goal, progress: selectors.GoalProgress) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "name": goal.name,
        "title": services.goal_title(goal),
        "period": goal.period,
        "sport": goal.sport,
        "metric": goal.metric,
        "unit": SI_UNIT[Metric(goal.metric)],
        "target": goal.target,
        "start_date": goal.start_date,
        "end_date": goal.end_date,
        "recurring": goal.recurring,
        "notify_email": goal.notify_email,
        "created_at": goal.created_at,
        "progress": progress.as_dict(),
        "links": {
            "self": f"/api/v1/goals/{goal.pk}",
            "progress": f"/api/v1/goals/{goal.pk}/progress",
        },
    }


def _goal(request: HttpRequest, goal_id: int) -> Goal:
    try:
        return selectors.goal_get_for_owner(owner=request_user(request), goal_id=goal_id)
    except Goal.DoesNotExist:
        raise NOT_FOUND from None


@router.get("", response={200: GoalListOut})
def goal_list(request: HttpRequest) -> Any:
    rows = selectors.goals_progress(owner=request_user(request))
    return {"count": len(rows), "results": [_out(goal, progress) for goal, progress in rows]}


@router.post("", response={201: GoalOut, 422: ErrorOut})
def goal_create(request: HttpRequest, payload: GoalIn) -> Any:
    fields = payload.model_dump()
    fields["sport"] = fields["sport"] or ""
    goal = services.goal_create(owner=request_user(request), **fields)
    return Status(201, _out(goal, selectors.goal_progress(goal)))


@router.get("/{goal_id}", response={200: GoalOut, 404: ErrorOut})
def goal_detail(request: HttpRequest, goal_id: int) -> Any:
    goal = _goal(request, goal_id)
    return _out(goal, selectors.goal_progress(goal))


@router.patch("/{goal_id}", response={200: GoalOut, 404: ErrorOut, 422: ErrorOut})
def goal_update(request: HttpRequest, goal_id: int, payload: GoalPatch) -> Any:
    goal = _goal(request, goal_id)
    fields = payload.model_dump(exclude_unset=True)
    for name in ("period", "metric", "target", "start_date", "recurring", "notify_email"):
        if name in fields and fields[name] is None:
            raise ApiError(422, "invalid", f"{name} cannot be null.", name)
    if "sport" in fields:
        fields["sport"] = fields["sport"] or ""
    if "name" in fields:
        fields["name"] = fields["name"] or ""
    goal = services.goal_update(goal=goal, **fields)
    return _out(goal, selectors.goal_progress(goal))


@router.delete("/{goal_id}", response={204: None, 404: ErrorOut})
def goal_delete(request: HttpRequest, goal_id: int) -> Any:
    services.goal_delete(goal=_goal(request, goal_id))
    return Status(204, None)


class HistoryQuery(Schema):
    periods: int = Field(1, ge=1, le=selectors.MAX_HISTORY, description="how many, newest first")


@router.get("/{goal_id}/progress", response={200: HistoryOut, 404: ErrorOut, 422: ErrorOut})
def goal_progress(request: HttpRequest, goal_id: int, query: Query[HistoryQuery]) -> Any:
    goal = _goal(request, goal_id)
    history = selectors.goal_history(goal, count=query.periods)
    return {
        "goal_id": goal.pk,
        "week_starts_on": "monday",
        "time_zone": goal.owner.time_zone,
        "periods": [p.as_dict() for p in history],
    }
