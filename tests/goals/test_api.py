"""/api/v1/goals: create, list, read, change, delete, progress; bad input; others' goals."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imas.accounts.models import User
from imas.accounts.services import token_create
from imas.goals.models import Goal
from tests.goals.helpers import activity

pytestmark = pytest.mark.django_db
URL = "/api/v1/goals"


def api_for(user: User) -> Client:
    _row, secret = token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def ann(make_user: Any) -> User:
    user: User = make_user()
    user.time_zone = "Europe/Vienna"
    user.save(update_fields=["time_zone"])
    return user


@pytest.fixture
def api(ann: User) -> Client:
    return api_for(ann)


def post(client: Client, body: Any) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


def patch(client: Client, goal_id: int, body: Any) -> Any:
    return client.patch(f"{URL}/{goal_id}", json.dumps(body), content_type="application/json")


def error(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content[:400]
    body = response.json()["error"]
    assert body["message"]
    if field is not None:
        assert body["field"] == field, body
    return dict(body)


def test_create_list_read_change_delete(api: Client, ann: User) -> None:
    today = dt.date.today()
    activity(ann, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2), distance_m=4_000)
    created = post(
        api,
        {
            "period": "month",
            "metric": "distance",
            "target": 100_000,
            "sport": "running",
            "recurring": True,
            "notify_email": True,
            "name": "100 km a month",
        },
    )
    assert created.status_code == 201, created.content
    goal = created.json()
    assert goal["unit"] == "m"
    assert goal["start_date"] == today.replace(day=1).isoformat() or goal["start_date"] <= (
        today.isoformat()
    )
    progress = goal["progress"]
    assert progress["done"] == 4_000
    assert progress["remaining"] == 96_000
    assert progress["percent"] == 4.0
    assert progress["state"] == "active"

    listed = api.get(URL).json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == goal["id"]

    changed = patch(api, goal["id"], {"target": 2_000, "name": ""})
    assert changed.status_code == 200, changed.content
    assert changed.json()["progress"]["reached"] is True
    assert changed.json()["title"] == "Running · Distance per month"

    history = api.get(f"{URL}/{goal['id']}/progress?periods=3").json()
    assert history["week_starts_on"] == "monday"
    assert history["time_zone"] == "Europe/Vienna"
    assert 1 <= len(history["periods"]) <= 3

    assert api.delete(f"{URL}/{goal['id']}").status_code == 204
    assert api.get(f"{URL}/{goal['id']}").status_code == 404
    assert not Goal.objects.exists()


def test_custom_span(api: Client) -> None:
    response = post(
        api,
        {
            "period": "custom",
            "metric": "time",
            "target": 36_000,
            "start_date": "2025-04-01",
            "end_date": "2025-04-30",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["progress"]["period_first"], body["progress"]["period_last"]) == (
        "2025-04-01",
        "2025-04-30",
    )
    assert body["progress"]["state"] in ("ended", "active", "upcoming")
    # Switching to a month drops the end date.
    switched = patch(api, body["id"], {"period": "month"})
    assert switched.status_code == 200, switched.content
    assert switched.json()["end_date"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "fortnight", "metric": "distance", "target": 1}, "period"),
        ({"period": "week", "metric": "speed", "target": 1}, "metric"),
        ({"period": "week", "metric": "distance", "target": 0}, "target"),
        ({"period": "week", "metric": "distance", "target": -5}, "target"),
        ({"period": "week", "metric": "distance", "target": 1e300}, "target"),
        ({"period": "week", "metric": "count", "target": 2.5}, "target"),
        ({"period": "week", "metric": "distance", "target": "many"}, "target"),
        ({"period": "week", "metric": "distance", "target": 1, "sport": "chess"}, "sport"),
        (
            {"period": "custom", "metric": "distance", "target": 1, "start_date": "2025-01-02"},
            "end_date",
        ),
        (
            {
                "period": "custom",
                "metric": "distance",
                "target": 1,
                "start_date": "2025-01-02",
                "end_date": "2025-01-01",
            },
            "end_date",
        ),
        (
            {
                "period": "custom",
                "metric": "distance",
                "target": 1,
                "start_date": "1900-01-01",
                "end_date": "2025-01-01",
            },
            "start_date",
        ),
        (
            {
                "period": "custom",
                "metric": "distance",
                "target": 1,
                "start_date": "2000-01-01",
                "end_date": "2025-01-01",
            },
            "end_date",
        ),
        (
            {"period": "week", "metric": "distance", "target": 1, "end_date": "2025-01-01"},
            "end_date",
        ),
        (
            {"period": "week", "metric": "distance", "target": 1, "start_date": "yesterday"},
            "start_date",
        ),
        ({"period": "week", "metric": "distance", "target": 1, "owner": 1}, "owner"),
        ({"period": "week", "metric": "distance", "target": 1, "name": "x" * 121}, "name"),
        ({"metric": "distance", "target": 1}, "period"),
    ],
)
def test_bad_input_gets_a_clear_error_naming_the_field(
    api: Client, body: dict[str, Any], field: str
) -> None:
    error(post(api, body), 422, field)
    assert not Goal.objects.exists()


def test_bad_json_and_patch_nulls(api: Client) -> None:
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    goal = post(api, {"period": "week", "metric": "count", "target": 3}).json()
    error(patch(api, goal["id"], {"target": None}), 422, "target")
    error(patch(api, goal["id"], {"metric": "count", "target": 0.5}), 422, "target")
    error(patch(api, goal["id"], {"colour": "red"}), 422, "colour")
    error(api.get(f"{URL}/{goal['id']}/progress?periods=0"), 422, "periods")
    error(api.get(f"{URL}/{goal['id']}/progress?periods=9999"), 422, "periods")


def test_another_persons_goal_answers_404_everywhere(api: Client, make_user: Any) -> None:
    goal = post(api, {"period": "week", "metric": "count", "target": 3}).json()
    other = api_for(make_user())
    for response in (
        other.get(f"{URL}/{goal['id']}"),
        other.get(f"{URL}/{goal['id']}/progress"),
        patch(other, goal["id"], {"target": 1}),
        other.delete(f"{URL}/{goal['id']}"),
        other.get(f"{URL}/999999"),
    ):
        body = error(response, 404)
        assert body["code"] == "not_found"
    assert other.get(URL).json()["count"] == 0
    assert Goal.objects.get(pk=goal["id"]).target == 3


def test_without_credentials_nothing_is_shown(api: Client) -> None:
    post(api, {"period": "week", "metric": "count", "target": 3})
    anonymous = Client()
    assert anonymous.get(URL).status_code == 401
    assert anonymous.post(URL, "{}", content_type="application/json").status_code == 401


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "week",
            "month",
            "year",
            "custom",
            "distance",
            "count",
            "2025-02-30",
            "2025-01-01",
            "9999-12-31",
            "0001-01-01",
            "running",
            "",
        ]
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "period",
                "sport",
                "metric",
                "target",
                "start_date",
                "end_date",
                "recurring",
                "notify_email",
                "other",
            ]
        ),
        _values,
        max_size=9,
    )
)
def test_any_body_gets_a_goal_or_a_clear_4xx(api: Client, body: dict[str, Any]) -> None:
    response = post(api, body)
    assert response.status_code in (201, 400, 422), (body, response.content[:300])
    if response.status_code != 201:
        assert response.json()["error"]["message"]
    else:
        goal = response.json()
        assert 0 < goal["target"] <= 10_000_000
        assert api.get(f"{URL}/{goal['id']}/progress?periods=5").status_code == 200
