"""GET/PATCH /api/v1/me with a token and with a browser session."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from imas.privacy.selectors import consent_states

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def patch(client: Client, body: Any, **extra: Any) -> Any:
    return client.patch(ME, json.dumps(body), content_type="application/json", **extra)


def test_get_me(api: Client, ann: Any) -> None:
    response = api.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == ann.pk
    assert body["email"] == "ann@example.org"
    assert body["email_verified"] is True
    assert body["name"] == "Ann"
    assert body["birthday"] is None
    assert body["units"] == "metric"
    assert body["time_zone"] == "UTC"
    assert body["consents"] == {}


def test_patch_me_changes_only_the_given_fields(api: Client, ann: Any) -> None:
    response = patch(
        api,
        {
            "height_cm": 172.5,
            "gender": "prefer_not_to_say",
            "time_zone": "Europe/Oslo",
            "birthday": "1990-06-30",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["height_cm"] == 172.5
    assert body["gender"] == "prefer_not_to_say"
    assert body["time_zone"] == "Europe/Oslo"
    ann.refresh_from_db()
    assert ann.name == "Ann"
    assert ann.height_cm == 172.5
    # null clears an optional value
    assert patch(api, {"height_cm": None, "gender": None}).json()["height_cm"] is None
    ann.refresh_from_db()
    assert (ann.height_cm, ann.gender) == (None, "")


@pytest.mark.parametrize(
    ("body", "field", "message_part"),
    [
        ({"height_cm": 0}, "height_cm", "between 50 and 250"),
        ({"height_cm": 1e308}, "height_cm", "between 50 and 250"),
        ({"weight_kg": "abc"}, "weight_kg", "number"),
        ({"birthday": "2999-01-01"}, "birthday", "future"),
        ({"birthday": "yesterday"}, "birthday", "date"),
        ({"gender": "robot"}, "gender", "female"),
        ({"units": "furlongs"}, "units", "metric"),
        ({"time_zone": "Mars/Base"}, "time_zone", "Unknown time zone"),
        ({"resting_hr": 10}, "resting_hr", "between 25 and 120"),
        ({"max_hr": 10**30}, "max_hr", "between 100 and 240"),
        ({"name": None}, "name", "cannot be null"),
        ({"name": ""}, "name", "at least 1"),
        ({"email": "x@example.org"}, "email", "not a field"),
        ({"is_staff": True}, "is_staff", "not a field"),
    ],
)
def test_bad_values_get_a_json_error_naming_the_field(
    api: Client, ann: Any, body: dict[str, Any], field: str, message_part: str
) -> None:
    response = patch(api, body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["field"] == field
    assert message_part in error["message"], error
    ann.refresh_from_db()
    assert not ann.is_staff
    assert ann.email == "ann@example.org"


def test_session_auth_needs_csrf_for_writes(ann: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ann)
    assert browser.get(ME).status_code == 200
    refused = patch(browser, {"height_cm": 170})
    assert refused.status_code in (401, 403)
    assert "error" in refused.json()
    browser.get("/profile/")  # sets the CSRF cookie, as a page would
    token = browser.cookies["csrftoken"].value
    accepted = patch(browser, {"height_cm": 170}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert accepted.json()["height_cm"] == 170


def test_consents_are_shown(make_user: Any) -> None:
    user = make_user(consents=("body_data",))
    client = Client()
    client.force_login(user)
    assert client.get(ME).json()["consents"] == {"body_data": True}
    assert consent_states(user)["privacy_policy"] is True


def test_patch_consents_are_recorded_with_the_api_channel(api: Client, ann: Any) -> None:
    from imas.privacy.models import ConsentRecord

    response = patch(api, {"consents": {"body_data": True}})
    assert response.status_code == 200
    assert response.json()["consents"] == {"body_data": True}
    record = ConsentRecord.objects.get(user=ann, purpose="body_data")
    assert record.channel == "api"
    assert record.granted
    withdrawn = patch(api, {"consents": {"body_data": False}})
    assert withdrawn.json()["consents"] == {"body_data": False}
    refused = patch(api, {"consents": {"privacy_policy": False}})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "consents.privacy_policy"
