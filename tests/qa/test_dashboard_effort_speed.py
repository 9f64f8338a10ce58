"""Comparable rides are charted by speed, runs by pace (QA finding: the dashboard showed a
cycling effort as "Pace 3:22 /mi" while its activity page says 17.8 mph)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from imas.activities import services

pytestmark = pytest.mark.django_db


def dashboard(owner: Any, query: str) -> tuple[str, dict[str, Any]]:
    client = Client()
    client.force_login(owner)
    page = client.get("/dashboard/" + query).content.decode()
    blob = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page)
    return page, json.loads(blob.group(1)) if blob else {}


@pytest.mark.parametrize(
    ("sport", "title", "speed"),
    [
        ("cycling", "Average speed of comparable efforts", True),
        ("running", "Average pace of comparable efforts", False),
    ],
)
def test_effort_chart_measure_follows_the_sport(
    make_user: Any, sport: str, title: str, speed: bool
) -> None:
    owner = make_user()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    for day in range(3):
        services.activity_create_manual(
            owner=owner,
            sport=sport,
            start_time=start - dt.timedelta(days=day),
            duration_s=3600,
            distance_m=20_000 + 100 * day,
        )
    page, cfg = dashboard(owner, f"?sport={sport}&distance=20")
    assert title in page
    assert cfg["effort_speed"] is speed
