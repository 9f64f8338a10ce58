"""A web machine as README's "Scaling out" sets one up: `imas serve --no-worker` in production
mode behind a TLS-terminating load balancer, on the shared database and Redis.

The load balancer probes GET /health/ over plain http: 200 while the machine reaches the
database, 503 when it does not; every other plain-http request is sent to https.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import uuid
from pathlib import Path

import pytest
import redis

from tests.activities.files import gpx_run
from tests.activities.system import ROOT, Platform, free_port, kill_group, start_server
from tests.scaleout.conftest import REDIS_URL

HOST = "imas.example.org"
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def _production(env: dict[str, str]) -> dict[str, str]:
    return env | {
        "IMAS_PRODUCTION": "1",
        "IMAS_SECRET_KEY": "scale-out-test-" + "k" * 50,
        "IMAS_ALLOWED_HOSTS": HOST,
        "IMAS_TRUST_X_FORWARDED_PROTO": "1",
        "REDIS_URL": REDIS_URL,
    }


def _request(
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


def _multipart(data: bytes, filename: str) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", body


def test_a_web_machine_behind_a_load_balancer(
    platform: Platform, redis_db: redis.Redis, tmp_path: Path
) -> None:
    port = free_port()
    server = start_server(_production(platform.env), port, tmp_path / "web.log")
    try:
        # The probe: plain http, answered in place rather than redirected.
        status, _headers, body = _request(port, "GET", "/health/")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        # Everything else over plain http goes to https ...
        status, headers, _body = _request(port, "GET", "/")
        assert status == 301
        assert headers["Location"] == f"https://{HOST}/"
        # ... and arrives over https through the balancer, which says so in X-Forwarded-Proto.
        kind, form = _multipart(gpx_run(600, seed=31), "lunch.gpx")
        status, headers, body = _request(
            port,
            "POST",
            "/api/v1/activities",
            headers={
                "X-Forwarded-Proto": "https",
                "Authorization": f"Bearer {platform.token}",
                "Content-Type": kind,
            },
            body=form,
        )
        assert status == 201, body[:300]
        assert "Strict-Transport-Security" in headers
        activity_id = json.loads(body)["id"]
        # A probe that names a host IMAS does not serve is refused, as any such request.
        status, _headers, _body = _request(port, "GET", "/health/", headers={"Host": "10.0.0.5"})
        assert status == 400
    finally:
        kill_group(server, signal.SIGTERM)
    rows = platform.query("SELECT name FROM activities_activity WHERE id = %s", activity_id)
    assert len(rows) == 1  # written to the shared database


def test_the_probe_says_503_when_the_database_is_out_of_reach(tmp_path: Path) -> None:
    """Pointed at a PostgreSQL port where nothing listens, the machine must leave the pool."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMAS_", "DATABASE_URL"))}
    env |= {
        "IMAS_DATA_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "imas.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/imas",
    }
    env = _production(env)
    env.pop("REDIS_URL")  # no Redis needed to show the database check
    port = free_port()
    server = start_server(env, port, tmp_path / "web.log")
    try:
        status, _headers, body = _request(port, "GET", "/health/")
    finally:
        kill_group(server, signal.SIGTERM)
    assert status == 503
    assert json.loads(body) == {"status": "database unavailable"}
