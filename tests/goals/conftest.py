from __future__ import annotations

from collections.abc import Callable

import pytest

from imas.accounts.models import User


@pytest.fixture
def person(make_user: Callable[..., User]) -> Callable[..., User]:
    """A person in a given time zone (and units)."""

    def make(zone: str = "Europe/Vienna", units: str = "metric") -> User:
        user = make_user()
        user.time_zone = zone
        user.units = units
        user.save(update_fields=["time_zone", "units"])
        return user

    return make


@pytest.fixture
def vienna(person: Callable[..., User]) -> User:
    return person("Europe/Vienna")
