"""The dashboard, heat map and year-in-review pages render the same data as the API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from imas.accounts.models import User
from imas.goals.services import goal_create
from tests.goals.helpers import activity

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_with_goals_charts_and_no_inline_script(person: Callable[..., User]) -> None:
    owner = person("Europe/Vienna")
    now = timezone.now()
    for i in range(6):
        activity(owner, now - dt.timedelta(days=i, minutes=5), distance_m=8_000 + i * 500)
    goal_create(owner=owner, period="week", metric="distance", target=30_000, recurring=True)
    page = signed_in(owner).get("/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fitness, fatigue and form" in html
    assert 'role="progressbar"' in html
    assert "weeks start on Monday" in html
    table = html[html.index('<details class="chart-table">') :].split("</details>", 1)[0]
    assert table.count("<tr><td>") == 26  # the same 26 weeks, readable without the chart
    assert "km" in table
    # Chart data travels as JSON in a data block; the scripts are our own static files.
    start = html.index('<script id="chart-data" type="application/json">')
    data = json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert len(data["weekly"]["labels"]) == 26
    assert data["units"] == "metric"
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head
    assert "https://" not in "".join(
        line for line in html.splitlines() if "<script" in line or "<link" in line
    )


def test_an_empty_dashboard_says_what_to_do(person: Callable[..., User]) -> None:
    page = signed_in(person()).get("/dashboard/")
    assert page.status_code == 200
    assert b"No goals yet." in page.content
    assert b"Record a few activities of a similar distance" in page.content


def test_year_review_and_heat_map_pages(person: Callable[..., User]) -> None:
    owner = person("UTC")
    activity(owner, dt.datetime(2025, 5, 1, 8, tzinfo=dt.UTC), distance_m=42_195, name="Marathon")
    client = signed_in(owner)
    page = client.get("/trends/year/2025/")
    assert page.status_code == 200
    assert b"Marathon" in page.content
    assert b"42.2 km" in page.content
    assert client.get("/trends/year/1800/").status_code == 404
    assert client.get("/trends/year/").status_code == 302
    heat = client.get("/trends/heatmap/?year=2025&sport=running")
    assert heat.status_code == 200
    assert b'data-year="2025"' in heat.content
    assert client.get("/trends/heatmap/?year=<script>&sport=x").status_code == 200


def test_pages_need_signing_in() -> None:
    for url in ("/dashboard/", "/trends/heatmap/", "/trends/year/2025/"):
        assert Client().get(url).status_code == 302


def test_choosing_which_efforts_to_compare(person: Callable[..., User]) -> None:
    owner = person("UTC", units="imperial")
    now = timezone.now()
    for i in range(4):
        activity(
            owner, now - dt.timedelta(days=i + 1), sport="cycling", distance_m=40_000 + i * 500
        )
    activity(owner, now - dt.timedelta(hours=2), sport="running", distance_m=5_000)
    client = signed_in(owner)
    default = client.get("/dashboard/").content.decode()
    assert "1 running activity of similar distance" in default
    chosen = client.get("/dashboard/?sport=cycling&distance=25").content.decode()  # miles
    assert "4 cycling activities of similar distance" in chosen
    assert 'value="25.0"' in chosen or 'value="24.9"' in chosen
    for query in (
        "?sport=chess&distance=5",
        "?sport=cycling&distance=-1",
        "?distance=nan",
        "?sport=cycling&distance=1e400",
        "?sport=cycling&distance=abc",
    ):
        page = client.get(f"/dashboard/{query}")
        assert page.status_code == 200
        assert "1 running activity of similar distance" in page.content.decode()
