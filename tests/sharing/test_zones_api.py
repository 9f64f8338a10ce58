"""GET/POST/DELETE /api/v1/privacy/zones: the answers give back what the person drew and
never the hidden circle; bad input gets a clear 422 naming the field."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from django.test import Client

from imas.accounts.models import User
from imas.sharing.models import PrivacyZone
from imas.sharing.services import ZONES_PER_PERSON, privacy_zone_create
from imas.track.privacy import distance_to
from tests.sharing.conftest import HOME, bearer

URL = "/api/v1/privacy/zones"


def _post(user: User, body: object) -> Any:
    return bearer(user).post(URL, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_a_zone_is_created_listed_and_deleted_without_its_secret(alice: User, bob: User) -> None:
    response = _post(alice, {"lat": HOME[0], "lon": HOME[1], "radius_m": 250, "name": "Home"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "lat", "lon", "radius_m", "created_at"}
    assert (body["lat"], body["lon"], body["radius_m"]) == (HOME[0], HOME[1], 250.0)
    zone = PrivacyZone.objects.get(pk=body["id"])
    # The hidden circle exists, differs from the drawn one, and appears in no answer.
    assert (zone.hidden_lat, zone.hidden_lon) != (zone.lat, zone.lon)
    listing = bearer(alice).get(URL)
    text = listing.content.decode()
    for secret in (zone.hidden_lat, zone.hidden_lon, zone.hidden_radius_m):
        assert repr(secret)[:9] not in text
    assert [z["id"] for z in listing.json()] == [zone.pk]
    assert bearer(bob).get(URL).json() == []
    # Someone else's zone answers like a missing one.
    assert bearer(bob).delete(f"{URL}/{zone.pk}").status_code == 404
    assert bearer(alice).delete(f"{URL}/{zone.pk}").status_code == 204
    assert bearer(alice).delete(f"{URL}/{zone.pk}").status_code == 404


@pytest.mark.django_db
def test_the_hidden_circle_is_drawn_once_and_covers_the_asked_circle(alice: User) -> None:
    zones = [
        privacy_zone_create(owner=alice, lat=HOME[0], lon=HOME[1], radius_m=200)
        for _ in range(ZONES_PER_PERSON)
    ]
    offsets = []
    for zone in zones:
        offset = float(
            distance_to(
                np.array([zone.lat]), np.array([zone.lon]), zone.hidden_lat, zone.hidden_lon
            )[0]
        )
        offsets.append(offset)
        assert 0.55 * 200 - 0.5 <= offset <= 0.75 * 200 + 0.5
        assert zone.hidden_radius_m >= 200 + offset
        assert zone.hidden_radius_m <= 200 + offset + 0.25 * 200 + 1e-6
    # Each zone has its own draw (the system's random source, not a fixed seed).
    assert len({round(o, 3) for o in offsets}) == len(offsets)
    before = PrivacyZone.objects.values_list("hidden_lat", "hidden_lon", "hidden_radius_m")
    bearer(alice).get(URL)
    assert list(before) == list(
        PrivacyZone.objects.values_list("hidden_lat", "hidden_lon", "hidden_radius_m")
    )
    too_many = _post(alice, {"lat": HOME[0], "lon": HOME[1], "radius_m": 200})
    assert too_many.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lat": 91, "lon": 16, "radius_m": 200}, "lat"),
        ({"lat": 48, "lon": -180.5, "radius_m": 200}, "lon"),
        ({"lat": 48, "lon": 16, "radius_m": 10}, "radius_m"),
        ({"lat": 48, "lon": 16, "radius_m": 1e9}, "radius_m"),
        ({"lat": 48, "lon": 16, "radius_m": "wide"}, "radius_m"),
        ({"lat": 48, "lon": 16}, "radius_m"),
        ({"lat": 48, "lon": 16, "radius_m": 200, "hidden_lat": 1}, "hidden_lat"),
        ({"lat": 48, "lon": 16, "radius_m": 200, "name": "x" * 81}, "name"),
    ],
)
def test_bad_zones_are_refused_naming_the_field(
    alice: User, body: dict[str, Any], field: str
) -> None:
    response = _post(alice, body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert not PrivacyZone.objects.exists()


@pytest.mark.django_db
def test_non_finite_numbers_and_garbage_bodies_get_a_clear_error(alice: User) -> None:
    api = bearer(alice)
    nan = api.post(URL, '{"lat": NaN, "lon": 16, "radius_m": 200}', content_type="application/json")
    assert nan.status_code in (400, 422)
    assert "error" in nan.json()
    garbage = api.post(URL, b"\xff\xfe{", content_type="application/json")
    assert garbage.status_code == 400
    assert "error" in garbage.json()
    assert not PrivacyZone.objects.exists()


@pytest.mark.django_db
def test_zones_need_signing_in(client: Client) -> None:
    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, content_type="application/json").status_code in (401, 403)
