"""Fixtures for the scale-out tests: two people, a Redis database of our own, and the
subprocess platform of the activities system tests (a migrated IMAS in its own data folder,
on SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from tests.activities.system import platform  # noqa: F401  (fixture for the subprocess tests)

# Database 13 of the Redis at 127.0.0.1:6379 belongs to these tests: they empty it before and
# after themselves, and touch no other database number.
REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def alice(make_user: Callable[..., Any]) -> Any:
    return make_user()


@pytest.fixture
def bob(make_user: Callable[..., Any]) -> Any:
    return make_user()
