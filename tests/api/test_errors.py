"""No input makes the API answer anything but the JSON error shape with a fitting 4xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imas.accounts.services import PROFILE_FIELDS

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert "field" in error
    return dict(error)


def test_no_credentials(client: Client) -> None:
    assert_error(client.get(ME), 401, "unauthenticated")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer imas_pat_doesnotexist",
        "Bearer ",
        "Bearer " + "x" * 5000,
        "Basic dXNlcjpwYXNz",
        "Bearer imas_pat_\x00\x01",
    ],
)
def test_bad_credentials(client: Client, header: str) -> None:
    assert_error(client.get(ME, HTTP_AUTHORIZATION=header), 401, "unauthenticated")


def test_token_of_a_deactivated_account(api: Client, ann: Any) -> None:
    ann.is_active = False
    ann.save()
    assert_error(api.get(ME), 401, "unauthenticated")


def test_oversized_json_body(api: Client) -> None:
    body = json.dumps({"name": "x" * (2 * 1024 * 1024)})
    assert_error(api.patch(ME, body, content_type="application/json"), 413, "too_large")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_wrong_content_type(api: Client, content_type: str) -> None:
    response = api.patch(ME, json.dumps({"name": "New"}), content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("body", ["{", "[1, 2]", '"text"', "\xff\xfe", "null", "{'a': 1}"])
def test_malformed_json(api: Client, body: str) -> None:
    response = api.patch(ME, body, content_type="application/json")
    assert_error(response, 400, "malformed_json")


def test_unknown_url_and_wrong_method(api: Client) -> None:
    assert_error(api.get("/api/v1/no/such/thing"), 404, "not_found")
    error = assert_error(
        api.put(ME, "{}", content_type="application/json"), 405, "method_not_allowed"
    )
    assert error["field"] is None


def test_unknown_token_id(api: Client) -> None:
    assert_error(api.delete("/api/v1/tokens/987654"), 404, "not_found")
    assert_error(api.delete("/api/v1/tokens/not-a-number"), 422, "invalid")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from([*PROFILE_FIELDS, "other"]),  # the editable fields and an unknown one
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.text(max_size=40),
            st.lists(st.integers(), max_size=3),
        ),
        max_size=4,
    )
)
def test_any_patch_body_gets_200_or_a_shaped_4xx(api: Client, body: dict[str, Any]) -> None:
    response = api.patch(ME, json.dumps(body), content_type="application/json")
    if response.status_code == 200:
        return
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["code"]
