"""Fixtures for the segments tests: people, their uploads, API clients."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from imas.accounts.models import User
from imas.accounts.services import token_create
from imas.activities.models import Activity
from imas.activities.services import activity_update, activity_upload


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user(name="Alice")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user(name="Bob")


@pytest.fixture
def upload(django_capture_on_commit_callbacks: Any) -> Callable[..., Activity]:
    """Upload a file as the person would; the after-commit events (matching, records) run."""

    def do(owner: User, data: bytes, *, visibility: str | None = None, **kw: Any) -> Activity:
        with django_capture_on_commit_callbacks(execute=True):
            activity, _created = activity_upload(owner=owner, data=data, **kw)
        if visibility:
            with django_capture_on_commit_callbacks(execute=True):
                activity_update(activity=activity, visibility=visibility)
        return activity

    return do


def bearer(user: User) -> Client:
    _row, secret = token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
