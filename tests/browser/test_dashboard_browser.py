"""End to end in headless Chromium: the dashboard with a year and a half of activities and a
few goals, its charts drawn and interactive, the heat map drawn from the routes, and the year
in review. Screenshots go to test-artifacts/ (dashboard desktop and phone, heat map, year).

Uses the shared browser and tile-server fixtures of tests/support/browser.py: Chromium from
Debian, tiles through IMAS's own proxy from a tile server on 127.0.0.1, and nothing asked of
any other host.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.utils import timezone

from imas.activities.models import Activity
from imas.activities.streams import polyline_encode
from imas.goals import services as goal_services
from imas.insights.services import daily_totals_rebuild
from tests.support.browser import ARTIFACTS, BROWSER_MARKS, TileServer, signed_in_page, watch

pytestmark = BROWSER_MARKS


def _loop(rng: random.Random, centre: tuple[float, float], km: float) -> str:
    """A closed loop of about `km` around a point near `centre`, as an encoded polyline."""
    lat0 = centre[0] + rng.uniform(-0.03, 0.03)
    lon0 = centre[1] + rng.uniform(-0.05, 0.05)
    radius = km / (2 * math.pi) / 111.0
    wobble = rng.uniform(0.6, 1.4)
    points = []
    for k in range(61):
        a = 2 * math.pi * k / 60
        r = radius * (1 + 0.15 * math.sin(3 * a + wobble))
        east = r * math.cos(a) / math.cos(math.radians(lat0))
        points.append((lat0 + r * math.sin(a), lon0 + east))
    return polyline_encode(points)


def _history(owner: Any) -> None:
    """About four activities a week for 75 weeks, getting a little faster, mostly runs."""
    rng = random.Random(42)
    now = timezone.now()
    rows = []
    for k in range(300):
        start = now - dt.timedelta(hours=6 + k * 42 + rng.randint(0, 8))
        sport = rng.choices(["running", "cycling", "walking", "hiking"], [6, 3, 2, 1])[0]
        km = {
            "running": rng.uniform(6, 14),
            "cycling": rng.uniform(25, 70),
            "walking": rng.uniform(3, 7),
            "hiking": rng.uniform(10, 20),
        }[sport]
        speed = {
            "running": 2.9 + 0.3 * (1 - k / 300),
            "cycling": 7.5,
            "walking": 1.4,
            "hiking": 1.2,
        }[sport] * rng.uniform(0.95, 1.05)
        moving = km * 1000 / speed
        rows.append(
            Activity(
                owner=owner,
                name=f"{sport.title()} {k}",
                sport=sport,
                start_time=start,
                distance_m=km * 1000,
                moving_s=moving,
                elapsed_s=moving * 1.05,
                ascent_m=km * rng.uniform(5, 25),
                calories_kcal=km * 65,
                avg_speed_mps=speed,
                avg_hr=rng.uniform(138, 152) + (k / 300) * 6,
                trimp=moving / 60 * rng.uniform(1.2, 2.0),
                route_polyline=_loop(rng, (48.2082, 16.3738), km),
            )
        )
    Activity.objects.bulk_create(rows)


def test_dashboard_charts_goals_heat_map_and_year(
    browser_context: Any, live_server: Any, make_user: Any, tile_server: TileServer
) -> None:
    user = make_user(name="Dana Dashboard")
    user.time_zone = "Europe/Vienna"
    user.save(update_fields=["time_zone"])
    _history(user)
    daily_totals_rebuild(owner_id=user.pk)
    try:  # the segments app's personal records, as its activity events would have built them
        from imas.segments.records import records_recompute

        records_recompute(owner_id=user.pk)
    except ImportError:
        pass
    today = timezone.localdate()
    goal_services.goal_create(
        owner=user,
        period="week",
        metric="distance",
        target=40_000,
        recurring=True,
        name="40 km a week",
        start_date=today - dt.timedelta(weeks=10),
    )
    goal_services.goal_create(
        owner=user,
        period="month",
        metric="time",
        target=20 * 3600,
        sport="running",
        recurring=True,
        start_date=today,
    )
    reached = goal_services.goal_create(
        owner=user,
        period="year",
        metric="count",
        target=50,
        start_date=today,
        name="50 activities this year",
    )
    goal_services.goal_check(goal=reached)  # creating it already queued this: still one note

    context, page = signed_in_page(browser_context, live_server, user)
    foreign: list[str] = []
    errors: list[str] = []
    watch(page, live_server, foreign, errors)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-weekly svg rect.chart-bar")
    assert page.locator("#chart-weekly rect.chart-bar").count() > 20
    assert page.locator("#chart-load path.chart-line").count() == 3
    assert page.locator("#chart-pace circle.chart-dot").count() > 10
    assert page.locator(".goal").count() == 3
    notes = page.locator(".notes").inner_text()
    assert "Goal reached: 50 activities this year" in notes

    # Hovering a week shows its totals; the Time button redraws the chart in hours.
    box = page.locator("#chart-weekly svg").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.5)
    readout = page.locator("#chart-weekly .chart-readout")
    assert "km" in readout.inner_text()
    page.locator("[data-measures-for='chart-weekly'] button[data-measure='moving_s']").click()
    assert (
        page.locator(
            "[data-measures-for='chart-weekly'] button[data-measure='moving_s']"
        ).get_attribute("aria-pressed")
        == "true"
    )
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.5)
    assert " h" in readout.inner_text()
    page.locator("[data-measures-for='chart-weekly'] button[data-measure='distance_m']").click()
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/dashboard/")
    phone.wait_for_selector("#chart-weekly svg rect.chart-bar")
    phone.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/trends/heatmap/")
    page.wait_for_selector("#heatmap[data-ready='true']")
    page.wait_for_timeout(300)
    painted = page.evaluate(
        """() => {
            const c = document.querySelector('#heatmap canvas.heatmap-canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }
            return n;
        }"""
    )
    assert painted > 2000, painted
    assert "300 of 300" in page.locator("#heatmap-status").inner_text()
    page.screenshot(path=str(ARTIFACTS / "heatmap.png"))

    page.goto(f"{live_server.url}/trends/year/{today.year}/")
    page.wait_for_selector("#chart-monthly svg rect.chart-bar")
    page.wait_for_selector("#heatmap[data-ready='true']")
    page.screenshot(path=str(ARTIFACTS / "year-in-review.png"), full_page=True)

    # A goal added through the form shows up with its progress bar.
    page.goto(f"{live_server.url}/goals/")
    page.select_option("#id_metric", "elevation")
    page.fill("#id_target", "2500")
    page.select_option("#id_sport", "hiking")
    page.select_option("#id_period", "month")
    page.check("#id_recurring")
    page.check("#id_notify_email")
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert page.locator(".goal").count() == 4
    assert "Hiking · Elevation gain per month" in page.locator(".goal-list").inner_text()
    page.screenshot(path=str(ARTIFACTS / "goals.png"), full_page=True)

    assert foreign == []
    assert errors == []
    assert tile_server.count > 0
    context.close()
