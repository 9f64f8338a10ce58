"""End to end in headless Chromium: upload several files through the upload page, open an
activity, hover its chart and see the map marker move; screenshots of the upload page, the
list, the calendar and the activity page (desktop and phone) go to test-artifacts/.

Files come from the shared corpus when it is there, else from the tests' own writers. Map tiles
come through IMAS's /tiles/ proxy from a tile server on 127.0.0.1, and the test checks that the
browser asked nothing of any other host.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.activities.files import CORRUPT_GPX, gpx_run, zip_of
from tests.support.browser import (
    ARTIFACTS,
    BROWSER_MARKS,
    TileServer,
    signed_in_context,
    signed_in_page,
    watch,
)
from tests.support.corpus import CORPUS, corpus_available

pytestmark = BROWSER_MARKS

# A run with GPS, heart rate, power and cadence (Stryd), then more runs and a walk.
CORPUS_FILES = [
    "GoldenCheetah/test/rides/HRV-Data.fit",
    "GoldenCheetah/test/roundtrip/3386684871.fit",
    "GoldenCheetah/test/runs/10kUNLP2014-Garmin15.fit",
    "GoldenCheetah/test/coretemp/FR55-CoreTemp-Walk.fit",
]


def _upload_files(tmp_path: Path) -> list[Path]:
    """Several activity files plus a broken one; the first is the one the test opens."""
    folder = tmp_path / "to-upload"
    folder.mkdir()
    files: list[Path] = []
    if corpus_available() and all((CORPUS / f).is_file() for f in CORPUS_FILES):
        for relative in CORPUS_FILES:
            target = folder / Path(relative).name
            target.write_bytes((CORPUS / relative).read_bytes())
            files.append(target)
    else:
        for k in range(4):
            target = folder / f"run-{k + 1}.gpx"
            target.write_bytes(
                gpx_run(1800 + 300 * k, start=1_717_228_800.0 + 86400 * 2 * k, seed=k + 1)
            )
            files.append(target)
    # An archive of two more runs and a file that is not an activity: an import job.
    archive = folder / "more-runs.zip"
    archive.write_bytes(
        zip_of(
            {
                "a/evening.gpx": gpx_run(900, start=1_700_000_000.0, seed=11),
                "a/morning.gpx": gpx_run(1200, start=1_700_100_000.0, seed=12),
                "a/notes.txt": b"not an activity",
            }
        )
    )
    files.append(archive)
    broken = folder / "broken.gpx"
    broken.write_bytes(CORRUPT_GPX)
    files.append(broken)
    return files


def _marker_centre(page: Any) -> tuple[float, float]:
    box = page.locator("#map .hover-marker").bounding_box()
    assert box is not None, "the map marker is not shown"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_upload_list_calendar_activity_with_map_and_charts(
    browser_context: Any,
    live_server: Any,
    make_user: Any,
    tile_server: TileServer,
    tmp_path: Path,
) -> None:
    user = make_user(name="Rita Runner", max_hr=190, resting_hr=50)
    context, page = signed_in_page(browser_context, live_server, user)
    foreign: list[str] = []
    errors: list[str] = []
    watch(page, live_server, foreign, errors)

    # --- upload several files at once through the page -------------------------------------
    files = _upload_files(tmp_path)
    page.goto(f"{live_server.url}/activities/upload/")
    page.set_input_files("#upload-files", [str(f) for f in files])
    rows = page.locator("#upload-list .upload-row")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#upload-list .upload-row')].every("
        "r => ['created', 'duplicate', 'failed'].includes(r.dataset.state))",
        timeout=60_000,
    )
    assert rows.count() == len(files)
    states = [rows.nth(i).get_attribute("data-state") for i in range(rows.count())]
    assert states == ["created"] * (len(files) - 1) + ["failed"], states
    assert rows.nth(len(files) - 1).locator(".upload-result").inner_text().strip()
    # The archive's row shows the import job's outcome, file by file.
    archive_row = rows.nth(len(files) - 2)
    assert "2 added" in archive_row.locator(".upload-result").inner_text()
    items = archive_row.locator(".upload-items li")
    assert items.count() == 3
    assert archive_row.locator('.upload-items li[data-state="failed"]').count() == 1
    # The same file again is recognised.
    page.set_input_files("#upload-files", [str(files[0])])
    page.wait_for_function(
        "() => { const r = [...document.querySelectorAll('#upload-list .upload-row')].pop();"
        " return r.dataset.state === 'duplicate'; }",
        timeout=30_000,
    )
    page.screenshot(path=str(ARTIFACTS / "activities-upload.png"), full_page=True)

    # --- the list and the calendar -----------------------------------------------------------
    page.goto(f"{live_server.url}/activities/")
    assert page.locator(".act-card").count() == len(files) - 2 + 2  # files, archive's two runs
    assert page.locator(".act-card .route-svg path").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "activities-list.png"), full_page=True)

    first = user.activities.order_by("created_at", "id").first()
    local = first.start_time
    page.goto(f"{live_server.url}/activities/calendar/{local.year}/{local.month}/")
    assert page.locator(f'a.cal-act[href="/activities/{first.pk}/"]').count() == 1
    page.screenshot(path=str(ARTIFACTS / "activities-calendar.png"), full_page=True)

    # --- the activity: charts, map, hover -----------------------------------------------------
    page.goto(f"{live_server.url}/activities/{first.pk}/")
    page.wait_for_selector("#activity[data-ready='true']", timeout=30_000)
    page.wait_for_selector("#map .leaflet-tile-loaded", timeout=30_000)
    chart = page.locator(".chart-svg").first
    box = chart.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.25, y)
    page.wait_for_selector("#map .hover-marker")
    before = _marker_centre(page)
    index_before = page.get_attribute("#map", "data-hover-index")
    readout_before = page.inner_text("#readout")
    page.mouse.move(box["x"] + box["width"] * 0.8, y)
    after = _marker_centre(page)
    index_after = page.get_attribute("#map", "data-hover-index")
    assert index_before is not None
    assert index_after is not None
    assert int(index_after) > int(index_before)
    assert before != after, "hovering another point of the chart moves the map marker"
    assert page.inner_text("#readout") != readout_before
    # The keyboard walks the chart too.
    chart.focus()
    page.keyboard.press("Home")
    assert page.get_attribute("#map", "data-hover-index") == "0"
    page.keyboard.press("ArrowRight")
    assert int(page.get_attribute("#map", "data-hover-index") or 0) > 0
    page.screenshot(path=str(ARTIFACTS / "activities-activity.png"), full_page=True)
    # The charts switch to time on the horizontal axis (h:mm ticks).
    page.click(".seg[data-axis='time']")
    ticks = (
        page.locator(".chart-svg")
        .first.locator("text")
        .evaluate_all("nodes => nodes.map(n => n.textContent)")
    )
    assert any(re.fullmatch(r"\d+:\d\d", t) for t in ticks), ticks
    assert tile_server.count > 0, "tiles came through the IMAS proxy"

    # --- a gym session entered by hand ---------------------------------------------------------
    page.goto(f"{live_server.url}/activities/new/")
    page.select_option("#id_sport", "gym")
    page.fill("#id_name", "Leg day")
    page.fill("#id_duration", "45:00")
    page.fill("#id_ex-0-exercise", "Back squat")
    page.fill("#id_ex-0-sets", "3")
    page.fill("#id_ex-0-repetitions", "5")
    page.fill("#id_ex-0-weight", "100")
    for _ in range(2):
        page.click("#add-set")
    page.fill("#id_ex-4-exercise", "Lunge")
    page.fill("#id_ex-4-repetitions", "12")
    page.screenshot(path=str(ARTIFACTS / "activities-manual.png"), full_page=True)
    page.click("#manual-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Leg day')")
    assert page.locator("td:text-is('Back squat')").count() == 3
    assert page.locator("td:text-is('Lunge')").count() == 1

    # --- the same pages on a phone -------------------------------------------------------------
    phone = signed_in_context(
        browser_context, live_server, user, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    mobile = phone.new_page()
    watch(mobile, live_server, foreign)
    mobile.goto(f"{live_server.url}/activities/{first.pk}/")
    mobile.wait_for_selector("#activity[data-ready='true']", timeout=30_000)
    width = mobile.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the activity page scrolls sideways on a phone ({width}px)"
    mobile.screenshot(path=str(ARTIFACTS / "activities-activity-phone.png"), full_page=True)
    mobile.screenshot(path=str(ARTIFACTS / "activities-activity-phone-top.png"))
    mobile.locator(".panels .panel").first.screenshot(
        path=str(ARTIFACTS / "activities-activity-phone-splits.png")
    )
    mobile.goto(f"{live_server.url}/activities/calendar/{local.year}/{local.month}/")
    mobile.screenshot(path=str(ARTIFACTS / "activities-calendar-phone.png"), full_page=True)
    mobile.goto(f"{live_server.url}/activities/")
    wide = mobile.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, wide
    mobile.screenshot(path=str(ARTIFACTS / "activities-list-phone.png"), full_page=True)
    mobile.goto(f"{live_server.url}/")
    mobile.screenshot(path=str(ARTIFACTS / "activities-home-phone.png"), full_page=True)
    phone.close()
    context.close()

    assert foreign == [], f"the browser contacted other hosts: {foreign[:5]}"
    assert errors == [], f"script errors: {errors}"


def test_indoor_ride_in_imperial_units_shows_charts_without_map(
    browser_context: Any, live_server: Any, make_user: Any, settings: Any
) -> None:
    from imas.activities.services import activity_upload
    from tests.support.tcx_writer import synthetic_activity, tcx_bytes

    settings.IMAS_TILES_ENABLED = False
    user = make_user(name="Ian Indoor", units="imperial", time_zone="America/New_York")
    ride = synthetic_activity(2400, laps=4, sport="Biking")
    for lap in ride.laps:
        for point in lap.points:
            point.lat = point.lon = None  # a trainer: no positions
    activity, _ = activity_upload(owner=user, data=tcx_bytes([ride]), filename="trainer.tcx")

    context, page = signed_in_page(browser_context, live_server, user)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    page.wait_for_selector("#activity[data-ready='true']", timeout=30_000)
    assert page.locator("#map").count() == 0
    series = page.locator(".chart").evaluate_all("n => n.map(c => c.dataset.series)")
    assert series == ["altitude", "pace", "heartrate", "watts", "cadence"]
    ticks = (
        page.locator(".chart-svg")
        .first.locator("text")
        .evaluate_all("nodes => nodes.map(n => n.textContent)")
    )
    assert any(t.endswith(" mi") for t in ticks), ticks
    box = page.locator(".chart-svg").nth(1).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    readout = page.inner_text("#readout")
    assert "mph" in readout
    assert " W" in readout
    page.screenshot(path=str(ARTIFACTS / "activities-activity-indoor.png"), full_page=True)
    context.close()
    assert errors == []
