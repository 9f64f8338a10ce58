"""IMAS as it runs in production, in subprocesses: `imas serve`, `imas worker` (Celery on the
embedded SQLite broker, or Redis when REDIS_URL is set), a SQLite database in a temporary
IMAS_DATA_DIR or a fresh PostgreSQL database when the suite runs on PostgreSQL.

The test settings (crash_settings.py) only shorten the import lease, so the second worker
need not wait a minute for a killed one's lease to run out.
"""

from __future__ import annotations

import http.client
import json
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.activities.files import gpx_run, zip_of
from tests.activities.system import (
    Platform,
    free_port,
    imas,
    kill_group,
    start_server,
    start_worker,
)

SENDERS = 6
FILES = 30
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def _post(port: int, token: str, data: bytes) -> tuple[int, dict[str, Any]]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="same.gpx"\r\n'
            "Content-Type: application/gpx+xml\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            "/api/v1/activities",
            body=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_simultaneous_uploads_of_one_file_make_one_activity(
    platform: Platform, tmp_path: Path
) -> None:
    """The same file sent by the same person several times at once makes one activity:
    requests released together from threads, against the real server and database."""
    env, query, token = platform.env, platform.query, platform.token
    before = query("SELECT COUNT(*) FROM activities_activity")[0][0]
    port = free_port()
    server = start_server(env, port, tmp_path / "server.log")
    data = gpx_run(3600)
    gate = threading.Barrier(SENDERS)
    answers: list[tuple[int, dict[str, Any]]] = []
    lock = threading.Lock()

    def send() -> None:
        gate.wait()
        answer = _post(port, token, data)
        with lock:
            answers.append(answer)

    try:
        threads = [threading.Thread(target=send) for _ in range(SENDERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        kill_group(server, signal.SIGTERM)

    statuses = sorted(status for status, _ in answers)
    assert len(answers) == SENDERS
    assert statuses.count(201) == 1, answers
    assert statuses.count(200) == SENDERS - 1, answers
    assert len({body["id"] for _, body in answers}) == 1
    assert query("SELECT COUNT(*) FROM activities_activity")[0][0] == before + 1
    assert query("SELECT COUNT(*) FROM activities_activitystreams")[0][0] == before + 1


def test_killed_worker_then_restarted_imports_every_file_exactly_once(
    platform: Platform, tmp_path: Path
) -> None:
    """A real Celery worker is killed (SIGKILL) in the middle of an archive import; another
    worker started afterwards finishes the job, and every file is imported exactly once."""
    env, query = platform.env, platform.query
    before = query("SELECT COUNT(*) FROM activities_activity")[0][0]
    archive = tmp_path / "export.zip"
    archive.write_bytes(
        zip_of(
            {
                f"run{k:02d}.gpx": gpx_run(1200, seed=k, start=1_717_228_800 + k * 86_400.0)
                for k in range(FILES)
            }
        )
    )
    job_id = int(
        imas(
            env,
            "shell",
            "-c",
            "from imas.accounts.selectors import user_by_email\n"
            "from imas.activities.imports import import_job_create_archive\n"
            f"data = open({str(archive)!r}, 'rb').read()\n"
            "job = import_job_create_archive(owner=user_by_email('system@example.org'), "
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
    first = start_worker(env, log)
    try:
        deadline = time.monotonic() + 120
        while processed() < 5:
            assert first.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the first worker never got going"
            time.sleep(0.02)
    finally:
        kill_group(first, signal.SIGKILL)
    done_by_first = processed()
    assert 5 <= done_by_first < FILES, "the kill must land in the middle of the job"
    status = query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0]
    assert status == "running"

    second = start_worker(env, log)
    try:
        deadline = time.monotonic() + 150
        while (
            query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0] != "done"
        ):
            assert second.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
    finally:
        kill_group(second, signal.SIGTERM)

    items = query("SELECT status, activity_id FROM activities_importitem WHERE job_id = %s", job_id)
    assert len(items) == FILES
    assert {status for status, _ in items} == {"created"}  # none 'duplicate': none ran twice
    assert len({activity for _, activity in items}) == FILES
    assert query("SELECT COUNT(*) FROM activities_activity")[0][0] == before + FILES
    distinct = "SELECT COUNT(DISTINCT original_sha256) FROM activities_activity"
    assert query(distinct)[0][0] == before + FILES
    assert query("SELECT COUNT(*) FROM activities_activitystreams")[0][0] == before + FILES
    attempts = query("SELECT attempts FROM activities_importjob WHERE id = %s", job_id)[0][0]
    assert attempts >= 2
