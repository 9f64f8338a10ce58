"""Helpers for tests that run IMAS as it runs in production: commands in subprocesses.

`platform` gives an environment for `python -m imas.cli ...` with its own IMAS_DATA_DIR and
database (SQLite in the data folder, or a fresh PostgreSQL database when the suite runs on
PostgreSQL), and a function that queries that database directly.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imas(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "imas.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"imas {args[0]} failed: {done.stderr[-2000:]}"
    return done.stdout


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A session of its own, so the worker and its pool children can be killed as one group.
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "imas.cli", "worker", "--concurrency", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_group(process: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


Query = Callable[..., list[tuple[Any, ...]]]  # (sql with %s placeholders, *params)


EMAIL = "system@example.org"


@dataclass
class Platform:
    """A migrated IMAS (database + data folder) with one verified person and their token."""

    env: dict[str, str]  # for `python -m imas.cli ...` subprocesses
    query: Query  # straight into that database
    folder: Path
    token: str
    email: str = EMAIL


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    """Set up once per module and database kind; the tests share it."""
    folder = tmp_path_factory.mktemp(f"platform-{request.param}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env |= {
        "IMAS_DATA_DIR": str(folder / "var"),
        "DJANGO_SETTINGS_MODULE": "tests.activities.crash_settings",
        "PYTHONPATH": str(ROOT),
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    drop: Callable[[], None] | None = None
    if request.param == "sqlite":
        database = folder / "var" / "imas.sqlite3"

        def query(sql: str, *params: Any) -> list[tuple[Any, ...]]:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=20) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()

    else:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            pytest.skip("the suite runs on SQLite (set DATABASE_URL to a PostgreSQL server)")
        import psycopg

        name = f"imas_system_{uuid.uuid4().hex[:10]}"
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name

        def query(sql: str, *params: Any) -> list[tuple[Any, ...]]:
            with psycopg.connect(env["DATABASE_URL"]) as conn:
                return conn.execute(sql, params).fetchall()

        def drop() -> None:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        imas(env, "migrate", "--no-input", "-v", "0")
        imas(
            env, "user", "create", "--email", EMAIL, "--password",
            "a long enough passphrase 42", "--name", "System", "--verified",
        )  # fmt: skip
        token = imas(env, "token", "create", "--email", EMAIL).split()[-1]
        yield Platform(env=env, query=query, folder=folder, token=token)
    finally:
        if drop is not None:
            drop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """`imas serve --no-worker` on 127.0.0.1:port, once it accepts connections."""
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "imas.cli", "serve", "--no-worker", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    kill_group(server, signal.SIGKILL)
    raise AssertionError("the server did not start")
