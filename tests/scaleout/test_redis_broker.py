"""Background work through Redis, as on many machines: a real `imas worker` subprocess takes an
archive import from a Redis broker and finishes it in the shared database.

The database is the one the activities system tests use (a file-backed SQLite in a temporary
data folder, or a fresh PostgreSQL database when DATABASE_URL points at one). Redis is the
server at 127.0.0.1:6379, database 13, which this test empties before and after itself and
no other test uses.
"""

from __future__ import annotations

import base64
import hashlib
import json
import signal
import time
from pathlib import Path

import pytest
import redis

from tests.activities.files import gpx_run, zip_of
from tests.activities.system import Platform, imas, kill_group, start_worker
from tests.scaleout.conftest import REDIS_URL

QUEUE = "celery"  # Celery's default queue: a Redis list of that name
FILES = 8
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def _queued_job_ids(client: redis.Redis) -> list[int]:
    """The job ids in the import messages waiting in the queue (kombu's JSON envelope)."""
    ids = []
    for raw in client.lrange(QUEUE, 0, -1):
        message = json.loads(raw)
        assert message["headers"]["task"] == "activities.import_job_run"
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        ids.append(int(args[0]))
    return ids


def test_a_worker_on_redis_imports_an_archive_into_the_shared_database(
    platform: Platform, redis_db: redis.Redis, tmp_path: Path
) -> None:
    env = platform.env | {"REDIS_URL": REDIS_URL}
    query = platform.query
    files = {
        f"ride{k}.gpx": gpx_run(900, seed=200 + k, start=1_719_792_000 + k * 86_400.0)
        for k in range(FILES)
    }
    archive = tmp_path / "watch-export.zip"
    archive.write_bytes(zip_of(files))
    before = query("SELECT COUNT(*) FROM activities_activity")[0][0]

    # Queued from a separate process, as a web machine does when someone uploads an archive.
    job_id = int(
        imas(
            env,
            "shell",
            "-c",
            "from imas.accounts.selectors import user_by_email\n"
            "from imas.activities.imports import import_job_create_archive\n"
            f"data = open({str(archive)!r}, 'rb').read()\n"
            f"job = import_job_create_archive(owner=user_by_email({platform.email!r}), "
            "data=data, filename='watch-export.zip')\n"
            "print(job.pk)",
        ).split()[-1]
    )
    # The message waits in Redis (our database number), nowhere else, until a worker takes it.
    assert _queued_job_ids(redis_db) == [job_id]
    assert query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0] == "queued"

    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        deadline = time.monotonic() + 150  # a guard against hanging, not a speed requirement
        while query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0] not in {
            "done",
            "failed",
        }:
            assert worker.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
    finally:
        kill_group(worker, signal.SIGTERM)

    assert query("SELECT status FROM activities_importjob WHERE id = %s", job_id)[0][0] == "done"
    items = query(
        "SELECT i.status, a.original_sha256 FROM activities_importitem i "
        "JOIN activities_activity a ON a.id = i.activity_id WHERE i.job_id = %s",
        job_id,
    )
    assert [status for status, _ in items] == ["created"] * FILES
    assert {sha for _, sha in items} == {hashlib.sha256(d).hexdigest() for d in files.values()}
    assert query("SELECT COUNT(*) FROM activities_activity")[0][0] == before + FILES
    # The embedded SQLite broker was never used: Redis carried the work.
    assert not (platform.folder / "var" / "broker.sqlite3").exists()
    assert redis_db.exists(f"_kombu.binding.{QUEUE}")  # the worker bound its queue in db 13
