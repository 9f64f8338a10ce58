"""The segments API: create from an activity span or a GPX route, list, detail with efforts
and leaderboard, edit, delete, records; and what other people may never see."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from imas.activities.models import Activity
from imas.segments.models import Segment, SegmentEffort
from tests.segments.conftest import bearer
from tests.segments.routes import LOOP, START, STREET, path, recording, route_gpx

pytestmark = pytest.mark.django_db

DAY = 86_400.0


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def patch_json(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def world(
    alice: Any, bob: Any, upload: Callable[..., Activity], django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    """Alice's public run, Alice's private run, Bob's public and private runs on one street,
    and a shared segment of Alice's made over the API."""
    a_public = upload(alice, recording(*STREET, speed=4.0), visibility="public")
    a_private = upload(alice, recording(*STREET, speed=4.5, start=START + DAY))
    b_public = upload(bob, recording(*STREET, speed=3.5, start=START + 3600), visibility="public")
    b_private = upload(bob, recording(*STREET, speed=5.0, start=START + DAY + 3600))
    api = bearer(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            api,
            "/api/v1/segments",
            {
                "activity_id": a_public.pk,
                "name": "Street kilometre",
                "start_distance_m": 500,
                "end_distance_m": 1500,
                "visibility": "shared",
            },
        )
    assert response.status_code == 201, response.content
    return {
        "segment": response.json(),
        "a_public": a_public,
        "a_private": a_private,
        "b_public": b_public,
        "b_private": b_private,
        "alice_api": api,
        "bob_api": bearer(bob),
    }


def test_create_answers_with_the_segment_and_its_efforts(world: dict[str, Any]) -> None:
    body = world["segment"]
    assert body["name"] == "Street kilometre"
    assert body["length_m"] == pytest.approx(1000.0, rel=0.01)
    assert body["is_mine"] is True
    assert body["links"]["page"] == f"/segments/{body['id']}/"
    assert len(body["points"]) >= 2
    # Every pass of the street was matched, Bob's included (the segment is shared).
    assert SegmentEffort.objects.filter(segment_id=body["id"]).count() == 4
    detail = world["alice_api"].get(f"/api/v1/segments/{body['id']}").json()
    mine = detail["efforts"]
    assert [e["activity_id"] for e in mine] == [world["a_public"].pk, world["a_private"].pk]
    assert [e["personal_rank"] for e in mine] == [2, 1]
    assert detail["record"]["activity_id"] == world["a_private"].pk
    assert detail["record"]["elapsed_s"] == pytest.approx(1000 / 4.5, abs=1.5)
    assert detail["record"]["avg_hr"] == pytest.approx(150.0)


def test_leaderboard_never_shows_someone_elses_private_activity(world: dict[str, Any]) -> None:
    sid = world["segment"]["id"]
    alice_view = world["alice_api"].get(f"/api/v1/segments/{sid}").json()
    board = alice_view["leaderboard"]
    # Bob's fastest effort is on his private activity: Alice sees only his public one.
    assert {row["activity_id"] for row in board} == {world["a_private"].pk, world["b_public"].pk}
    shown = {row["activity_id"] for row in board} | {
        e["activity_id"] for e in alice_view["efforts"]
    }
    assert world["b_private"].pk not in shown
    assert [row["rank"] for row in board] == [1, 2]
    assert board[0]["is_me"] is True
    assert all("avg_hr" not in row for row in board)
    assert alice_view["athlete_count"] == 2

    bob_view = world["bob_api"].get(f"/api/v1/segments/{sid}").json()
    rows = {row["activity_id"]: row for row in bob_view["leaderboard"]}
    # Bob sees his own private effort (his best) and Alice's public one, not her private one.
    assert set(rows) == {world["b_private"].pk, world["a_public"].pk}
    assert world["a_private"].pk not in {e["activity_id"] for e in bob_view["efforts"]}
    assert bob_view["is_mine"] is False


def test_private_segments_are_invisible_to_others(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    api = world["alice_api"]
    with django_capture_on_commit_callbacks(execute=True):
        created = post_json(
            api,
            "/api/v1/segments",
            {
                "activity_id": world["a_public"].pk,
                "name": "Secret",
                "start_index": 100,
                "end_index": 400,
            },
        )
    assert created.status_code == 201
    sid = created.json()["id"]
    bob = world["bob_api"]
    for response in (
        bob.get(f"/api/v1/segments/{sid}"),
        patch_json(bob, f"/api/v1/segments/{sid}", {"name": "Mine"}),
        bob.delete(f"/api/v1/segments/{sid}"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert sid not in {s["id"] for s in bob.get("/api/v1/segments").json()["results"]}
    assert bob.get("/api/v1/segments/999999").json() == bob.get(f"/api/v1/segments/{sid}").json()


def test_list_filters(world: dict[str, Any]) -> None:
    bob = world["bob_api"]
    everything = bob.get("/api/v1/segments").json()
    assert everything["count"] == 1
    assert bob.get("/api/v1/segments?mine=true").json()["count"] == 0
    assert bob.get("/api/v1/segments?q=kilo").json()["count"] == 1
    assert bob.get("/api/v1/segments?sport=cycling").json()["count"] == 0
    bad = bob.get("/api/v1/segments?sport=flying")
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "sport"
    assert bob.get("/api/v1/segments?limit=100000").status_code == 422
    for query in ("offset=-1", "offset=" + "9" * 30, "q=" + "x" * 500, "limit=x"):
        bad = bob.get(f"/api/v1/segments?{query}")
        assert bad.status_code == 422, query
        assert bad.json()["error"]["field"] == query.split("=")[0]
    assert bob.get("/api/v1/segments/" + "9" * 30).status_code == 404


def test_activity_efforts_endpoint(world: dict[str, Any]) -> None:
    alice = world["alice_api"]
    mine = alice.get(f"/api/v1/segments/activities/{world['a_private'].pk}/efforts").json()
    assert len(mine) == 1
    assert mine[0]["segment_name"] == "Street kilometre"
    assert mine[0]["is_record"] is True
    assert mine[0]["personal_rank"] == 1
    assert mine[0]["attempts"] == 2
    assert mine[0]["avg_hr"] == pytest.approx(150.0)
    # Bob may see Alice's public activity, but not her heart rate, nor her private activity.
    bob = world["bob_api"]
    seen = bob.get(f"/api/v1/segments/activities/{world['a_public'].pk}/efforts").json()
    assert len(seen) == 1
    assert seen[0]["avg_hr"] is None
    hidden = bob.get(f"/api/v1/segments/activities/{world['a_private'].pk}/efforts")
    assert hidden.status_code == 404


def test_edit_and_delete(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    api = world["alice_api"]
    sid = world["segment"]["id"]
    renamed = patch_json(api, f"/api/v1/segments/{sid}", {"name": "Renamed"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Renamed"
    bad = patch_json(api, f"/api/v1/segments/{sid}", {"name": ""})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "name"
    extra = patch_json(api, f"/api/v1/segments/{sid}", {"owner": 5})
    assert extra.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        private = patch_json(api, f"/api/v1/segments/{sid}", {"visibility": "private"})
    assert private.status_code == 200
    # Made private: Bob's efforts are gone from it.
    assert not SegmentEffort.objects.filter(segment_id=sid, owner=world["b_public"].owner).exists()
    assert api.delete(f"/api/v1/segments/{sid}").status_code == 204
    assert not Segment.objects.filter(pk=sid).exists()
    assert not SegmentEffort.objects.filter(segment_id=sid).exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"activity_id": 0, "name": "x", "start_index": 0, "end_index": 10}, 404, "activity_id"),
        ({"name": "x", "start_index": 0, "end_index": 10}, 422, "activity_id"),
        ({"activity_id": "A", "name": "x"}, 422, "activity_id"),
        ({"activity_id": 1, "name": "x", "start_index": 5, "end_index": 1, "evil": 1}, 422, "evil"),
        ({"activity_id": 1, "name": "x", "start_index": 10**40, "end_index": 1}, 422, None),
        ({"activity_id": 1, "name": ["x"], "start_index": 0, "end_index": 1}, 422, "name"),
    ],
)
def test_bad_create_requests(
    alice: Any, body: dict[str, Any], status: int, field: str | None
) -> None:
    response = post_json(bearer(alice), "/api/v1/segments", body)
    assert response.status_code in (status, 404)  # 404: activity 1 is not Alice's
    if response.status_code == status and field is not None:
        assert response.json()["error"]["field"] == field
    assert response.json()["error"]["message"]


def test_malformed_and_oversized_json(alice: Any) -> None:
    api = bearer(alice)
    broken = api.post("/api/v1/segments", data="{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "malformed_json"
    huge = api.post(
        "/api/v1/segments",
        data=json.dumps({"activity_id": 1, "name": "x" * 3_000_000}),
        content_type="application/json",
    )
    assert huge.status_code == 413


def test_overlong_names_are_refused(alice: Any, upload: Callable[..., Activity]) -> None:
    run = upload(alice, recording(*STREET))
    response = post_json(
        bearer(alice),
        "/api/v1/segments",
        {"activity_id": run.pk, "name": "x" * 201, "start_index": 0, "end_index": 400},
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "name"


def test_another_persons_activity_cannot_be_cut(world: dict[str, Any]) -> None:
    response = post_json(
        world["bob_api"],
        "/api/v1/segments",
        {"activity_id": world["a_public"].pk, "name": "x", "start_index": 0, "end_index": 300},
    )
    assert response.status_code == 404


def test_gpx_route_upload(
    alice: Any, upload: Callable[..., Activity], django_capture_on_commit_callbacks: Any
) -> None:
    laps = upload(alice, recording(*path(*LOOP, *LOOP[1:]), speed=3.5))
    api = bearer(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/segments/gpx",
            {
                "file": SimpleUploadedFile("loop.gpx", route_gpx(*path(*LOOP), name="Loop")),
                "sport": "running",
            },
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Loop"
    assert body["source"] == "gpx"
    assert body["elevation_profile"][0][1] == pytest.approx(210.0)
    # The back-fill ran after the answer (in the background, eagerly here).
    detail = api.get(f"/api/v1/segments/{body['id']}").json()
    assert [e["activity_id"] for e in detail["efforts"]] == [laps.pk, laps.pk]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"sport": "running"}, 400, "missing_file"),
        (
            {"file": SimpleUploadedFile("x.gpx", b"not xml at all"), "sport": "running"},
            422,
            "invalid",
        ),
        (
            {"file": SimpleUploadedFile("x.gpx", route_gpx(*path(*LOOP))), "sport": "gym"},
            422,
            "invalid",
        ),
    ],
)
def test_bad_gpx_uploads(alice: Any, data: dict[str, Any], status: int, code: str) -> None:
    response = bearer(alice).post("/api/v1/segments/gpx", data)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_gpx_upload_too_large_is_refused(alice: Any) -> None:
    big = SimpleUploadedFile("big.gpx", b"<" * (5 * 1024 * 1024 + 10))
    response = bearer(alice).post("/api/v1/segments/gpx", {"file": big, "sport": "running"})
    assert response.status_code == 413
    assert response.json()["error"]["field"] == "file"


def test_json_to_the_gpx_endpoint_is_refused(alice: Any) -> None:
    response = post_json(bearer(alice), "/api/v1/segments/gpx", {"x": 1})
    assert response.status_code == 415


def test_anonymous_gets_401(client: Client) -> None:
    for url in ("/api/v1/segments", "/api/v1/segments/1", "/api/v1/segments/records"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_records_endpoints(alice: Any, bob: Any, upload: Callable[..., Activity]) -> None:
    upload(alice, recording(*STREET, speed=3.0))
    fast = upload(alice, recording(*STREET, speed=4.0, start=START + DAY))
    upload(bob, recording(*STREET, speed=6.0, start=START))
    api = bearer(alice)
    current = api.get("/api/v1/segments/records?sport=running").json()
    kinds = {(r["kind"], r["key"]): r for r in current}
    assert kinds[("best_effort", "1km")]["activity_id"] == fast.pk
    assert kinds[("best_effort", "1km")]["label"] == "1km"
    assert kinds[("longest_distance", "")]["value"] == pytest.approx(2000.0, rel=0.02)
    assert all(r["activity_id"] != 0 for r in current)
    recent = api.get("/api/v1/segments/records/recent?days=3660").json()
    assert recent
    assert {r["activity_id"] for r in recent} == {fast.pk}
    assert api.get("/api/v1/segments/records?sport=flying").status_code == 422
    assert api.get("/api/v1/segments/records/recent?days=0").status_code == 422
    # Bob's records never show up in Alice's answer.
    assert all(r["activity_name"] for r in current)
    bobs = bearer(bob).get("/api/v1/segments/records").json()
    assert {r["activity_id"] for r in bobs}.isdisjoint({r["activity_id"] for r in current})
