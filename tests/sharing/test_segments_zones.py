"""Segment leaderboards and efforts honour privacy zones and visibility: someone whose zone a
segment runs through is left out of what others see of it; they still see themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.segments.models import Segment
from imas.segments.services import segment_create_from_gpx
from tests.segments.routes import path, route_gpx
from tests.sharing.conftest import HOME, bearer, from_home


@pytest.fixture
def home_street(bob: User, django_capture_on_commit_callbacks: Any) -> Segment:
    """Bob's shared segment: the street from Alice's home 600 m east."""
    x, y = path((0.0, 0.0), (600.0, 0.0), step=10.0)
    with django_capture_on_commit_callbacks(execute=True):
        return segment_create_from_gpx(
            owner=bob,
            data=route_gpx(x, y),
            name="Home street",
            sport="running",
            visibility="shared",
        )


def _leaders(client: Client, segment: Segment) -> list[str]:
    response = client.get(f"/api/v1/segments/{segment.pk}")
    assert response.status_code == 200, response.content[:200]
    return [row["athlete"] for row in response.json()["leaderboard"]]


def _efforts(client: Client, activity: Activity) -> list[str]:
    response = client.get(f"/api/v1/segments/activities/{activity.pk}/efforts")
    assert response.status_code == 200, response.content[:200]
    return [row["segment_name"] for row in response.json()]


@pytest.mark.django_db
def test_a_zone_on_the_segment_takes_its_owner_off_what_others_see(
    alice: User, carol: User, home_street: Segment, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(90.0), visibility="public")  # east along the street
    carol_api, alice_api = bearer(carol), bearer(alice)
    assert _leaders(carol_api, home_street) == ["Alice"]
    assert _efforts(carol_api, run) == ["Home street"]

    created = alice_api.post(
        "/api/v1/privacy/zones",
        {"lat": HOME[0], "lon": HOME[1], "radius_m": 200},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert _leaders(carol_api, home_street) == []
    assert _efforts(carol_api, run) == []
    assert _leaders(alice_api, home_street) == ["Alice"]
    assert _efforts(alice_api, run) == ["Home street"]


@pytest.mark.django_db
def test_leaderboards_follow_visibility(
    alice: User, carol: User, home_street: Segment, upload: Callable[..., Activity]
) -> None:
    upload(alice, from_home(90.0), visibility="followers")
    assert _leaders(bearer(carol), home_street) == []
    bearer(carol).post(f"/api/v1/people/{alice.pk}/follow")
    assert _leaders(bearer(carol), home_street) == []  # not approved yet
    bearer(alice).post(f"/api/v1/followers/{carol.pk}/approve")
    assert _leaders(bearer(carol), home_street) == ["Alice"]


@pytest.mark.django_db
def test_an_effort_in_the_hidden_first_metres_is_not_shown_to_others(
    alice: User, carol: User, home_street: Segment, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, from_home(90.0), visibility="public")  # the street starts at home
    bearer(alice).patch(
        "/api/v1/privacy/sharing", {"hide_ends_m": 150}, content_type="application/json"
    )
    assert _leaders(bearer(carol), home_street) == []
    assert _efforts(bearer(carol), run) == []
    assert _leaders(bearer(alice), home_street) == ["Alice"]
    bearer(alice).patch(
        "/api/v1/privacy/sharing", {"hide_ends_m": 0}, content_type="application/json"
    )
    assert _leaders(bearer(carol), home_street) == ["Alice"]
