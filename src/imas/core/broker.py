"""The embedded Celery broker: a SQLite file in the data folder, tuned for many small writes.

Every upload enqueues a few follow-up tasks (segment matching, goals, daily totals). In SQLite's
default rollback-journal mode each enqueue costs a full fsync (about 20 ms here); in WAL mode
with synchronous=NORMAL it costs about 3 ms. NORMAL may lose the last few messages on power
loss (never corrupt the file): acceptable because job state lives in our own rows and a
sweeper re-queues what a lost message left behind, and derived data (segments, goals) is
rebuilt by periodic back-fills.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path


def sqlite_broker_connector(path: Path) -> Callable[[], sqlite3.Connection]:
    """A `creator` for SQLAlchemy's create_engine (kombu passes transport options through)."""

    def connect() -> sqlite3.Connection:
        # The pool hands connections between the worker's threads.
        connection = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    return connect
