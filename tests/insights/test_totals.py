"""Totals by local period and sport, and fitness/fatigue/form: the database's answer (live from
the activities, and from the daily totals cache) against the core's pure functions applied to
every activity in Python. Runs on whichever database DATABASE_URL names (SQLite by default;
PostgreSQL in CI), so both are checked by the same assertions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.goals.periods import zone_of
from imas.insights import selectors
from imas.insights.services import daily_totals_rebuild
from imas.track.metrics import load as lm
from tests.insights.conftest import random_history

pytestmark = pytest.mark.django_db
MEASURES = ("count", "distance_m", "moving_s", "ascent_m", "calories_kcal", "load")


def reference(
    owner: User, period: str, first: dt.date, last: dt.date
) -> dict[tuple[str, str], dict[str, Any]]:
    """The naive way: every activity in Python, local day by zoneinfo, summed by the core."""
    zone = zone_of(owner.time_zone)
    items = []
    for a in Activity.objects.filter(owner=owner):
        day = a.start_time.astimezone(zone).date()
        if first <= day <= last:
            items.append(
                lm.ActivityTotals(
                    day,
                    a.sport,
                    a.distance_m,
                    a.moving_s if a.moving_s is not None else a.elapsed_s,
                    a.elapsed_s,
                    a.ascent_m,
                    a.calories_kcal,
                    a.tss if a.tss is not None else a.trimp,
                )
            )
    return {(r["period"], r["sport"]): r for r in lm.period_totals(items, period, by_sport=True)}


def key(period: str, day: dt.date) -> str:
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def assert_same(
    rows: list[dict[str, Any]], expected: dict[tuple[str, str], dict[str, Any]], period: str
) -> None:
    got = {(key(period, r["period"]), r["sport"]): r for r in rows}
    assert set(got) == set(expected)
    for k, row in got.items():
        for m in MEASURES:
            assert row[m] == pytest.approx(expected[k][m], rel=1e-9, abs=1e-6), (k, m)


ZONES = ["Europe/Vienna", "America/Los_Angeles", "Australia/Sydney", "Asia/Kathmandu", "UTC"]


@pytest.mark.parametrize("zone", ZONES)
def test_weekly_and_monthly_totals_match_the_core_on_every_path(
    person: Callable[..., User], zone: str
) -> None:
    owner = person(zone)
    other = person("UTC")
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    random_history(owner, seed=len(zone), n=160, first=start, days=500)
    random_history(other, seed=99, n=20, first=start, days=500)  # never counted for owner
    first, last = dt.date(2024, 1, 1), dt.date(2025, 5, 14)
    daily_totals_rebuild(owner_id=owner.pk)
    for period in ("week", "month"):
        expected = reference(
            owner,
            period,
            selectors.period_start(period, first),
            selectors.period_start(period, last) + dt.timedelta(days=40),
        )
        expected = {k: v for k, v in expected.items() if k[0] <= key(period, last)}
        for source in ("live", "cached"):
            # The long range takes the database's local-date path (over 40 periods)...
            rows = selectors.totals_by_period(
                owner=owner, period=period, first=first, last=last, source=source
            )
            assert_same(rows, expected, period)
        # ...a short range the CASE over period edges; both agree with the core.
        short_first = dt.date(2025, 2, 1)
        short = selectors.totals_by_period(
            owner=owner, period=period, first=short_first, last=last, source="live"
        )
        begin = selectors.period_start(period, short_first)
        assert_same(
            short, {k: v for k, v in expected.items() if k[0] >= key(period, begin)}, period
        )


def test_yearly_totals_and_period_series(person: Callable[..., User]) -> None:
    owner = person("Pacific/Auckland")
    random_history(owner, seed=5, n=120, first=dt.datetime(2021, 6, 1, tzinfo=dt.UTC), days=1300)
    daily_totals_rebuild(owner_id=owner.pk)
    zone = zone_of(owner.time_zone)
    by_year: dict[int, float] = {}
    for a in Activity.objects.filter(owner=owner):
        year = a.start_time.astimezone(zone).year
        by_year[year] = by_year.get(year, 0.0) + (a.distance_m or 0.0)
    for source in ("live", "cached"):
        rows = selectors.totals_by_period(
            owner=owner,
            period="year",
            first=dt.date(2021, 1, 1),
            last=dt.date(2024, 12, 31),
            source=source,
        )
        series = selectors.period_series(rows, "year", dt.date(2021, 1, 1), dt.date(2024, 12, 31))
        assert series["labels"] == ["2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]
        summed = [sum(s["distance_m"][i] for s in series["sports"].values()) for i in range(4)]
        assert summed == pytest.approx([by_year.get(y, 0.0) for y in (2021, 2022, 2023, 2024)])


def test_fitness_fatigue_form_match_the_core(person: Callable[..., User]) -> None:
    owner = person("America/New_York")
    random_history(owner, seed=11, n=150, first=dt.datetime(2024, 3, 1, tzinfo=dt.UTC), days=420)
    first, last = dt.date(2025, 1, 1), dt.date(2025, 4, 20)
    zone = zone_of(owner.time_zone)
    loads = [
        lm.DayLoad(a.start_time.astimezone(zone).date(), a.tss if a.tss is not None else a.trimp)
        for a in Activity.objects.filter(owner=owner)
        if a.tss is not None or a.trimp is not None
    ]
    warm = first - dt.timedelta(days=selectors.LOAD_WARMUP_DAYS)
    days, load = lm.daily_load([x for x in loads if warm <= x.day <= last], warm, last)
    expected = lm.fitness_fatigue_form(days, load)
    skip = (first - warm).days
    daily_totals_rebuild(owner_id=owner.pk)
    for source in ("live", "cached"):
        got = selectors.load_series(owner=owner, first=first, last=last, source=source)
        assert got["days"][0] == "2025-01-01"
        assert got["days"][-1] == "2025-04-20"
        assert np.allclose(got["ctl"], expected.ctl[skip:], atol=0.006)
        assert np.allclose(got["atl"], expected.atl[skip:], atol=0.006)
        assert np.allclose(got["tsb"], expected.tsb[skip:], atol=0.006)
        assert np.allclose(got["load"], expected.load[skip:], atol=0.006)


def test_a_load_series_is_bounded(person: Callable[..., User]) -> None:
    owner = person()
    with pytest.raises(ValueError, match="at most"):
        selectors.load_series(owner=owner, first=dt.date(2000, 1, 1), last=dt.date(2025, 1, 1))
    with pytest.raises(ValueError, match="before"):
        selectors.load_series(owner=owner, first=dt.date(2025, 1, 2), last=dt.date(2025, 1, 1))


def test_an_activity_at_2330_local_on_sunday_is_in_that_week(person: Callable[..., User]) -> None:
    owner = person("Europe/Vienna")
    from tests.goals.helpers import activity, local

    activity(owner, local("Europe/Vienna", 2025, 3, 30, 23, 30), distance_m=1000)
    activity(owner, local("Europe/Vienna", 2025, 3, 31, 0, 0), distance_m=2000)
    daily_totals_rebuild(owner_id=owner.pk)
    for source in ("live", "cached"):
        rows = selectors.totals_by_period(
            owner=owner,
            period="week",
            first=dt.date(2025, 3, 24),
            last=dt.date(2025, 4, 6),
            source=source,
        )
        assert [(r["period"], r["distance_m"]) for r in rows] == [
            (dt.date(2025, 3, 24), 1000.0),
            (dt.date(2025, 3, 31), 2000.0),
        ]


def test_longest_streak_and_year_review(person: Callable[..., User]) -> None:
    owner = person("Europe/Vienna")
    from tests.goals.helpers import activity, local

    for day in (3, 4, 5, 6, 9, 10):
        activity(owner, local("Europe/Vienna", 2025, 6, day, 23, 50), distance_m=day * 1000.0)
    activity(owner, local("Europe/Vienna", 2025, 7, 1, 7, 0), distance_m=42_195, ascent_m=800)
    activity(owner, local("Europe/Vienna", 2026, 1, 1, 0, 10), distance_m=99_000)  # next year
    review = selectors.year_review(owner=owner, year=2025)
    assert review["totals"]["count"] == 7
    assert review["totals"]["active_days"] == 7
    assert review["longest_streak"] == {
        "days": 4,
        "first": dt.date(2025, 6, 3),
        "last": dt.date(2025, 6, 6),
    }
    assert review["longest"]["distance_m"] == 42_195
    assert review["biggest_climb"]["ascent_m"] == 800
    assert review["best_week"]["first"] == dt.date(2025, 6, 2)  # four runs of 50 minutes
    assert review["best_week"]["count"] == 4
    assert selectors.years_with_activities(owner=owner) == [2026, 2025]


def test_months_over_many_years_take_the_local_date_path_and_still_agree(
    person: Callable[..., User],
) -> None:
    owner = person("America/Sao_Paulo")  # had daylight saving until 2019
    random_history(owner, seed=8, n=140, first=dt.datetime(2016, 1, 1, tzinfo=dt.UTC), days=1800)
    first, last = dt.date(2016, 1, 1), dt.date(2020, 12, 31)  # 60 months: over FEW_BUCKETS
    expected = reference(owner, "month", first, last)
    daily_totals_rebuild(owner_id=owner.pk)
    for source in ("live", "cached"):
        rows = selectors.totals_by_period(
            owner=owner, period="month", first=first, last=last, source=source
        )
        assert_same(rows, expected, "month")


@pytest.mark.parametrize("zone", ["Europe/London", "America/Santiago", "Asia/Tehran", "UTC"])
def test_the_database_finds_every_local_day_week_month_and_year(
    person: Callable[..., User], zone: str
) -> None:
    from imas.insights.localtime import local_date, local_period

    owner = person(zone)
    random_history(owner, seed=3, n=80, first=dt.datetime(2014, 1, 1, tzinfo=dt.UTC), days=3000)
    tz = zone_of(zone)
    starts = dt.datetime(2013, 12, 1, tzinfo=dt.UTC)
    ends = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    qs = Activity.objects.filter(owner=owner)
    for period in ("day", "week", "month", "year"):
        rows = qs.annotate(local=local_period(period, tz, starts, ends)).values_list(
            "start_time", "local"
        )
        for start, value in rows:
            day = start.astimezone(tz).date()
            expected = selectors.period_start(period, day)
            assert local_date(value) == expected, (period, start, value)
