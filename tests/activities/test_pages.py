"""The activity pages: each renders for its owner, 404 for others, filters, units, time zones,
manual entry, edit and delete, route previews without streams, and a strict-CSP-friendly page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from imas.accounts.models import User
from imas.activities import services
from imas.activities.models import Activity, Visibility
from tests.activities.files import gpx_run

pytestmark = pytest.mark.django_db

JUNE_1 = 1_717_228_800.0  # 2024-06-01 08:00:00 UTC


def upload(owner: User, seconds: int = 600, start: float = JUNE_1, **kw: Any) -> Activity:
    if owner.max_hr is None:  # heart-rate zones need the person's maximum and resting rate
        owner.max_hr, owner.resting_hr = 190, 50
        owner.save()
    data = gpx_run(seconds, start=start, seed=int(start) % 97 + seconds)
    activity, created = services.activity_upload(owner=owner, data=data, filename="run.gpx", **kw)
    assert created
    return activity


def manual(owner: User, sport: str, start: dt.datetime, **kw: Any) -> Activity:
    return services.activity_create_manual(
        owner=owner, sport=sport, start_time=start, duration_s=kw.pop("duration_s", 1800), **kw
    )


@pytest.fixture
def alice_web(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_web(bob: User) -> Client:
    client = Client()
    client.force_login(bob)
    return client


def html(response: Any) -> str:
    return response.content.decode()


# --- every page for its owner ------------------------------------------------------------------


def test_every_page_renders_for_the_owner(alice: User, alice_web: Client) -> None:
    run = upload(alice)
    gym = manual(
        alice,
        "gym",
        dt.datetime(2024, 6, 2, 18, tzinfo=dt.UTC),
        sets=[{"exercise": "Squat", "repetitions": 5, "weight_kg": 100.0}],
    )
    pages = {
        "/activities/": run.name,
        "/activities/calendar/": "Week",
        "/activities/calendar/2024/6/": run.name,
        "/activities/upload/": "Drop activity files here",
        "/activities/new/": "Exercises",
        f"/activities/{run.pk}/": "Splits",
        f"/activities/{gym.pk}/": "Squat",
        f"/activities/{run.pk}/delete/": "Delete this activity?",
        "/": "Your recent activities",
    }
    for url, expected in pages.items():
        response = alice_web.get(url)
        assert response.status_code == 200, url
        assert expected in html(response), url


def test_pages_need_a_signed_in_person(client: Client) -> None:
    for url in ["/activities/", "/activities/calendar/", "/activities/upload/", "/activities/new/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_home_page_shows_no_feed_to_visitors(client: Client) -> None:
    assert "Your recent activities" not in html(client.get("/"))


# --- 404 for everyone else -------------------------------------------------------------------


def test_someone_elses_private_activity_is_404_everywhere(
    alice: User, bob_web: Client, client: Client
) -> None:
    run = upload(alice)
    for url in [f"/activities/{run.pk}/", f"/activities/{run.pk}/delete/"]:
        assert bob_web.get(url).status_code == 404, url
        assert client.get(url).status_code in (302, 404), url
    assert client.get(f"/activities/{run.pk}/").status_code == 404
    for url in ["edit", "delete", "keep", "not-duplicate"]:
        response = bob_web.post(f"/activities/{run.pk}/{url}/", {"name": "mine now"})
        assert response.status_code == 404, url
    assert Activity.objects.filter(pk=run.pk, name=run.name).exists()
    # A missing id answers exactly like someone else's, however large.
    assert bob_web.get("/activities/999999/").status_code == 404
    assert bob_web.get("/activities/99999999999999999999/").status_code == 404
    assert bob_web.get("/activities/calendar/99999999999999999999/1/").status_code == 404


def test_others_see_a_public_activity_without_health_data(
    alice: User, bob_web: Client, alice_web: Client
) -> None:
    run = upload(alice)
    services.activity_update(activity=run, visibility=Visibility.PUBLIC)
    page = html(bob_web.get(f"/activities/{run.pk}/"))
    assert run.name in page
    assert "Avg heart rate" not in page
    assert "Heart-rate zones" not in page
    assert "Download original" not in page
    assert f'action="/activities/{run.pk}/edit/"' not in page
    own = html(alice_web.get(f"/activities/{run.pk}/"))
    assert "Avg heart rate" in own
    assert "Download original" in own


def test_others_do_not_find_it_in_their_list_or_calendar(alice: User, bob_web: Client) -> None:
    run = upload(alice)
    assert run.name not in html(bob_web.get("/activities/"))
    assert f"/activities/{run.pk}/" not in html(bob_web.get("/activities/calendar/2024/6/"))


# --- list: filters, search, pages ----------------------------------------------------------


def test_list_filters_by_sport_search_and_dates(alice: User, alice_web: Client) -> None:
    run = upload(alice, name="Tempo by the river")
    walk = manual(alice, "walking", dt.datetime(2024, 6, 10, 9, tzinfo=dt.UTC), name="Dog walk")
    swim = manual(alice, "swimming", dt.datetime(2024, 7, 1, 7, tzinfo=dt.UTC), name="Lake swim")

    def names(query: str) -> set[str]:
        page = html(alice_web.get("/activities/" + query))
        return {a.name for a in (run, walk, swim) if f"/activities/{a.pk}/" in page}

    assert names("") == {run.name, walk.name, swim.name}
    assert names("?sport=walking") == {"Dog walk"}
    assert names("?q=river") == {"Tempo by the river"}
    assert names("?date_from=2024-06-05&date_to=2024-06-30") == {"Dog walk"}
    assert names("?date_from=2024-06-10&date_to=2024-06-10") == {"Dog walk"}
    assert names("?date_to=2024-06-01") == {"Tempo by the river"}
    # Unreadable filters are left out, not an error page; the readable ones still apply.
    response = alice_web.get("/activities/?sport=curling&date_from=yesterday")
    assert response.status_code == 200
    assert "could not be read" in html(response)
    assert names("?sport=curling&q=walk") == {"Dog walk"}


def test_list_date_filter_uses_the_persons_time_zone(alice: User, alice_web: Client) -> None:
    alice.time_zone = "Pacific/Auckland"  # UTC+12 in June
    alice.save()
    late = manual(alice, "walking", dt.datetime(2024, 6, 10, 13, tzinfo=dt.UTC), name="Late walk")
    page = html(alice_web.get("/activities/?date_from=2024-06-11&date_to=2024-06-11"))
    assert f"/activities/{late.pk}/" in page  # 01:00 on 11 June in Auckland
    page = html(alice_web.get("/activities/?date_from=2024-06-10&date_to=2024-06-10"))
    assert f"/activities/{late.pk}/" not in page


def test_list_is_paginated(alice: User, alice_web: Client) -> None:
    start = dt.datetime(2024, 1, 1, 7, tzinfo=dt.UTC)
    made = [
        manual(alice, "walking", start + dt.timedelta(days=i), name=f"Walk {i:02d}")
        for i in range(35)
    ]
    first = html(alice_web.get("/activities/"))
    second = html(alice_web.get("/activities/?page=2"))
    assert first.count('class="act-card') == 30
    assert second.count('class="act-card') == 5
    assert "Walk 34" in first
    assert "Walk 00" in second
    assert 'rel="next"' in first
    assert "page=2" in first
    # The filters survive paging.
    filtered = html(alice_web.get("/activities/?sport=walking"))
    assert "sport=walking&amp;page=2" in filtered
    assert len(made) == 35


def test_list_draws_previews_from_the_polyline_without_reading_streams(
    alice: User, alice_web: Client
) -> None:
    for k in range(3):
        upload(alice, start=JUNE_1 + k * 86400)
    with CaptureQueriesContext(connection) as queries:
        page = html(alice_web.get("/activities/"))
    assert page.count('<svg viewBox="0 0 100 60" class="route-svg"') == 3
    assert re.search(r'<path d="M[\d.]+ [\d.]+ L', page)
    assert not any("activities_activitystreams" in q["sql"] for q in queries.captured_queries)
    assert not any('"analysis"' in q["sql"] for q in queries.captured_queries)


# --- units and time zones --------------------------------------------------------------------


def test_units_switch_between_metric_and_imperial(alice: User, alice_web: Client) -> None:
    walk = manual(
        alice,
        "walking",
        dt.datetime(2024, 6, 10, 9, tzinfo=dt.UTC),
        distance_m=10_000.0,
        duration_s=6000,
    )
    metric = html(alice_web.get(f"/activities/{walk.pk}/"))
    assert "10.00<small> km</small>" in metric
    assert "10:00<small> /km</small>" in metric  # 6000 s over 10 km
    alice.units = "imperial"
    alice.save()
    imperial = html(alice_web.get(f"/activities/{walk.pk}/"))
    assert "6.21<small> mi</small>" in imperial  # 10 km / 1609.344 m
    assert "16:06<small> /mi</small>" in imperial  # 600 s/km x 1.609344 = 965.6 s
    assert "6.21 mi" in html(alice_web.get("/activities/"))


def test_times_show_in_the_persons_zone(alice: User, alice_web: Client) -> None:
    alice.time_zone = "Europe/Vienna"  # UTC+2 in summer
    alice.save()
    late = manual(alice, "walking", dt.datetime(2024, 6, 30, 22, 30, tzinfo=dt.UTC), name="Night")
    page = html(alice_web.get(f"/activities/{late.pk}/"))
    assert "Monday 1 July 2024, 00:30" in page
    june = html(alice_web.get("/activities/calendar/2024/6/"))
    july = html(alice_web.get("/activities/calendar/2024/7/"))
    # 1 July is in June's grid too (as the next month's day), so look at its cell.
    cell = re.search(r'data-date="2024-07-01">(.*?)</div>', july, re.S)
    assert cell
    assert f"/activities/{late.pk}/" in cell.group(1)
    cell = re.search(r'data-date="2024-06-30">(.*?)</div>', june, re.S)
    assert cell
    assert f"/activities/{late.pk}/" not in cell.group(1)


def test_calendar_week_totals(alice: User, alice_web: Client) -> None:
    monday = dt.datetime(2024, 6, 3, 7, tzinfo=dt.UTC)
    for day, km in [(0, 5.0), (2, 7.5), (6, 12.5)]:
        manual(
            alice,
            "running",
            monday + dt.timedelta(days=day),
            distance_m=km * 1000,
            duration_s=km * 300,
        )
    manual(alice, "running", monday + dt.timedelta(days=7), distance_m=1000.0, duration_s=300)
    page = html(alice_web.get("/activities/calendar/2024/6/"))
    weeks = re.findall(r'<span class="cal-week-dist">([^<]+)</span>', page)
    assert "25.00 km" in weeks  # 3-9 June
    assert "1.00 km" in weeks  # 10-16 June
    assert "3 activities" in page
    assert alice_web.get("/activities/calendar/2024/13/").status_code == 404


# --- manual entry ------------------------------------------------------------------------------


def manual_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "sport": "gym",
        "name": "Leg day",
        "date": "2024-06-05",
        "time": "18:30",
        "duration": "1:05:00",
        "distance": "",
        "distance_unit": "km",
        "description": "Felt strong",
        "visibility": "private",
        "ex-TOTAL_FORMS": "2",
        "ex-INITIAL_FORMS": "0",
        "ex-MIN_NUM_FORMS": "0",
        "ex-MAX_NUM_FORMS": "60",
        "ex-0-exercise": "Squat",
        "ex-0-sets": "3",
        "ex-0-repetitions": "5",
        "ex-0-weight": "100",
        "ex-1-exercise": "",
    }
    data.update(overrides)
    return data


def test_manual_gym_session_with_sets(alice: User, alice_web: Client) -> None:
    alice.time_zone = "Europe/Vienna"
    alice.save()
    response = alice_web.post("/activities/new/", manual_form())
    assert response.status_code == 302
    activity = Activity.objects.get(owner=alice)
    assert response["Location"] == f"/activities/{activity.pk}/"
    assert activity.sport == "gym"
    assert activity.name == "Leg day"
    assert activity.elapsed_s == 3900
    assert activity.start_time == dt.datetime(2024, 6, 5, 16, 30, tzinfo=dt.UTC)
    assert (
        activity.analysis["sets"]
        == [{"exercise": "Squat", "repetitions": 5, "weight_kg": 100.0}] * 3
    )
    page = html(alice_web.get(response["Location"]))
    assert page.count("<td>Squat</td>") == 3


def test_manual_entry_in_imperial_units(alice: User, alice_web: Client) -> None:
    alice.units = "imperial"
    alice.save()
    response = alice_web.post("/activities/new/", manual_form(**{"ex-0-weight": "225"}))
    assert response.status_code == 302
    weight = Activity.objects.get(owner=alice).analysis["sets"][0]["weight_kg"]
    assert weight == pytest.approx(225 * 0.45359237, abs=0.01)


def test_manual_swim_in_metres(alice: User, alice_web: Client) -> None:
    data = manual_form(
        sport="swimming", name="", distance="1500", distance_unit="m", duration="32:10"
    )
    assert alice_web.post("/activities/new/", data).status_code == 302
    swim = Activity.objects.get(owner=alice)
    assert swim.distance_m == 1500
    assert swim.elapsed_s == 32 * 60 + 10
    assert "analysis" in swim.__dict__
    assert "sets" not in swim.analysis


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration", "an hour", "h:mm:ss"),
        ("duration", "0", "h:mm:ss"),
        ("duration", "1:75:00", "h:mm:ss"),
        ("date", "2099-01-01", "future"),
        ("sport", "curling", "valid choice"),
        ("ex-0-exercise", "", "Name the exercise"),
        ("ex-0-weight", "-5", "greater than or equal"),
    ],
)
def test_manual_entry_refuses_bad_values(
    alice: User, alice_web: Client, field: str, value: str, message: str
) -> None:
    response = alice_web.post("/activities/new/", manual_form(**{field: value}))
    assert response.status_code == 400
    assert message in html(response)
    assert not Activity.objects.filter(owner=alice).exists()


# --- edit and delete -----------------------------------------------------------------------


def test_edit_name_sport_description_visibility(alice: User, alice_web: Client) -> None:
    run = upload(alice)
    assert run.visibility == "private"
    response = alice_web.post(
        f"/activities/{run.pk}/edit/",
        {
            "name": "Sunday long run",
            "sport": "hiking",
            "description": "Hills",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.name, run.sport, run.description, run.visibility) == (
        "Sunday long run",
        "hiking",
        "Hills",
        "public",
    )
    bad = alice_web.post(
        f"/activities/{run.pk}/edit/",
        {"name": "", "sport": "hiking", "description": "", "visibility": "public"},
        follow=True,
    )
    assert "Nothing was changed" in html(bad)
    run.refresh_from_db()
    assert run.name == "Sunday long run"


def test_delete_asks_then_deletes(alice: User, alice_web: Client) -> None:
    run = upload(alice)
    assert alice_web.get(f"/activities/{run.pk}/delete/").status_code == 200
    assert Activity.objects.filter(pk=run.pk).exists()
    response = alice_web.post(f"/activities/{run.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/activities/"
    assert not Activity.objects.filter(pk=run.pk).exists()
    assert alice_web.get(f"/activities/{run.pk}/").status_code == 404


def test_near_duplicates_let_the_person_choose(alice: User, alice_web: Client) -> None:
    run = upload(alice)
    copy = manual(alice, "running", run.start_time + dt.timedelta(seconds=20), name="Copy")
    assert copy.near_duplicate_of_id == run.pk
    page = html(alice_web.get(f"/activities/{copy.pk}/"))
    assert "Which one do you keep?" in page
    alice_web.post(f"/activities/{run.pk}/keep/")
    assert not Activity.objects.filter(pk=copy.pk).exists()
    assert Activity.objects.filter(pk=run.pk).exists()


# --- the activity page itself ----------------------------------------------------------------


def test_activity_page_has_map_charts_and_analysis(alice: User, alice_web: Client) -> None:
    run = upload(alice, seconds=1800)
    page = html(alice_web.get(f"/activities/{run.pk}/"))
    assert 'id="map"' in page
    assert 'id="charts"' in page
    assert "/static/leaflet/leaflet.js" in page
    assert "/static/activities/chart.js" in page
    config = re.search(r'<script id="activity-config" type="application/json">(.*?)</script>', page)
    assert config
    assert f"/api/v1/activities/{run.pk}/streams?resolution=" in config.group(1)
    assert "/tiles/{z}/{x}/{y}.png" in config.group(1)
    assert "OpenStreetMap" in config.group(1)
    for heading in ("Splits", "Heart-rate zones", "Best efforts", "Details", "Download GPX"):
        assert heading in page, heading
    assert f'href="/api/v1/activities/{run.pk}/gpx"' in page
    assert f'href="/api/v1/activities/{run.pk}/original"' in page


def test_without_tiles_the_page_asks_for_none(
    alice: User, alice_web: Client, settings: Any
) -> None:
    settings.IMAS_TILES_ENABLED = False
    run = upload(alice)
    page = html(alice_web.get(f"/activities/{run.pk}/"))
    assert '"tileUrl": ""' in page


def test_pages_load_nothing_from_elsewhere_and_run_no_inline_script(
    alice: User, alice_web: Client
) -> None:
    run = upload(alice)
    for url in [
        "/activities/",
        "/activities/calendar/",
        "/activities/upload/",
        "/activities/new/",
        f"/activities/{run.pk}/",
        "/",
    ]:
        page = html(alice_web.get(url))
        for match in re.finditer(r'(?:src|href|action)="([^"]+)"', page):
            assert not re.match(r"^(https?:)?//", match.group(1)), (url, match.group(1))
        for script in re.finditer(r"<script([^>]*)>(.*?)</script>", page, re.S):
            attrs, body = script.groups()
            assert 'src="/static/' in attrs or 'type="application/json"' in attrs, url
            assert "src=" in attrs or body.strip().startswith(("{", "[")), url
        assert " style=" not in page, url  # the policy forbids inline styles


def test_static_files_are_served_from_imas(alice_web: Client) -> None:
    for path in [
        "/static/leaflet/leaflet.js",
        "/static/leaflet/leaflet.css",
        "/static/activities/chart.js",
        "/static/activities/activity.js",
        "/static/activities/upload.js",
        "/static/activities/activities.css",
    ]:
        response = alice_web.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 500, path


def test_a_visitor_sees_a_public_activity_without_health_data(alice: User, client: Client) -> None:
    run = upload(alice)
    services.activity_update(activity=run, visibility=Visibility.PUBLIC)
    page = html(client.get(f"/activities/{run.pk}/"))
    assert run.name in page
    assert "Avg heart rate" not in page
    assert "Heart-rate zones" not in page
    assert "Download original" not in page
    assert "csrfmiddlewaretoken" not in page  # no edit, delete or duplicate forms


@pytest.mark.parametrize(
    "analysis",
    [
        {"splits_km": "not a list", "hr_zones": [1, 2], "best_efforts": [], "power_curve": []},
        {"splits_km": [{"index": "x", "avg_speed_mps": "fast"}], "lap_details": [None, 3]},
        {"hr_zones": [{"zone": 1, "seconds": "long"}], "power_curve": {"abc": "def", "5": None}},
        {"best_efforts": {"1km": "quick", "5km": {"distance_m": None, "time_s": "x"}}},
        {"swim": [], "strength": "heavy", "sets": [{"exercise": "<script>x</script>"}]},
        {"warnings": ["<b>odd</b>", 5], "methods": ["not", "a", "dict"]},
    ],
)
def test_the_page_survives_a_damaged_analysis(
    alice: User, alice_web: Client, analysis: dict[str, Any]
) -> None:
    run = upload(alice)
    Activity.objects.filter(pk=run.pk).update(analysis=analysis)
    response = alice_web.get(f"/activities/{run.pk}/")
    assert response.status_code == 200
    assert "<script>x</script>" not in html(response)
    assert "<b>odd</b>" not in html(response)


@pytest.mark.corpus
def test_pages_of_real_files_of_every_kind(alice: User, alice_web: Client) -> None:
    from tests.support.corpus import corpus_path

    names = [
        "GoldenCheetah/test/swims/AleV_Swim_2015-02-09-16-15.fit",  # pool swim, no GPS
        "GoldenCheetah/test/rides/Garmin830_with_Stages.fit",  # ride with power, no GPS
        "GoldenCheetah/test/rides/2017_hrv.FIT",  # generic, heart rate only
        "GoldenCheetah/test/rides/activity_165850259_multi-session.tcx",  # multisport
        "GoldenCheetah/test/swims/Garmin945swimRRdata.fit",  # open water
    ]
    for name in names:
        data = corpus_path(name).read_bytes()
        result = services.activity_upload_file(owner=alice, data=data, filename=name)
        for activity in result.activities:
            response = alice_web.get(f"/activities/{activity.pk}/")
            assert response.status_code == 200, name
    assert alice_web.get("/activities/").status_code == 200


def test_filtered_list_shows_the_totals_of_the_selection(alice: User, alice_web: Client) -> None:
    for day, km in [(3, 5.0), (4, 7.5)]:
        manual(
            alice,
            "running",
            dt.datetime(2024, 6, day, 7, tzinfo=dt.UTC),
            distance_m=km * 1000,
            duration_s=km * 300,
        )
    manual(alice, "walking", dt.datetime(2024, 6, 5, 7, tzinfo=dt.UTC), distance_m=3000.0)
    page = html(alice_web.get("/activities/?sport=running"))
    assert '<span class="big">12.50</span> km' in page
    assert '<span class="big">2</span>' in page
    everything = html(alice_web.get("/activities/"))
    assert '<span class="big">3</span>' in everything


def test_a_calendar_day_leads_to_manual_entry_on_that_day(alice_web: Client) -> None:
    june = html(alice_web.get("/activities/calendar/2024/6/"))
    assert 'href="/activities/new/?date=2024-06-12"' in june
    form = html(alice_web.get("/activities/new/?date=2024-06-12"))
    assert 'value="2024-06-12"' in form
    assert alice_web.get("/activities/new/?date=12/06/2024").status_code == 200


def test_home_feed_shows_recent_activities_and_the_week_without_streams(
    alice: User, alice_web: Client
) -> None:
    from django.utils import timezone

    recent = manual(alice, "running", timezone.now() - dt.timedelta(seconds=30), distance_m=5000.0)
    old = upload(alice)
    with CaptureQueriesContext(connection) as queries:
        page = html(alice_web.get("/"))
    assert f"/activities/{recent.pk}/" in page
    assert f"/activities/{old.pk}/" in page
    assert page.index(f"/activities/{recent.pk}/") < page.index(f"/activities/{old.pk}/")
    assert 'class="route-svg"' in page  # the uploaded run's preview, from its polyline
    assert '<span class="big">5.00</span> km' in page  # this week: the recent run only
    assert not any("activities_activitystreams" in q["sql"] for q in queries.captured_queries)


def test_upload_page_carries_what_its_script_needs(alice_web: Client) -> None:
    page = html(alice_web.get("/activities/upload/"))
    assert 'data-endpoint="/api/v1/activities"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'type="file" name="file" multiple' in page
    labels = re.search(r'<script id="upload-labels" type="application/json">(.*?)</script>', page)
    assert labels
    assert '"maxBytes":' in labels.group(1)
    assert "/static/activities/upload.js" in page


def test_unverified_people_are_told_before_they_upload(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user(verified=False))
    assert "Verify your email address" in html(client.get("/activities/upload/"))
