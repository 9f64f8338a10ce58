"""The commands of `make run` and the production check, run as real processes."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from imas.accounts.models import User
from imas.accounts.selectors import user_email_verified


def imas(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imas.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def sqlite_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IMAS_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update({"IMAS_DATA_DIR": str(data_dir), **extra})
    return env


@pytest.mark.django_db
def test_demo_command_creates_a_working_account() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    password = re.search(r"password: (\S+)", out.getvalue())
    assert password is not None
    user = User.objects.get(email="demo@example.com")
    assert user_email_verified(user)
    client = Client()
    client.post("/accounts/login/", {"login": "demo@example.com", "password": password.group(1)})
    assert client.session["_auth_user_id"] == str(user.pk)
    # A second run keeps the one account and gives it a fresh password.
    again = StringIO()
    call_command("demo", stdout=again)
    second = re.search(r"password: (\S+)", again.getvalue())
    assert second is not None
    assert second.group(1) != password.group(1)
    assert User.objects.filter(email="demo@example.com").count() == 1


def test_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    env = sqlite_env(
        tmp_path,
        IMAS_PRODUCTION="1",
        IMAS_SECRET_KEY=secrets.token_urlsafe(64),
        IMAS_ALLOWED_HOSTS="imas.example.org",
    )
    result = imas(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_with_development_settings(tmp_path: Path) -> None:
    result = imas(["check", "--deploy", "--fail-level", "WARNING"], sqlite_env(tmp_path))
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[Any], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("imas serve exited early")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310  (our own local server)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.slow
def test_make_run_serves_home_page_and_demo_login(tmp_path: Path) -> None:
    """What `make run` does: migrate, demo, serve (web + worker); then sign in over HTTP."""
    env = sqlite_env(tmp_path)
    migrated = imas(["migrate", "--no-input"], env)
    assert migrated.returncode == 0, migrated.stderr
    demo = imas(["demo"], env)
    password = re.search(r"password: (\S+)", demo.stdout)
    assert password is not None, demo.stdout + demo.stderr
    port = _free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "imas.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/", server)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        home = opener.open(base + "/").read().decode()
        assert "self-hosted fitness platform" in home
        login_page = opener.open(base + "/accounts/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
        assert csrf is not None
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "login": "demo@example.com",
                "password": password.group(1),
            }
        ).encode()
        signed_in = opener.open(base + "/accounts/login/", data=form).read().decode()
        assert "Welcome back, Demo Runner" in signed_in
        assert opener.open(base + "/static/imas/imas.css").status == 200
        # The background worker runs beside the web server and connects to the embedded broker.
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    output = log_path.read_text()
    assert server.returncode == 0, output
    assert "ready." in output, output
    assert "broker.sqlite3" in output, output
    assert (tmp_path / "broker.sqlite3").exists()
    # WAL is a property of the database file, so it shows after the server has stopped.
    with sqlite3.connect(tmp_path / "imas.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
