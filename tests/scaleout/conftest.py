"""Fixtures for the scale-out tests: two people, and the subprocess platform of the activities
system tests (a migrated IMAS in its own data folder, on SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.activities.system import platform  # noqa: F401  (fixture for the worker test)


@pytest.fixture
def alice(make_user: Callable[..., Any]) -> Any:
    return make_user()


@pytest.fixture
def bob(make_user: Callable[..., Any]) -> Any:
    return make_user()
