"""Fixtures for the activities tests: people with tokens, an API client, a storage folder."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from imas.accounts.models import User
from imas.accounts.services import token_create, user_create

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Every test stores originals in its own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(*, verified: bool = True, consents: tuple[str, ...] = (), **profile: Any) -> User:
        n = next(_numbers)
        return user_create(
            email=f"runner{n}@example.org",
            password="a long enough passphrase 42",
            name=f"Runner {n}",
            verified=verified,
            consents=consents,
            **profile,
        )

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user()


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user()


def bearer_client(user: User) -> Client:
    _row, secret = token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def alice_api(alice: User) -> Client:
    return bearer_client(alice)


@pytest.fixture
def bob_api(bob: User) -> Client:
    return bearer_client(bob)


from tests.activities.system import platform  # noqa: E402, F401  (fixture for system tests)
