"""The same file sent by the same person several times at the same moment makes one activity.

Real server (`imas serve`, several threads), real database (SQLite in WAL mode or PostgreSQL),
requests released together from threads.
"""

from __future__ import annotations

import http.client
import json
import signal
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.activities.files import gpx_run
from tests.activities.system import Query, free_port, imas, kill_group, start_server

SENDERS = 6
pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


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
    platform: tuple[dict[str, str], Query], tmp_path: Path
) -> None:
    env, query = platform
    imas(env, "migrate", "--no-input", "-v", "0")
    imas(
        env, "user", "create", "--email", "same@example.org", "--password",
        "a long enough passphrase 42", "--name", "Same", "--verified",
    )  # fmt: skip
    token = imas(env, "token", "create", "--email", "same@example.org").split()[-1]
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
    assert query("SELECT COUNT(*) FROM activities_activity")[0][0] == 1
    assert query("SELECT COUNT(*) FROM activities_activitystreams")[0][0] == 1
