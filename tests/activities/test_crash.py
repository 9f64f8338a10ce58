"""A real Celery worker is killed (SIGKILL) in the middle of an archive import; another worker
started afterwards finishes the job, and every file is imported exactly once.

Everything runs as it does in production, in subprocesses: `imas migrate`, `imas user create`,
`imas worker` on the embedded SQLite broker (or Redis when REDIS_URL is set), against a SQLite
database in a temporary IMAS_DATA_DIR, or a fresh PostgreSQL database when the suite runs on
PostgreSQL. The test settings only shorten the import lease so the second worker need not
wait a minute for the dead one's lease to run out.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.activities.files import gpx_run, zip_of

ROOT = Path(__file__).resolve().parents[2]
FILES = 40
pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def _imas(env: dict[str, str], *args: str) -> str:
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


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
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


def _kill_group(process: subprocess.Popen[bytes], sig: int) -> None:
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


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[dict[str, str], Query]]:
    """An environment for the subprocesses and a way to query their database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL"))}
    env |= {
        "IMAS_DATA_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "tests.activities.crash_settings",
        "PYTHONPATH": str(ROOT),
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    if request.param == "sqlite":
        database = tmp_path / "var" / "imas.sqlite3"

        def query_sqlite(sql: str, *params: Any) -> list[tuple[Any, ...]]:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=20) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()

        yield env, query_sqlite
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the suite runs on SQLite (set DATABASE_URL to a PostgreSQL server)")
    import psycopg

    name = f"imas_crash_{uuid.uuid4().hex[:10]}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name

    def query_postgres(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]

    try:
        yield env, query_postgres
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_killed_worker_then_restarted_imports_every_file_exactly_once(
    platform: tuple[dict[str, str], Query], tmp_path: Path
) -> None:
    env, query = platform
    _imas(env, "migrate", "--no-input", "-v", "0")
    _imas(
        env, "user", "create", "--email", "crash@example.org", "--password",
        "a long enough passphrase 42", "--name", "Crash", "--verified",
    )  # fmt: skip
    archive = tmp_path / "export.zip"
    archive.write_bytes(
        zip_of(
            {
                f"run{k:02d}.gpx": gpx_run(1800, seed=k, start=1_717_228_800 + k * 86_400.0)
                for k in range(FILES)
            }
        )
    )
    job_id = int(
        _imas(
            env,
            "shell",
            "-c",
            "from imas.accounts.selectors import user_by_email\n"
            "from imas.activities.imports import import_job_create_archive\n"
            f"data = open({str(archive)!r}, 'rb').read()\n"
            "job = import_job_create_archive(owner=user_by_email('crash@example.org'), "
            "data=data, filename='export.zip')\n"
            "print(job.pk)",
        ).split()[-1]
    )

    def processed() -> int:
        rows = query(
            "SELECT COUNT(*) FROM activities_importitem WHERE job_id = %s AND status <> 'pending'",
            job_id,
        )
        return int(rows[0][0])

    log = tmp_path / "worker.log"
    first = _start_worker(env, log)
    try:
        deadline = time.monotonic() + 120
        while processed() < 5:
            assert first.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the first worker never got going"
            time.sleep(0.02)
    finally:
        _kill_group(first, signal.SIGKILL)
    done_by_first = processed()
    assert 5 <= done_by_first < FILES, "the kill must land in the middle of the job"
    status = query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0]
    assert status == "running"

    second = _start_worker(env, log)
    try:
        deadline = time.monotonic() + 150
        while (
            query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0] != "done"
        ):
            assert second.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
    finally:
        _kill_group(second, signal.SIGTERM)

    items = query("SELECT status, activity_id FROM activities_importitem WHERE job_id = %s", job_id)
    assert len(items) == FILES
    assert {status for status, _ in items} == {"created"}  # none 'duplicate': none ran twice
    assert len({activity for _, activity in items}) == FILES
    assert query("SELECT COUNT(*) FROM activities_activity")[0][0] == FILES
    assert query("SELECT COUNT(DISTINCT original_sha256) FROM activities_activity")[0][0] == FILES
    assert query("SELECT COUNT(*) FROM activities_activitystreams")[0][0] == FILES
    attempts = query("SELECT attempts FROM activities_importjob WHERE id = %s", job_id)[0][0]
    assert attempts >= 2
