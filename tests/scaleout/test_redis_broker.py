"""Machines sharing Redis, as README's "Scaling out" sets them up: a production web machine
(`imas serve --no-worker` behind a TLS-terminating load balancer) takes an archive upload and
queues its import in Redis; a separate `imas worker` process takes it from there and imports
every file into the shared database; the person watches the job through the web machine.

The database is the one the activities system tests use (a file-backed SQLite in a temporary
data folder, or a fresh PostgreSQL database when DATABASE_URL points at one). Redis is the
server at 127.0.0.1:6379, database 13 only (see conftest.py).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import signal
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.activities.files import gpx_run, zip_of
from tests.activities.system import Platform, free_port, kill_group, start_server, start_worker
from tests.scaleout.conftest import REDIS_URL

HOST = "imas.example.org"  # the public name, in IMAS_ALLOWED_HOSTS
QUEUE = "celery"  # Celery's default queue: a Redis list of that name
FILES = 8
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def production(env: dict[str, str]) -> dict[str, str]:
    """The variables every machine of a scaled-out installation shares (README)."""
    return env | {
        "IMAS_PRODUCTION": "1",
        "IMAS_SECRET_KEY": "scale-out-test-" + "k" * 50,
        "IMAS_ALLOWED_HOSTS": HOST,
        "IMAS_TRUST_X_FORWARDED_PROTO": "1",
        "REDIS_URL": REDIS_URL,
    }


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def via_balancer(token: str, **headers: str) -> dict[str, str]:
    """What the load balancer adds to a request that reached it over https."""
    return {"X-Forwarded-Proto": "https", "Authorization": f"Bearer {token}", **headers}


def multipart(data: bytes, filename: str) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", body


def queued_job_ids(client: redis.Redis) -> list[int]:
    """The job ids in the import messages waiting in the queue (kombu's JSON envelope)."""
    ids = []
    for raw in client.lrange(QUEUE, 0, -1):
        message = json.loads(raw)
        assert message["headers"]["task"] == "activities.import_job_run"
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        ids.append(int(args[0]))
    return ids


def test_a_web_machine_queues_in_redis_and_a_worker_machine_imports(
    platform: Platform, redis_db: redis.Redis, tmp_path: Path
) -> None:
    env = production(platform.env)
    files = {
        f"ride{k}.gpx": gpx_run(900, seed=200 + k, start=1_719_792_000 + k * 86_400.0)
        for k in range(FILES)
    }
    before = platform.query("SELECT COUNT(*) FROM activities_activity")[0][0]
    port = free_port()
    web = start_server(env, port, tmp_path / "web.log")
    try:
        # The load balancer's probe: plain http, answered in place rather than redirected.
        status, _headers, body = request(port, "GET", "/health/")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        # Any other plain-http request is sent to https ...
        status, headers, _body = request(port, "GET", "/")
        assert (status, headers["Location"]) == (301, f"https://{HOST}/")
        # ... and a request under a name IMAS does not serve is refused, probe or not.
        status, _headers, _body = request(port, "GET", "/health/", headers={"Host": "10.0.0.5"})
        assert status == 400

        kind, form = multipart(zip_of(files), "watch-export.zip")
        status, headers, body = request(
            port,
            "POST",
            "/api/v1/imports",
            headers=via_balancer(platform.token, **{"Content-Type": kind}),
            body=form,
        )
        assert status == 202, body[:300]
        assert "Strict-Transport-Security" in headers  # it knew the request came over https
        job_id = int(json.loads(body)["id"])
        # The message waits in Redis (our database number) until a worker machine takes it.
        assert queued_job_ids(redis_db) == [job_id]

        def job() -> dict[str, Any]:
            status, _headers, body = request(
                port, "GET", f"/api/v1/imports/{job_id}", headers=via_balancer(platform.token)
            )
            assert status == 200, body[:300]
            answer: dict[str, Any] = json.loads(body)
            return answer

        assert job()["status"] == "queued"
        log = tmp_path / "worker.log"
        worker = start_worker(env, log)
        try:
            deadline = time.monotonic() + 150  # a guard against hanging, not a speed limit
            while (seen := job())["status"] not in {"done", "failed"}:
                assert worker.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
        finally:
            kill_group(worker, signal.SIGTERM)
    finally:
        kill_group(web, signal.SIGTERM)

    assert seen["status"] == "done", seen
    assert seen["counts"]["created"] == FILES
    assert sorted(item["name"] for item in seen["items"]) == sorted(files)
    shas = platform.query(
        "SELECT a.original_sha256 FROM activities_importitem i "
        "JOIN activities_activity a ON a.id = i.activity_id WHERE i.job_id = %s",
        job_id,
    )
    assert {sha for (sha,) in shas} == {hashlib.sha256(d).hexdigest() for d in files.values()}
    assert platform.query("SELECT COUNT(*) FROM activities_activity")[0][0] == before + FILES
    # The embedded SQLite broker was never used: Redis carried the work.
    assert not (platform.folder / "var" / "broker.sqlite3").exists()
    assert redis_db.exists(f"_kombu.binding.{QUEUE}")  # the worker bound its queue in db 13
