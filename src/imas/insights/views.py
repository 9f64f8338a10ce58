"""Trend pages: the dashboard, the heat map of one's own routes and the year in review.

The pages render what the selectors give the API, and hand chart data to our own chart script
through json_script (the CSP forbids inline scripts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from imas.accounts.models import User
from imas.activities.models import Sport
from imas.activities.templatetags.activity_format import uses_pace
from imas.goals.formatting import display_unit, from_display, to_display
from imas.goals.presentation import achievement_notes, goal_cards
from imas.goals.selectors import goals_progress
from imas.insights import selectors
from imas.insights.dashboard import dashboard_data
from imas.insights.services import ensure_daily_totals


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _sport_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Sport.choices}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    now = timezone.now()
    ensure_daily_totals(user)
    goals = goals_progress(owner=user, now=now)
    band = _band_from_query(request, user)
    data = dashboard_data(owner=user, now=now, goals=goals, band=band)
    charts = {
        "units": user.units,
        "sports": _sport_labels(),
        "weekly": data["weekly"],
        "monthly": data["monthly"],
        "yearly": data["yearly"],
        "load": data["load"],
        "efforts": data["efforts"],
        # Rides are compared by speed, runs, walks, hikes and swims by pace (as on activities).
        "effort_speed": bool(data["efforts"]) and not uses_pace(data["efforts"]["sport"]),
    }
    return render(
        request,
        "insights/dashboard.html",
        {
            "data": data,
            "charts": charts,
            "cards": goal_cards(user, now, goals),
            "weekly_table": _period_table(data["weekly"]),
            "effort_sports": [(v, label) for v, label in Sport.choices if v != Sport.GYM],
            "effort_distance": (
                round(to_display("distance", data["efforts"]["distance_m"], user.units), 1)
                if data["efforts"]
                else ""
            ),
            "distance_unit": display_unit("distance", user.units),
            "effort_speed": charts["effort_speed"],
            "notes": achievement_notes(user, now),
            "year": data["today"].year,
        },
    )


def _band_from_query(request: HttpRequest, user: User) -> selectors.EffortBand | None:
    """The efforts the person asked to compare (?sport=running&distance=10 in their units);
    None (the default) for anything missing or out of range."""
    sport = request.GET.get("sport", "")
    try:
        distance = float(request.GET.get("distance", ""))
    except ValueError:
        return None
    if sport not in Sport.values or not 0.1 <= distance <= 1000:
        return None
    return selectors.EffortBand(sport, from_display("distance", distance, user.units), 0.2)


def _period_table(series: dict[str, Any]) -> list[dict[str, Any]]:
    """A chart's periods as table rows (all sports together), newest first: the same figures
    for screen readers and browsers without JavaScript."""
    rows = []
    for i, label in enumerate(series["labels"]):
        row: dict[str, Any] = {"first": dt.date.fromisoformat(label)}
        for measure in ("count", "distance_m", "moving_s", "ascent_m"):
            row[measure] = sum(sport[measure][i] for sport in series["sports"].values())
        rows.append(row)
    return rows[::-1]


@login_required
def heatmap(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    year = request.GET.get("year", "")
    sport = request.GET.get("sport", "")
    return render(
        request,
        "insights/heatmap.html",
        {
            "years": selectors.years_with_activities(owner=user),
            "sports": Sport.choices,
            "year": int(year) if year.isdigit() and 1971 <= int(year) <= 2200 else None,
            "sport": sport if sport in Sport.values else "",
            "map_config": _map_config(),
        },
    )


def _map_config() -> dict[str, object]:
    """Where the heat map's tiles come from: IMAS's own tile proxy, or none (a plain dark
    background) when tiles are off or the proxy is not installed."""
    tiles = None
    if getattr(settings, "IMAS_TILES_ENABLED", False):
        try:
            sample = reverse("tiles:tile", kwargs={"z": 1, "x": 2, "y": 3})
            tiles = sample.replace("/1/2/3.png", "/{z}/{x}/{y}.png")
        except NoReverseMatch:
            tiles = None
    return {
        "tiles": tiles,
        "attribution": str(getattr(settings, "IMAS_TILE_ATTRIBUTION", "")),
        "max_zoom": int(getattr(settings, "IMAS_TILE_MAX_ZOOM", 18)),
    }


@login_required
def year_review_current(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return redirect("insights:year", year=selectors.local_today(user, timezone.now()).year)


@login_required
def year_review(request: HttpRequest, year: int) -> HttpResponse:
    if not 1971 <= year <= 2200:
        raise Http404
    user = _user(request)
    review = selectors.year_review(owner=user, year=year)
    years = selectors.years_with_activities(owner=user)
    return render(
        request,
        "insights/year.html",
        {
            "review": review,
            "year": year,
            "years": years,
            "sport_labels": _sport_labels(),
            "charts": {"units": user.units, "sports": _sport_labels(), "monthly": review["months"]},
            "map_config": _map_config(),
        },
    )
