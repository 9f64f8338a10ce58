"""The activity list with 10,000 activities of one person, through the real HTTP server.

`GET /api/v1/activities` (first page, a filtered page, a deep page) and the list page
`/activities/` are timed end to end (`imas serve --no-worker`: waitress, SQLite), median of 30.
Target: under 100 ms (issue 5). The baseline in the same run is the naive way to list: the
same first page read with every column (the detailed analysis JSON included) and each
activity's streams blob loaded, as a list that draws routes from streams would.

Run: .venv/bin/python bench/bench_activity_list.py
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_upload import free_port, imas, wait_for  # noqa: E402

ACTIVITIES = 10_000
REPEATS = 30
TARGET_MS = 100.0

# Runs inside `imas shell`: one real 3-hour activity, cloned (with its analysis JSON and route
# preview) into 10,000 rows over ten years; a session for the page; the naive baseline.
SEED = """
import datetime as dt, json, secrets, sys, time
sys.path.insert(0, {root!r})
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from imas.accounts.selectors import user_by_email
from imas.activities.models import Activity, ActivityStreams
from imas.activities.services import activity_upload
from imas.activities.selectors import activity_streams
from tests.activities.files import gpx_run

owner = user_by_email("list@example.org")
template, _ = activity_upload(owner=owner, data=gpx_run(3 * 3600))
blob = ActivityStreams.objects.get(activity=template)
sports = ["running", "running", "cycling", "walking", "hiking", "swimming", "gym"]
rows = []
for k in range({count} - 1):
    clone = Activity(**{{f.attname: getattr(template, f.attname)
                       for f in Activity._meta.concrete_fields if f.attname != "id"}})
    clone.start_time = template.start_time - dt.timedelta(hours=9 * (k + 1))
    clone.sport = sports[k % len(sports)]
    clone.name = f"Activity {{k}} " + ("Prater loop" if k % 50 == 0 else "easy")
    clone.original_sha256 = secrets.token_hex(32)
    rows.append(clone)
created = Activity.objects.bulk_create(rows, batch_size=500)
ActivityStreams.objects.bulk_create(
    [ActivityStreams(activity=a, data=blob.data, names=blob.names, points=blob.points)
     for a in created], batch_size=200)

session = SessionStore()
session[SESSION_KEY] = str(owner.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
session.create()

def naive_first_page():
    page = list(Activity.objects.filter(owner=owner).order_by("-start_time")[:50])
    return [(a.analysis, activity_streams(a)) for a in page]
naive_first_page()
times = []
for _ in range(10):
    started = time.perf_counter(); naive_first_page()
    times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({{"session": session.session_key, "naive_ms": times[len(times) // 2],
                  "count": Activity.objects.filter(owner=owner).count()}}))
"""


def timed_get(port: int, path: str, headers: dict[str, str]) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}: {body[:300]!r}")
    return elapsed


def main() -> int:
    import json

    with tempfile.TemporaryDirectory(prefix="imas-bench-") as tmp:
        # The embedded platform (SQLite, local files, SQLite broker) unless REDIS_URL is given.
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env |= {"IMAS_DATA_DIR": str(Path(tmp) / "var"), "DJANGO_SETTINGS_MODULE": "imas.settings"}
        env.setdefault("IMAS_LOG_LEVEL", "WARNING")
        imas(env, "migrate", "--no-input", "-v", "0")
        imas(
            env, "user", "create", "--email", "list@example.org", "--password",
            "a long enough passphrase 42", "--name", "List", "--verified",
        )  # fmt: skip
        token = imas(env, "token", "create", "--email", "list@example.org").split()[-1]
        seeded = json.loads(
            imas(env, "shell", "-c", SEED.format(root=str(ROOT), count=ACTIVITIES)).splitlines()[-1]
        )
        if seeded["count"] != ACTIVITIES:
            raise SystemExit(f"seeded {seeded['count']} activities, expected {ACTIVITIES}")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "imas.cli", "serve", "--no-worker", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        bearer = {"Authorization": f"Bearer {token}"}
        browser = {"Cookie": f"sessionid={seeded['session']}"}
        cases = [
            ("API first page (50)", "/api/v1/activities", bearer),
            (
                "API filtered (sport, dates, search)",
                "/api/v1/activities?sport=running&date_from=2015-01-01&date_to=2024-12-31&q=prater",
                bearer,
            ),
            ("API page 150 (deep)", "/api/v1/activities?page=150", bearer),
            ("list page /activities/", "/activities/", browser),
        ]
        results: list[tuple[str, float]] = []
        try:
            wait_for(port, server)
            for label, path, headers in cases:
                timed_get(port, path, headers)  # warm-up
                results.append(
                    (
                        label,
                        statistics.median(timed_get(port, path, headers) for _ in range(REPEATS)),
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"activity list, {ACTIVITIES:,} activities of one person, median of {REPEATS}")
    for label, ms in results:
        verdict = "met" if ms < TARGET_MS else "NOT met"
        print(f"  {label:38s} {ms:7.1f} ms  (target < {TARGET_MS:.0f} ms: {verdict})")
    naive = float(seeded["naive_ms"])
    first = results[0][1]
    print(f"  baseline: naive first page (all columns + streams), in process: {naive:7.1f} ms")
    print(f"  ratio baseline / API first page over HTTP: {naive / first:5.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
