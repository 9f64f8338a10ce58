"""End to end in headless Chromium: draw a privacy zone by clicking the map on the zones page
(reached from the settings page), set its radius, save it; then a visitor who is not signed in
opens the public activity that starts at home and sees its map and charts, without the start.
Screenshots of the zones page go to test-artifacts/.

Uses the browser fixtures of tests/support/browser.py (Debian's Chromium, tiles through IMAS's
own proxy from a tile server on 127.0.0.1) and checks the browser asked nothing of any other host.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from imas.activities.services import activity_update, activity_upload
from imas.sharing.models import PrivacyZone
from tests.sharing.conftest import HOME, from_home, metres
from tests.support.browser import ARTIFACTS, BROWSER_MARKS, TileServer, signed_in_page, watch

pytestmark = BROWSER_MARKS


def test_draw_a_zone_on_the_map_and_a_visitor_sees_the_route_without_home(
    browser_context: Any, live_server: Any, make_user: Any, tile_server: TileServer
) -> None:
    user = make_user(name="Zoe Zone")
    run, _ = activity_upload(owner=user, data=from_home(45.0))
    activity_update(activity=run, visibility="public")
    context, page = signed_in_page(browser_context, live_server, user)
    foreign: list[str] = []
    errors: list[str] = []
    watch(page, live_server, foreign, errors)

    page.goto(f"{live_server.url}/settings/")
    page.click("a:has-text('Privacy zones')")
    page.wait_for_selector("#zone-map .leaflet-tile-loaded", timeout=30_000)
    # With no zone yet the map opens around Vienna; a click in its middle places the centre.
    box = page.locator("#zone-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat = float(page.input_value("#id_lat"))
    lon = float(page.input_value("#id_lon"))
    assert abs(lat - 48.2) < 0.5
    assert abs(lon - 16.37) < 0.5
    page.fill("#id_radius_m", "300")
    page.wait_for_selector("#zone-map .leaflet-overlay-pane path")
    page.screenshot(path=str(ARTIFACTS / "privacy-zones-drawing.png"), full_page=True)
    # Type the exact home, as a person may do after clicking near it.
    page.fill("#id_lat", str(HOME[0]))
    page.fill("#id_lon", str(HOME[1]))
    page.click("#zone-form button[type=submit]")
    page.wait_for_selector("text=Zone saved")
    zone = PrivacyZone.objects.get(owner=user)
    assert (zone.lat, zone.lon, zone.radius_m) == (HOME[0], HOME[1], 300.0)
    page.screenshot(path=str(ARTIFACTS / "privacy-zones.png"), full_page=True)

    visitor = browser_context.new_context(viewport={"width": 1280, "height": 900})
    public = visitor.new_page()
    watch(public, live_server, foreign, errors)
    public.goto(f"{live_server.url}/activities/{run.pk}/")
    public.wait_for_selector("#map .leaflet-overlay-pane path", timeout=30_000)
    public.wait_for_selector("#charts svg, #charts canvas", timeout=30_000)
    url = f"/api/v1/activities/{run.pk}/streams"
    streams = public.evaluate(f"fetch('{url}').then(r => r.json())")
    first = np.array(streams["latlng"][0])
    assert float(np.hypot(*metres(first[:1], first[1:]))[0]) > 300.0  # the whole zone is hidden
    visitor.close()
    context.close()
    assert errors == []
    assert foreign == []
