"""Fixtures for the privacy tests: people with activities, API clients, the mail folder."""

from __future__ import annotations

from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from imas.accounts.services import token_create


def bearer(user: Any) -> Client:
    _row, secret = token_create(user=user, name="privacy tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mails(data_dir: Path) -> list[Message]:
    """Every email written by the file backend, oldest first."""
    found: list[Message] = []
    for path in sorted((data_dir / "mail").glob("*.log"), key=lambda p: p.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(message_from_bytes(chunk))
    return found


def mail_body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


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
