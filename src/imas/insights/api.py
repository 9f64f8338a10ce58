"""The trends API: /api/v1/trends and its parts.

    GET /trends                 the dashboard's data (totals, fitness/fatigue/form, efforts,
                                goals, records), exactly what the page shows
    GET /trends/totals          totals per week/month/year and sport over a date range
    GET /trends/load            daily load, fitness (CTL), fatigue (ATL), form (TSB)
    GET /trends/efforts         pace and heart rate over time for comparable efforts
    GET /trends/heatmap         the simplified routes (encoded polylines) for a heat map
    GET /trends/records         recent personal records (from the segments app, if installed)
    GET /trends/years/{year}    a year in review

Amounts are SI (metres, seconds, kcal). Days are local days in the person's time zone;
weeks start on Monday.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from imas.api.auth import request_user
from imas.api.errors import ApiError
from imas.insights import records, selectors
from imas.insights.dashboard import dashboard_data
from imas.insights.services import ensure_daily_totals

router = Router(tags=["trends"])
API_PREFIX = "/trends"

SportName = Literal["running", "walking", "cycling", "swimming", "hiking", "gym", "other"]
MAX_SPAN_DAYS = 10 * 366


class TotalsQuery(Schema):
    period: Literal["week", "month", "year"] = "week"
    sport: SportName | None = None
    date_from: dt.date | None = Field(None, description="default: 26 periods back")
    date_to: dt.date | None = Field(None, description="default: today")


def _today(request: HttpRequest) -> dt.date:
    return selectors.local_today(request_user(request), timezone.now())


FIRST_DAY = dt.date(1971, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)


def _check_day(name: str, day: dt.date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ApiError(422, "invalid", f"{name} must lie between 1971 and 2200.", name)


def _check_span(first: dt.date, last: dt.date) -> None:
    _check_day("date_from", first)
    _check_day("date_to", last)
    if last < first:
        raise ApiError(422, "invalid", "date_to is before date_from.", "date_to")
    if (last - first).days > MAX_SPAN_DAYS:
        raise ApiError(422, "invalid", "Ask for at most ten years at a time.", "date_from")


@router.get("")
def trends(request: HttpRequest) -> Any:
    user = request_user(request)
    ensure_daily_totals(user)
    return dashboard_data(owner=user)


@router.get("/totals")
def totals(request: HttpRequest, query: Query[TotalsQuery]) -> Any:
    user = request_user(request)
    last = query.date_to or _today(request)
    _check_day("date_to", last)
    first = query.date_from or selectors.period_step(
        query.period, selectors.period_start(query.period, last), -25
    )
    _check_span(first, last)
    rows = selectors.totals_by_period(
        owner=user, period=query.period, first=first, last=last, sport=query.sport
    )
    return {
        "period": query.period,
        "week_starts_on": "monday",
        "time_zone": user.time_zone,
        "results": rows,
        "series": selectors.period_series(rows, query.period, first, last),
    }


class LoadQuery(Schema):
    days: int = Field(180, ge=1, le=selectors.MAX_LOAD_DAYS)
    date_to: dt.date | None = None


@router.get("/load")
def load(request: HttpRequest, query: Query[LoadQuery]) -> Any:
    last = query.date_to or _today(request)
    if not FIRST_DAY <= last <= LAST_DAY or (last - FIRST_DAY).days < query.days:
        raise ApiError(422, "invalid", "date_to must lie between 1971 and 2200.", "date_to")
    first = last - dt.timedelta(days=query.days - 1)
    series = selectors.load_series(owner=request_user(request), first=first, last=last)
    return {"method": "CTL 42-day, ATL 7-day EWMA of TSS/hrTSS/TRIMP; TSB = CTL - ATL", **series}


class EffortsQuery(Schema):
    sport: SportName | None = None
    distance_m: float | None = Field(None, gt=0, le=1_000_000)
    tolerance: float = Field(0.2, gt=0, le=0.5)
    limit: int = Field(selectors.MAX_EFFORTS, ge=2, le=selectors.MAX_EFFORTS)


@router.get("/efforts")
def efforts(request: HttpRequest, query: Query[EffortsQuery]) -> Any:
    user = request_user(request)
    if query.sport is None or query.distance_m is None:
        band = selectors.effort_band_default(owner=user)
        if band is None:
            return {"points": [], "pace_trend": None, "hr_trend": None}
        if query.sport is not None or query.distance_m is not None:
            band = selectors.EffortBand(
                query.sport or band.sport, query.distance_m or band.distance_m, query.tolerance
            )
    else:
        band = selectors.EffortBand(query.sport, query.distance_m, query.tolerance)
    return selectors.comparable_efforts(owner=user, band=band, limit=query.limit)


class HeatmapQuery(Schema):
    year: int | None = Field(None, ge=1971, le=2200)
    sport: SportName | None = None
    limit: int = Field(2000, ge=1, le=5000)


@router.get("/heatmap", url_name="heatmap")
def heatmap(request: HttpRequest, query: Query[HeatmapQuery]) -> Any:
    return selectors.route_polylines(
        owner=request_user(request), year=query.year, sport=query.sport, limit=query.limit
    )


@router.get("/records")
def recent_records(request: HttpRequest) -> Any:
    return {"results": records.records_recent(owner=request_user(request), limit=20)}


@router.get("/years/{year}")
def year_review(request: HttpRequest, year: int) -> Any:
    if not 1971 <= year <= 2200:
        raise ApiError(404, "not_found", "No such year.")
    return selectors.year_review(owner=request_user(request), year=year)
