"""End to end in headless Chromium: from an activity's page, create a segment by clicking its
start and end on the map (then on the elevation chart), land on the segment page and see the
efforts of every run on that street (this one and an earlier one), the record and the
leaderboard; the activity page then lists the segment. Screenshots of the creation page and
the segment page (desktop and phone) go to test-artifacts/.

Uses the browser fixtures of tests/support/browser.py (Debian's Chromium, tiles through IMAS's
own proxy from a tile server on 127.0.0.1) and checks the browser asked nothing of any other host.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from imas.activities.services import activity_upload
from imas.segments.models import Segment
from tests.segments.routes import START, STREET, recording
from tests.support.browser import (
    ARTIFACTS,
    BROWSER_MARKS,
    TileServer,
    signed_in_context,
    signed_in_page,
    watch,
)

pytestmark = BROWSER_MARKS


@pytest.fixture(autouse=True)
def _close_connections_opened_under_playwright() -> Iterator[None]:
    # Queries made here under Playwright's event loop use a connection of their own, which
    # pytest-django does not see; closed so that PostgreSQL can drop the test database.
    yield
    connections.close_all()


def test_create_a_segment_from_an_activity_and_see_the_efforts(
    browser_context: Any, live_server: Any, make_user: Any, tile_server: TileServer
) -> None:
    user = make_user(name="Sam Segment")
    earlier, _ = activity_upload(
        owner=user, data=recording(*STREET, speed=3.6, start=START, climb_per_m=0.03)
    )
    latest, _ = activity_upload(
        owner=user, data=recording(*STREET, speed=4.2, start=START + 86_400, climb_per_m=0.03)
    )
    context, page = signed_in_page(browser_context, live_server, user)
    foreign: list[str] = []
    errors: list[str] = []
    watch(page, live_server, foreign, errors)

    # --- from the activity page to the creation page ---------------------------------------
    page.goto(f"{live_server.url}/activities/{latest.pk}/")
    page.click("#activity-segments a:has-text('Create a segment')")
    page.wait_for_selector("#map[data-ready='1']", timeout=30_000)
    page.wait_for_selector("#map .leaflet-tile-loaded", timeout=30_000)

    # Click the route twice: start a quarter of the way along, end three quarters along.
    route = page.locator("#map .leaflet-overlay-pane path").first
    box = route.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.click(box["x"] + box["width"] * 0.25, y)
    page.mouse.click(box["x"] + box["width"] * 0.75, y)
    start = float(page.input_value("#id_start"))
    end = float(page.input_value("#id_end"))
    assert 300 < start < 700, start  # the street is 2 km long
    assert 1300 < end < 1700, end
    assert page.inner_text("#length-out").endswith("km")
    # The elevation chart picks too: a fifth and four fifths of the way along.
    svg = page.locator("#pick-chart svg")
    chart_box = svg.bounding_box()
    assert chart_box is not None
    cy = chart_box["y"] + chart_box["height"] / 2
    page.mouse.click(chart_box["x"] + chart_box["width"] * 0.2, cy)
    page.mouse.click(chart_box["x"] + chart_box["width"] * 0.8, cy)
    start = float(page.input_value("#id_start"))
    end = float(page.input_value("#id_end"))
    assert 350 < start < 450, start
    assert 1550 < end < 1650, end
    band = page.locator("#pick-chart .pick-band").bounding_box()
    assert band is not None
    assert band["width"] == pytest.approx(chart_box["width"] * 0.6, rel=0.05)
    page.fill("#id_name", "Sam's street sprint")
    page.screenshot(path=str(ARTIFACTS / "segments-create.png"), full_page=True)
    page.click("#create-segment")

    # --- the segment page: map, elevation, efforts of both runs, record, leaderboard --------
    page.wait_for_selector('h1:has-text("Sam\'s street sprint")')
    segment = Segment.objects.get(owner=user)
    assert page.url.endswith(f"/segments/{segment.pk}/")
    page.wait_for_selector("#map[data-ready='1']", timeout=30_000)
    page.wait_for_selector("#map .leaflet-tile-loaded", timeout=30_000)
    rows = page.locator("#efforts-table tbody tr")
    assert rows.count() == 2
    assert page.locator("#efforts-table tr.is-record").count() == 1
    assert page.locator("#leaderboard tbody tr").count() == 1
    assert page.inner_text("#my-effort-count") == "2"
    assert page.locator(".efforts-chart .effort-dot").count() == 2
    assert ":" in page.inner_text("#my-record")  # a time, not the dash of "none yet"
    links = page.locator("#efforts-table a").evaluate_all("ns => ns.map(n => n.pathname)")
    assert set(links) == {f"/activities/{earlier.pk}/", f"/activities/{latest.pk}/"}
    page.screenshot(path=str(ARTIFACTS / "segments-segment.png"), full_page=True)

    # --- the activity page now lists the segment, marked as the record ----------------------
    page.goto(f"{live_server.url}/activities/{latest.pk}/")
    block = page.locator("#activity-segments")
    assert "Sam's street sprint" in block.inner_text()
    assert block.locator("tr.is-record").count() == 1

    # --- the segment page on a phone --------------------------------------------------------
    phone = signed_in_context(
        browser_context,
        live_server,
        user,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
    )
    small = phone.new_page()
    small.goto(f"{live_server.url}/segments/{segment.pk}/")
    small.wait_for_selector("#map[data-ready='1']", timeout=30_000)
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the segment page fits a phone's width"
    small.screenshot(path=str(ARTIFACTS / "segments-segment-phone.png"), full_page=True)
    phone.close()

    assert errors == []
    assert foreign == [], foreign
    assert tile_server.count > 0
    context.close()
