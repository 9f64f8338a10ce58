"""Fixtures for the privacy tests: people with activities, API clients, the mail folder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from imas.accounts.services import token_create
from tests.support.sessions import second_factor_used


def bearer(user: Any) -> Client:
    _row, secret = token_create(user=user, name="privacy tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def upload(db: None) -> Callable[..., Any]:
    from imas.activities.services import activity_upload
    from tests.activities.files import gpx_run

    def do(user: Any, *, seed: int = 1, seconds: int = 900) -> Any:
        activity, created = activity_upload(
            owner=user, data=gpx_run(seconds, seed=seed), filename=f"run{seed}.gpx"
        )
        assert created
        return activity

    return do


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what waits for the commit (tasks, events): `with commits(execute=True): ...`."""
    return django_capture_on_commit_callbacks


def staff_client(user: Any) -> Client:
    """A staff member signed in with their second factor in this session (what the admin
    requires; the real sign-in with TOTP is tested in tests/core/test_admin_mfa.py)."""
    user.is_staff = user.is_superuser = True
    user.save()
    client = signed_in(user)
    second_factor_used(client, user)
    return client
