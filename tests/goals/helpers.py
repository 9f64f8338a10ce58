"""Test data for goals and trends: activity rows as the activities app stores them."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from imas.activities.models import Activity


def local(zone: str, *args: int) -> dt.datetime:
    """An aware datetime on the wall clock of `zone`, e.g. local("Europe/Vienna", 2025, 3, 30)."""
    return dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))  # type: ignore[misc]


def activity(owner: Any, start: dt.datetime, **fields: Any) -> Activity:
    """One summary row, as an upload would leave it (no events: a factory for read tests)."""
    values: dict[str, Any] = {
        "name": "Run",
        "sport": "running",
        "distance_m": 10_000.0,
        "moving_s": 3_000.0,
        "elapsed_s": 3_100.0,
        "ascent_m": 50.0,
        "calories_kcal": 700.0,
        "avg_speed_mps": 10_000.0 / 3_000.0,
        "trimp": 80.0,
    }
    values.update(fields)
    return Activity.objects.create(owner=owner, start_time=start.astimezone(dt.UTC), **values)
