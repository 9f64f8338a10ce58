"""The embedded broker: messages go through kombu's SQLAlchemy transport into a WAL-mode file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from kombu import Connection

from imas.core.broker import sqlite_broker_connector


def test_messages_round_trip_through_a_wal_mode_sqlite_broker(tmp_path: Path) -> None:
    path = tmp_path / "broker.sqlite3"
    options = {"creator": sqlite_broker_connector(path)}
    with Connection(f"sqla+sqlite:///{path}", transport_options=options) as conn:
        queue = conn.SimpleQueue("imas-test")
        queue.put({"activity_id": 42})
        message = queue.get(timeout=5)
        assert message.payload == {"activity_id": 42}
        message.ack()
        queue.close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_settings_use_the_tuned_broker_when_no_redis_is_configured() -> None:
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("REDIS_URL is set: the embedded broker is not in use")
    creator = settings.CELERY_BROKER_TRANSPORT_OPTIONS["creator"]
    connection = creator()
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()
