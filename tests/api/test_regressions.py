"""Inputs that schemathesis (tests/api/test_schemathesis.py) found to break the API contract,
each kept as a focused test so the fix stays in place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"}
    return dict(error)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/tokens"),
        ("patch", "/api/v1/me"),
        ("delete", "/api/v1/me"),
        ("post", "/api/v1/goals"),
        ("delete", "/api/v1/activities/1"),
    ],
)
def test_a_write_without_any_credentials_is_401_not_a_csrf_403(method: str, url: str) -> None:
    """Found: `curl -X POST http://localhost/api/v1/tokens` answered 403 "CSRF check Failed"."""
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(url, "{}", content_type="application/json")
    assert error_of(response, 401)["code"] == "unauthenticated"


def test_a_signed_in_browser_still_needs_the_csrf_token(make_user: Any) -> None:
    person = make_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    response = browser.post(
        "/api/v1/tokens", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert error_of(response, 403)["code"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/api/v1/people/{}/follow"),
        ("delete", "/api/v1/people/{}/block"),
        ("post", "/api/v1/followers/{}/approve"),
        ("delete", "/api/v1/followers/{}"),
    ],
)
@pytest.mark.parametrize("person_id", [2**63, 2**64, 10**30])
def test_a_person_id_past_64_bits_is_404(
    method: str, url: str, person_id: int, make_user: Any
) -> None:
    """Found: `DELETE /api/v1/people/116983914614921297806753792/follow` was a 500 on SQLite
    (OverflowError binding the number in a foreign-key filter)."""
    from imas.accounts.services import token_create

    _row, secret = token_create(user=make_user(), name="tests")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = getattr(client, method)(url.format(person_id))
    assert error_of(response, 404)["code"] == "not_found"


@pytest.mark.parametrize("host", ["evil.example", "a" * 300])
def test_a_host_not_allowed_is_a_json_400(host: str) -> None:
    """Found while probing the headers schemathesis leaves alone: `Host: evil.example` got
    Django's HTML 400 page, because the error-shape middleware sat inside CommonMiddleware."""
    response = Client().get("/api/v1/me", HTTP_HOST=host)
    assert error_of(response, 400)["code"] == "bad_request"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_keep_their_html_400_for_a_host_not_allowed() -> None:
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.fixture
def bearer(make_user: Any) -> Client:
    from imas.accounts.services import token_create

    _row, secret = token_create(user=make_user(), name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("patch", "/api/v1/me", {"name": "Ann\x00"}, "name"),
        ("post", "/api/v1/tokens", {"name": "laptop\x00"}, "name"),
        (
            "post",
            "/api/v1/goals",
            {"name": "\x00", "period": "week", "metric": "distance", "target": 5000},
            "name",
        ),
        (
            "post",
            "/api/v1/privacy/zones",
            {"lat": 46.0, "lon": 14.5, "radius_m": 300, "name": "home\x00"},
            "name",
        ),
        ("patch", "/api/v1/privacy/sharing", {"profile_visibility": "\x00"}, "profile_visibility"),
        ("post", "/api/v1/goals", {"na\x00me": "x"}, None),
        ("post", "/api/v1/activities/manual", {"sets": [{"note": "\x00"}]}, "sets.note"),
    ],
)
def test_a_nul_character_in_a_json_body_is_422(
    bearer: Client, method: str, url: str, body: dict[str, Any], field: str | None
) -> None:
    """Found on PostgreSQL: `PATCH /api/v1/me {"name": "Ann\\u0000"}` and every other text
    field was a 500 (DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes)."""
    response = getattr(bearer, method)(url, json.dumps(body), content_type="application/json")
    error = error_of(response, 422)
    assert error["code"] == "invalid"
    assert error["field"] == field
    assert "NUL" in error["message"]


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("patch", "/api/v1/activities/{activity}", '{"description": "\\ud83d"}', "description"),
        ("patch", "/api/v1/segments/{segment}", '{"name": "\\ud800"}', "name"),
        (
            "post",
            "/api/v1/privacy/zones",
            '{"lat": 1, "lon": 1, "radius_m": 300, "name": "\\udfff"}',
            "name",
        ),
        (
            "post",
            "/api/v1/activities/manual",
            '{"sport": "running", "start_time": "2024-01-01T10:00:00Z", "duration_s": 60,'
            ' "name": "\\ud800"}',
            "name",
        ),
    ],
)
def test_a_lone_surrogate_in_a_json_body_is_422(
    make_user: Any, method: str, url: str, body: str, field: str
) -> None:
    """Found on SQLite and PostgreSQL: `PATCH /api/v1/activities/1 {"description": "\\ud83d"}`
    (valid JSON, but no UTF-8 text) was a 500 (UnicodeEncodeError writing it)."""
    from tests.api.schema_fuzz import build_world

    world = build_world(make_user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.token}")
    url = url.format(activity=world.ids["activity_id"][0], segment=world.ids["segment_id"][0])
    response = getattr(client, method)(url, body, content_type="application/json")
    error = error_of(response, 422)
    assert error["field"] == field
    assert "Unicode" in error["message"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/activities?q=%00", "q"),
        ("/api/v1/segments?q=ride%00", "q"),
        ("/api/v1/trends/totals?sport=%00", "sport"),
        ("/api/v1/activities?a%00=1", None),
    ],
)
def test_a_nul_character_in_the_query_is_422(bearer: Client, url: str, field: str | None) -> None:
    """Found on PostgreSQL: `GET /api/v1/activities?q=%00` was a 500 (DataError)."""
    error = error_of(bearer.get(url), 422)
    assert error["field"] == field
    assert "NUL" in error["message"]


def test_a_nul_character_in_an_uploaded_name_is_refused(bearer: Client) -> None:
    """Found on PostgreSQL: an upload's form field `name=n\\x00` was a 500 (DataError)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.api.schema_fuzz import small_gpx

    data = small_gpx(60, start=1_600_000_000.0, seed=4)
    upload = bearer.post(
        "/api/v1/activities", {"file": SimpleUploadedFile("ride.gpx", data), "name": "n\x00"}
    )
    assert error_of(upload, 400) == {
        "code": "invalid_name",
        "message": "The name must not contain a NUL character.",
        "field": "name",
    }
    segment = bearer.post(
        "/api/v1/segments/gpx",
        {"file": SimpleUploadedFile("climb.gpx", data), "name": "n\x00", "sport": "cycling"},
    )
    assert error_of(segment, 422)["field"] == "name"
    # The same upload with a clean name is accepted: the refusal was about the NUL alone.
    clean = bearer.post(
        "/api/v1/activities", {"file": SimpleUploadedFile("ride.gpx", data), "name": "Ride"}
    )
    assert clean.status_code == 201, clean.content
