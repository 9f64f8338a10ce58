"""Fixtures for the sharing tests: people, API clients, and activities recorded as GPX files
along straight lines from a home near Vienna (tests/segments/routes.py draws them)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.activities.services import activity_update, activity_upload

# The segments tests' people, storage folder and token client serve here too.
from tests.segments.conftest import alice, bearer, bob, media_root  # noqa: F401
from tests.segments.routes import LAT0, LON0, M_LAT, M_LON, START, path, recording

# The browser fixtures test_zones_browser.py uses.
from tests.support.browser import browser_context, tile_server  # noqa: F401

HOME = (LAT0, LON0)


@pytest.fixture
def carol(make_user: Callable[..., User]) -> User:
    return make_user(name="Carol")


def metres(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions as metres east and north of HOME (the same flat projection as the routes)."""
    return (np.asarray(lon) - LON0) * M_LON, (np.asarray(lat) - LAT0) * M_LAT


def from_home(bearing_deg: float, length_m: float = 900.0, bend_m: float = 300.0) -> bytes:
    """A run that starts at HOME, goes straight out along the bearing, then turns right."""
    b = math.radians(bearing_deg)
    ux, uy = math.sin(b), math.cos(b)
    out = (length_m * ux, length_m * uy)
    turn = (out[0] + bend_m * uy, out[1] - bend_m * ux)
    x, y = path((0.0, 0.0), out, turn, step=4.0)
    return recording(x, y, speed=4.0, start=START + bearing_deg * 3600.0)


@pytest.fixture
def upload(django_capture_on_commit_callbacks: Any) -> Callable[..., Activity]:
    """Upload a file as the person would (after-commit events run), then set its visibility."""

    def do(owner: User, data: bytes, *, visibility: str = "private") -> Activity:
        with django_capture_on_commit_callbacks(execute=True):
            activity, _created = activity_upload(owner=owner, data=data)
            activity_update(activity=activity, visibility=visibility)
        return activity

    return do
