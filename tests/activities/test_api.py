"""The activities API, endpoint by endpoint, through Django's test client and the real auth."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from typing import Any

import gpxpy
import pytest
from django.test import Client
from django.test.client import encode_multipart

from imas.accounts.models import User
from imas.activities import storage
from imas.activities.imports import import_job_run
from imas.activities.models import Activity, ActivityStreams
from tests.activities.conftest import bearer_client
from tests.activities.files import RANDOM_BYTES, XXE_GPX, gpx_run, zip_of

URL = "/api/v1/activities"


def upload(client: Client, data: bytes, filename: str = "run.gpx", **fields: str) -> Any:
    return client.post(URL, data={"file": _named(data, filename), **fields})


def _named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _keys(value: Any) -> set[str]:
    """Every dictionary key at any depth."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


@pytest.fixture
def run_id(alice_api: Client) -> int:
    response = upload(alice_api, gpx_run(600))
    assert response.status_code == 201
    return int(response.json()["id"])


# --- upload -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_answers_201_then_200_for_the_same_file(alice_api: Client) -> None:
    data = gpx_run(600)
    first = upload(alice_api, data, sport="running", name="Prater loop")
    assert first.status_code == 201
    body = first.json()
    assert body["name"] == "Prater loop"
    assert body["sport"] == "running"
    assert body["source"] == "api"
    assert body["points"] == 600
    assert body["distance_m"] > 1000
    assert body["start_time"].startswith("2024-06-01T08:00:00")
    assert body["activity_ids"] == [body["id"]]
    assert body["links"]["streams"] == f"{URL}/{body['id']}/streams"
    assert body["links"]["original"] == f"{URL}/{body['id']}/original"
    again = upload(alice_api, data, name="other name")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert again.json()["name"] == "Prater loop"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 400, "empty_file"),
        (RANDOM_BYTES, 415, "unsupported_format"),
        (XXE_GPX, 422, "hostile_input"),
        (b"<?xml version='1.0'?><gpx><trk><trkseg><trkpt", 422, "corrupt_file"),
    ],
    ids=["empty", "random", "xxe", "corrupt"],
)
def test_bad_files_get_a_json_error_naming_the_problem(
    alice_api: Client, data: bytes, status: int, code: str
) -> None:
    error = assert_error(upload(alice_api, data), status, code)
    assert error["field"] == "file"
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_too_large_by_content_length_is_refused_before_reading(
    alice_api: Client, settings: Any
) -> None:
    settings.IMAS_UPLOAD_MAX_BYTES = 10_000
    body = encode_multipart("BoUnDaRy", {"file": _named(b"x" * 100, "a.gpx")})
    response = alice_api.generic(
        "POST",
        URL,
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(50 * 1024 * 1024 * 1024),
    )
    assert_error(response, 413, "file_too_large")


@pytest.mark.django_db
def test_too_large_file_is_cut_off_while_streaming(alice_api: Client, settings: Any) -> None:
    data = gpx_run(600)
    settings.IMAS_UPLOAD_MAX_BYTES = len(data) // 2  # within the multipart allowance
    assert_error(upload(alice_api, data), 413, "file_too_large")
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_oversized_form_fields_are_refused(alice_api: Client) -> None:
    response = upload(alice_api, gpx_run(60), name="x" * (2 * 1024 * 1024))
    assert_error(response, 413, "too_large")
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_upload_needs_the_file_field_and_multipart(alice_api: Client) -> None:
    assert_error(alice_api.post(URL, data={"name": "x"}), 400, "missing_file")
    response = alice_api.post(URL, data=b"{}", content_type="application/json")
    assert_error(response, 415, "unsupported_media_type")


@pytest.mark.django_db
def test_upload_needs_a_verified_email(make_user: Any) -> None:
    client = bearer_client(make_user(verified=False))
    assert_error(upload(client, gpx_run(60)), 403, "email_unverified")


@pytest.mark.django_db
def test_anonymous_gets_401(client: Client, run_id: int) -> None:
    assert_error(upload(client, gpx_run(60)), 401, "unauthenticated")
    assert_error(client.get(URL), 401, "unauthenticated")
    # Reading one activity is open to visitors for public ones (issue 7); a private one
    # answers like a missing id (imas.sharing).
    assert_error(client.get(f"{URL}/{run_id}"), 404, "not_found")
    assert_error(client.get(f"{URL}/{run_id}/streams"), 404, "not_found")


@pytest.mark.django_db
def test_session_login_works_too(client: Client, alice: User, run_id: int) -> None:
    client.force_login(alice)
    assert client.get(f"{URL}/{run_id}").status_code == 200


# --- archives and imports -----------------------------------------------------------------------


@pytest.mark.django_db
def test_archive_upload_answers_202_with_a_job_that_imports_the_good_files(
    alice_api: Client, bob_api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    archive = zip_of(
        {
            "a.gpx": gpx_run(120, seed=1),
            "sub/b.gpx": gpx_run(120, seed=2, start=1_717_300_000),
            "broken.gpx": b"<gpx><trk><trkseg><trkpt lat=",
            "notes.txt": b"hello",
        }
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(alice_api, archive, "export.zip")
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued"
    assert job["links"]["self"] == f"/api/v1/imports/{job['id']}"

    import_job_run(job["id"])  # what the worker does with the queued id

    done = alice_api.get(f"/api/v1/imports/{job['id']}").json()
    assert done["status"] == "done"
    assert done["total"] == 4
    assert done["processed"] == 4
    assert done["counts"] == {"pending": 0, "created": 2, "duplicate": 0, "failed": 2}
    outcomes = {item["name"]: item for item in done["items"]}
    assert outcomes["a.gpx"]["status"] == "created"
    assert outcomes["a.gpx"]["activity_id"]
    assert outcomes["broken.gpx"]["status"] == "failed"
    assert outcomes["broken.gpx"]["reason"]
    assert outcomes["notes.txt"]["status"] == "failed"
    assert Activity.objects.count() == 2
    assert_error(bob_api.get(f"/api/v1/imports/{job['id']}"), 404, "not_found")
    assert [j["id"] for j in alice_api.get("/api/v1/imports").json()] == [job["id"]]
    assert bob_api.get("/api/v1/imports").json() == []


# --- list ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_filters_and_pages(alice_api: Client, bob_api: Client) -> None:
    day = 86_400
    base = 1_717_228_800  # 2024-06-01 08:00 UTC
    for k in range(5):
        upload(alice_api, gpx_run(60, seed=k, start=base + k * day), name=f"Run {k}")
    upload(alice_api, gpx_run(60, seed=9, start=base + 10 * day), sport="cycling", name="Ride")
    upload(bob_api, gpx_run(60, seed=20), name="Bob's")

    everything = alice_api.get(URL).json()
    assert everything["count"] == 6
    assert [a["name"] for a in everything["results"]][:2] == ["Ride", "Run 4"]  # newest first
    assert "analysis" not in everything["results"][0]
    assert all(a["name"] != "Bob's" for a in everything["results"])

    assert alice_api.get(URL, {"sport": "cycling"}).json()["count"] == 1
    window = alice_api.get(URL, {"date_from": "2024-06-02", "date_to": "2024-06-03"}).json()
    assert sorted(a["name"] for a in window["results"]) == ["Run 1", "Run 2"]
    assert alice_api.get(URL, {"q": "ride"}).json()["count"] == 1

    page1 = alice_api.get(URL, {"page_size": 4}).json()
    assert len(page1["results"]) == 4
    assert page1["previous"] is None
    assert page1["next"]
    page2 = alice_api.get(page1["next"]).json()
    assert len(page2["results"]) == 2
    assert page2["next"] is None
    assert {a["id"] for a in page1["results"]}.isdisjoint({a["id"] for a in page2["results"]})

    assert_error(alice_api.get(URL, {"sport": "quidditch"}), 422, "invalid")
    assert_error(alice_api.get(URL, {"page_size": 100_000}), 422, "invalid")
    assert_error(alice_api.get(URL, {"date_from": "yesterday"}), 422, "invalid")


# --- one activity -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_patch_and_delete(
    alice_api: Client, run_id: int, django_capture_on_commit_callbacks: Any
) -> None:
    detail = alice_api.get(f"{URL}/{run_id}").json()
    assert detail["analysis"]["distance_m"] == detail["distance_m"]
    assert detail["description"] == ""
    assert detail["near_duplicates"] == []

    patched = alice_api.patch(
        f"{URL}/{run_id}",
        data={"name": "Renamed", "visibility": "public", "description": "Easy"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert (patched.json()["name"], patched.json()["visibility"]) == ("Renamed", "public")
    assert Activity.objects.get(pk=run_id).description == "Easy"

    for bad, field in (({"sport": "quidditch"}, "sport"), ({"name": ""}, "name")):
        response = alice_api.patch(f"{URL}/{run_id}", data=bad, content_type="application/json")
        assert assert_error(response, 422, "invalid")["field"] == field
    response = alice_api.patch(
        f"{URL}/{run_id}", data={"owner": 2}, content_type="application/json"
    )
    assert_error(response, 422, "invalid")

    sha = Activity.objects.get(pk=run_id).original_sha256
    assert storage.blob_exists(storage.ORIGINALS, sha)
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_api.delete(f"{URL}/{run_id}").status_code == 204
    assert not Activity.objects.filter(pk=run_id).exists()
    assert not ActivityStreams.objects.filter(activity_id=run_id).exists()
    assert not storage.blob_exists(storage.ORIGINALS, sha)
    assert_error(alice_api.get(f"{URL}/{run_id}"), 404, "not_found")


@pytest.mark.django_db
def test_delete_keeps_a_file_that_another_activity_still_uses(
    alice_api: Client, bob_api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    data = gpx_run(60)
    mine = upload(alice_api, data).json()["id"]
    upload(bob_api, data)
    sha = Activity.objects.get(pk=mine).original_sha256
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_api.delete(f"{URL}/{mine}").status_code == 204
    assert storage.blob_exists(storage.ORIGINALS, sha)


@pytest.mark.django_db
def test_streams_use_strava_names_and_downsample(alice_api: Client, run_id: int) -> None:
    full = alice_api.get(f"{URL}/{run_id}/streams")
    assert full.status_code == 200
    streams = full.json()
    assert set(streams) == {"time", "latlng", "distance", "altitude", "heartrate", "speed"}
    assert all(len(v) == 600 for v in streams.values())
    assert streams["time"][:2] == [0, 1]
    assert streams["distance"][-1] == pytest.approx(
        Activity.objects.get(pk=run_id).distance_m, abs=0.1
    )
    small = alice_api.get(f"{URL}/{run_id}/streams", {"resolution": 50}).json()
    assert 45 <= len(small["time"]) <= 50
    assert small["time"][-1] == 599
    assert_error(alice_api.get(f"{URL}/{run_id}/streams", {"resolution": 1}), 422, "invalid")


@pytest.mark.django_db
def test_original_and_gpx_downloads(alice_api: Client, run_id: int) -> None:
    original = alice_api.get(f"{URL}/{run_id}/original")
    assert original.status_code == 200
    assert original.content == gpx_run(600)
    assert 'filename="run.gpx"' in original["Content-Disposition"]

    exported = alice_api.get(f"{URL}/{run_id}/gpx")
    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/gpx+xml"
    parsed = gpxpy.parse(exported.content.decode())
    points = parsed.tracks[0].segments[0].points
    assert len(points) == 600
    source = gpxpy.parse(gpx_run(600).decode()).tracks[0].segments[0].points
    assert (points[0].latitude, points[0].longitude) == (source[0].latitude, source[0].longitude)
    assert points[-1].time == source[-1].time
    assert points[10].elevation == pytest.approx(source[10].elevation, abs=0.01)
    assert b"<gpxtpx:hr>" in exported.content


@pytest.mark.django_db
def test_manual_entry(alice_api: Client) -> None:
    response = alice_api.post(
        f"{URL}/manual",
        data={
            "sport": "gym",
            "start_time": "2024-06-03T18:00:00+02:00",
            "duration_s": 3600,
            "description": "Upper body",
            "sets": [{"exercise": "bench press", "repetitions": 8, "weight_kg": 60}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sport"] == "gym"
    assert body["source"] == "manual"
    assert body["start_time"].startswith("2024-06-03T16:00:00")
    assert body["analysis"]["sets"][0]["weight_kg"] == 60
    assert body["links"]["original"] is None
    assert_error(alice_api.get(f"{URL}/{body['id']}/original"), 404, "not_found")
    assert alice_api.get(f"{URL}/{body['id']}/streams").json() == {}
    bad = alice_api.post(
        f"{URL}/manual",
        data={"sport": "gym", "start_time": "2024-06-03T18:00:00Z", "duration_s": -5},
        content_type="application/json",
    )
    assert assert_error(bad, 422, "invalid")["field"] == "duration_s"


@pytest.mark.django_db
def test_near_duplicate_keep_and_dismiss(alice_api: Client) -> None:
    base = 1_717_228_800
    a = upload(alice_api, gpx_run(300, seed=1)).json()
    b = upload(alice_api, gpx_run(300, seed=2, start=base + 20)).json()
    assert b["near_duplicate_of"] == a["id"]
    assert alice_api.get(f"{URL}/{a['id']}").json()["near_duplicates"] == [b["id"]]
    kept = alice_api.post(f"{URL}/{a['id']}/keep")
    assert kept.status_code == 200
    assert kept.json()["near_duplicates"] == []
    assert not Activity.objects.filter(pk=b["id"]).exists()

    c = upload(alice_api, gpx_run(300, seed=3, start=base + 30)).json()
    assert c["near_duplicate_of"] == a["id"]
    assert alice_api.post(f"{URL}/{c['id']}/not-duplicate").json()["near_duplicate_of"] is None
    assert Activity.objects.filter(pk__in=[a["id"], c["id"]]).count() == 2


# --- other people -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_persons_token_gets_404_for_every_activity_url(
    alice_api: Client, bob_api: Client, run_id: int
) -> None:
    missing = run_id + 1000
    for activity_id in (run_id, missing):
        base = f"{URL}/{activity_id}"
        answers = [
            bob_api.get(base),
            bob_api.patch(base, data={"name": "x"}, content_type="application/json"),
            bob_api.delete(base),
            bob_api.get(f"{base}/streams"),
            bob_api.get(f"{base}/original"),
            bob_api.get(f"{base}/gpx"),
            bob_api.post(f"{base}/keep"),
            bob_api.post(f"{base}/not-duplicate"),
        ]
        bodies = [assert_error(r, 404, "not_found") for r in answers]
        assert len({json.dumps(b) for b in bodies}) <= 2  # missing and forbidden look alike
    assert Activity.objects.get(pk=run_id).name != "x"
    assert alice_api.get(f"{URL}/{run_id}").status_code == 200


@pytest.mark.django_db
def test_public_activity_is_readable_without_health_data_or_the_file(
    alice_api: Client, bob_api: Client, run_id: int
) -> None:
    alice_api.patch(
        f"{URL}/{run_id}", data={"visibility": "public"}, content_type="application/json"
    )
    seen = bob_api.get(f"{URL}/{run_id}").json()
    assert seen["avg_hr"] is None
    assert seen["max_hr"] is None
    assert seen["links"]["original"] is None
    assert "hr_zones" not in seen["analysis"]
    assert seen["calories_kcal"] is None
    assert not any("hr" in key.split("_") for key in _keys(seen["analysis"]))
    assert seen["analysis"]["splits_km"]  # the rest of the analysis is there
    streams = bob_api.get(f"{URL}/{run_id}/streams").json()
    assert "heartrate" not in streams
    assert "latlng" in streams
    assert b"<gpxtpx:hr>" not in bob_api.get(f"{URL}/{run_id}/gpx").content
    assert_error(bob_api.get(f"{URL}/{run_id}/original"), 404, "not_found")
    assert_error(
        bob_api.patch(f"{URL}/{run_id}", data={"name": "x"}, content_type="application/json"),
        404,
        "not_found",
    )
    assert_error(bob_api.delete(f"{URL}/{run_id}"), 404, "not_found")
    assert bob_api.get(URL).json()["count"] == 0  # the list is one's own activities


@pytest.mark.django_db
def test_streams_payload_of_a_long_run_is_small(alice_api: Client) -> None:
    run = upload(alice_api, gpx_run(3 * 3600)).json()
    body = alice_api.get(f"{URL}/{run['id']}/streams").content
    assert len(gzip.compress(body)) < 150_000
    assert dt.timedelta(seconds=run["elapsed_s"]) == dt.timedelta(seconds=3 * 3600 - 1)


@pytest.mark.django_db
def test_size_cap_holds_for_browser_sessions_and_anonymous_callers(
    client: Client, alice: User, settings: Any
) -> None:
    settings.IMAS_UPLOAD_MAX_BYTES = 40_000
    data = gpx_run(400)  # ~83 KB: over the cap, within the multipart allowance of 64 KB
    body = encode_multipart("BoUnDaRy", {"file": _named(data, "a.gpx")})
    kind = "multipart/form-data; boundary=BoUnDaRy"
    huge = client.generic("POST", URL, body, content_type=kind, CONTENT_LENGTH=str(10**12))
    assert_error(huge, 413, "file_too_large")
    assert_error(client.generic("POST", URL, body, content_type=kind), 401, "unauthenticated")
    client.force_login(alice)
    assert_error(client.generic("POST", URL, body, content_type=kind), 413, "file_too_large")
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_imports_endpoint_takes_archives_only(
    alice_api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        response = alice_api.post(
            "/api/v1/imports", data={"file": _named(zip_of({"a.gpx": gpx_run(60)}), "a.zip")}
        )
    assert response.status_code == 202
    assert response.json()["kind"] == "archive"
    not_zip = alice_api.post("/api/v1/imports", data={"file": _named(gpx_run(60), "a.gpx")})
    assert_error(not_zip, 415, "not_an_archive")
