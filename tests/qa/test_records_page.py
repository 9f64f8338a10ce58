"""Personal records read shortest first (QA finding: the page listed "10km" before "1km" and
"Best power 10 s, 2 min, 20 min, 15 s", sorted as text) and fit a phone (table scrolls)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from imas.activities import services
from imas.segments.models import PersonalRecord, RecordKind

pytestmark = pytest.mark.django_db


def test_records_in_distance_and_duration_order(make_user: Any) -> None:
    owner = make_user()
    when = dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC)
    ride = services.activity_create_manual(
        owner=owner, sport="cycling", start_time=when, duration_s=3600, name="Ride"
    )
    run = services.activity_create_manual(
        owner=owner, sport="running", start_time=when, duration_s=3600, name="Run"
    )
    PersonalRecord.objects.filter(owner=owner).delete()
    rows = [("cycling", RecordKind.BEST_POWER, k, ride) for k in ("10", "120", "1200", "15", "5")]
    rows += [("running", RecordKind.BEST_EFFORT, k, run) for k in ("10km", "1km", "1mile", "400m")]
    rows += [("running", RecordKind.LONGEST_DISTANCE, "", run)]
    for sport, kind, key, activity in rows:
        PersonalRecord.objects.create(
            owner=owner,
            sport=sport,
            kind=kind,
            key=key,
            value=100.0,
            activity=activity,
            achieved_at=when,
            is_current=True,
        )
    client = Client()
    client.force_login(owner)
    page = client.get("/records/").content.decode()
    labels = re.findall(r"<tr><td>([^<]+)</td>", page)
    power = [label for label in labels if label.startswith("Best power")]
    assert power == [
        "Best power 5 s",
        "Best power 10 s",
        "Best power 15 s",
        "Best power 2 min",
        "Best power 20 min",
    ]
    running = [label for label in labels if label in ("10km", "1km", "1mile", "400m")]
    assert running == ["400m", "1km", "1mile", "10km"]
    assert labels.index("Longest distance") < labels.index("400m")
    assert '<div class="table-wrap"><table class="num-table">' in page
