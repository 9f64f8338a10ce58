"""The dashboard with 10,000 activities for one person: our page and API against a naive
baseline that loads every activity into Python per request, in one run.

    .venv/bin/python bench/bench_dashboard.py            # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imas_bench \\
        .venv/bin/python bench/bench_dashboard.py

Prints the median of each (after warm-up), the ratio baseline/ours, and whether ours is under
the 200 ms floor the issue sets. The PostgreSQL database named in DATABASE_URL is dropped and
created again (use a throwaway name).
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

ACTIVITIES = 10_000
RUNS = 15
FLOOR_MS = 200.0


def _setup() -> None:
    data = Path(tempfile.mkdtemp(prefix="imas-bench-dashboard-"))
    atexit.register(shutil.rmtree, data, True)
    os.environ["IMAS_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imas.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

        atexit.register(drop)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate() -> Any:
    from imas.accounts.services import user_create
    from imas.activities.models import Activity
    from imas.goals.services import goal_create

    user = user_create(
        email="bench@example.org",
        password="a long enough passphrase 42",  # noqa: S106  (a throwaway bench account)
        name="Bench",
        verified=True,
        consents=(),
    )
    user.time_zone = "Europe/Vienna"
    user.save(update_fields=["time_zone"])
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    sports = ["running"] * 5 + ["cycling"] * 3 + ["walking", "swimming", "hiking", "gym"]
    rows = []
    for i in range(ACTIVITIES):
        # About three activities a day going back nine years.
        start = now - dt.timedelta(minutes=rng.randint(0, 9 * 365 * 24 * 60))
        sport = rng.choice(sports)
        km = rng.uniform(3, 60 if sport == "cycling" else 21)
        speed = rng.uniform(2.5, 4.5) if sport != "cycling" else rng.uniform(6, 10)
        rows.append(
            Activity(
                owner=user,
                name=f"Activity {i}",
                sport=sport,
                start_time=start,
                elapsed_s=km * 1000 / speed * 1.05,
                moving_s=km * 1000 / speed,
                distance_m=km * 1000,
                ascent_m=rng.uniform(0, 600),
                avg_speed_mps=speed,
                avg_hr=rng.uniform(120, 165),
                calories_kcal=km * 60,
                trimp=rng.uniform(20, 200),
                tss=rng.choice([None, rng.uniform(30, 150)]),
                analysis={"bench": True, "splits": [{"km": k, "s": 300} for k in range(20)]},
            )
        )
    Activity.objects.bulk_create(
        rows, batch_size=1000
    )  # no events: build the cache as after an import
    from imas.insights.services import daily_totals_rebuild

    t0 = time.perf_counter()
    daily_totals_rebuild(owner_id=user.pk)
    print(f"daily totals cache rebuilt in {(time.perf_counter() - t0) * 1000:.0f} ms")
    today = dt.date.today()
    goal_create(
        owner=user,
        period="week",
        metric="distance",
        target=50_000,
        recurring=True,
        start_date=today,
    )
    goal_create(
        owner=user,
        period="month",
        metric="time",
        target=40 * 3600,
        sport="running",
        start_date=today,
    )
    goal_create(owner=user, period="year", metric="count", target=400, start_date=today)
    return user


def _baseline(user: Any) -> dict[str, Any]:
    """The naive way: every activity of the person loaded, then summed in Python with the
    same pure functions of imas.track.metrics.load."""
    from imas.activities.models import Activity
    from imas.goals.periods import zone_of
    from imas.track.metrics import load as lm

    zone = zone_of(user.time_zone)
    items = []
    loads = []
    for a in Activity.objects.filter(owner=user):
        day = a.start_time.astimezone(zone).date()
        items.append(
            lm.ActivityTotals(
                day,
                a.sport,
                a.distance_m,
                a.moving_s,
                a.elapsed_s,
                a.ascent_m,
                a.calories_kcal,
                a.tss if a.tss is not None else a.trimp,
            )
        )
        if a.tss is not None or a.trimp is not None:
            loads.append(lm.DayLoad(day, a.tss if a.tss is not None else (a.trimp or 0.0)))
    weekly = lm.period_totals(items, "week", by_sport=True)
    monthly = lm.period_totals(items, "month", by_sport=True)
    days, load = lm.daily_load(loads)
    series = lm.fitness_fatigue_form(days, load)
    return {"weekly": weekly, "monthly": monthly, "ctl": series.ctl[-180:]}


def _median_ms(fn: Callable[[], Any], runs: int = RUNS) -> float:
    fn()  # warm caches, as a second page view would find them
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    _setup()
    from django.test import Client

    from imas.insights.dashboard import dashboard_data

    user = _populate()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def page() -> None:
        response = client.get("/dashboard/")
        assert response.status_code == 200, response.status_code

    def api() -> None:
        response = client.get("/api/v1/trends")
        assert response.status_code == 200, response.content[:200]

    def selector() -> None:
        dashboard_data(owner=user)

    def baseline() -> None:
        _baseline(user)

    from django.db import connection

    print(
        f"database: {connection.vendor}; {ACTIVITIES} activities for one person; median of {RUNS}"
    )
    ours_page = _median_ms(page)
    ours_api = _median_ms(api)
    ours_data = _median_ms(selector)
    # The same data straight from the activities (a new account, or a changed time zone,
    # before its daily totals are rebuilt).
    from imas.insights.models import TotalsState

    state = TotalsState.objects.get(owner=user)
    TotalsState.objects.filter(owner=user).delete()
    ours_live = _median_ms(selector, runs=7)
    TotalsState.objects.create(owner=user, time_zone=state.time_zone, built_at=state.built_at)
    base = _median_ms(baseline, runs=5)
    for label, ours in (
        ("page /dashboard/", ours_page),
        ("API /api/v1/trends", ours_api),
        ("dashboard_data()", ours_data),
        ("  same, no daily cache", ours_live),
    ):
        verdict = "ok" if ours < FLOOR_MS else "OVER"
        print(
            f"{label:22s} ours {ours:7.1f} ms   naive baseline {base:7.1f} ms   "
            f"ratio {base / ours:5.1f}x   floor {FLOOR_MS:.0f} ms: {verdict}"
        )
    return 0 if max(ours_page, ours_api) < FLOOR_MS else 1


if __name__ == "__main__":
    sys.exit(main())
