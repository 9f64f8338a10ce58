"""A web machine that cannot reach the database must leave the load balancer's pool: its
GET /health/ answers 503. (The healthy machine, its probe and its https redirect are in
test_redis_broker.py, which runs a whole web + worker setup on one prepared database.)"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from tests.activities.system import ROOT, free_port, kill_group, start_server
from tests.scaleout.test_redis_broker import production, request

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def test_the_probe_says_503_when_the_database_is_out_of_reach(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMAS_", "DATABASE_URL"))}
    env |= {
        "IMAS_DATA_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "imas.settings",
        "PYTHONPATH": str(ROOT),
        # A PostgreSQL address where nothing listens.
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/imas",
    }
    env = production(env)
    env.pop("REDIS_URL")  # the probe checks the database only
    port = free_port()
    server = start_server(env, port, tmp_path / "web.log")
    try:
        status, _headers, body = request(port, "GET", "/health/")
    finally:
        kill_group(server, signal.SIGTERM)
    assert status == 503
    assert json.loads(body) == {"status": "database unavailable"}
