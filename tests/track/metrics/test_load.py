"""Training load across activities: CTL/ATL/TSB, period totals, records over time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from imas.track.metrics.load import (
    ActivityTotals,
    DayLoad,
    Effort,
    activity_load,
    daily_load,
    fitness_fatigue_form,
    period_totals,
    records_over_time,
)

D0 = dt.date(2025, 1, 1)


def test_daily_load_fills_rest_days_and_sums_doubles() -> None:
    days, load = daily_load(
        [DayLoad(D0, 50), DayLoad(D0, 30), DayLoad(D0 + dt.timedelta(days=3), 100)]
    )
    assert days[0] == D0
    assert len(days) == 4
    assert load.tolist() == [80, 0, 0, 100]


def test_ctl_atl_tsb_follow_the_recurrence() -> None:
    days, load = daily_load([DayLoad(D0 + dt.timedelta(days=k), 100.0) for k in range(200)])
    s = fitness_fatigue_form(days, load)
    # After one day of 100: CTL = 100/42, ATL = 100/7; TSB on day 2 = CTL1 - ATL1.
    assert s.ctl[0] == pytest.approx(100 / 42)
    assert s.atl[0] == pytest.approx(100 / 7)
    assert s.tsb[0] == 0.0
    assert s.tsb[1] == pytest.approx(100 / 42 - 100 / 7)
    # A constant load is approached by both: ATL much faster than CTL.
    assert s.atl[30] == pytest.approx(100, rel=0.01)
    assert s.ctl[199] == pytest.approx(100 * (1 - (1 - 1 / 42) ** 200))


def test_period_totals_by_iso_week_and_month() -> None:
    acts = [
        ActivityTotals(dt.date(2024, 12, 30), "running", 10000, 3000, 3100, 50, 700, 60),
        ActivityTotals(dt.date(2025, 1, 5), "cycling", 40000, 5000, None, 300, None, 80),
        ActivityTotals(dt.date(2025, 1, 6), "running", 5000, 1500, 1500, None, 350, None),
    ]
    weeks = period_totals(acts, "week")
    # 30 Dec 2024 and 5 Jan 2025 are in ISO week 2025-W01.
    assert [w["period"] for w in weeks] == ["2025-W01", "2025-W02"]
    assert weeks[0]["count"] == 2
    assert weeks[0]["distance_m"] == 50000
    assert weeks[0]["elapsed_s"] == 3100  # the unknown elapsed adds nothing
    months = period_totals(acts, "month", by_sport=True)
    assert [(m["period"], m["sport"]) for m in months] == [
        ("2024-12", "running"),
        ("2025-01", "cycling"),
        ("2025-01", "running"),
    ]
    with pytest.raises(ValueError, match="period"):
        period_totals(acts, "year")


def test_records_over_time_keep_only_improvements() -> None:
    efforts = [
        Effort(D0, "a", "5km", 1500),
        Effort(D0 + dt.timedelta(days=7), "b", "5km", 1520),
        Effort(D0 + dt.timedelta(days=14), "c", "5km", 1450),
        Effort(D0 + dt.timedelta(days=14), "c", "1km", 260),
        Effort(D0 + dt.timedelta(days=20), "d", "5km", float("nan")),
    ]
    history = records_over_time(efforts)
    assert [e.activity_id for e in history["5km"]] == ["a", "c"]
    assert [e.time_s for e in history["1km"]] == [260]


def test_activity_load_prefers_power_then_heart_rate() -> None:
    assert activity_load({"tss": 80.0, "hr_tss": 70.0}) == (80.0, "tss")
    assert activity_load({"tss": None, "hr_tss": 70.0}) == (70.0, "hr_tss")
    assert activity_load({"tss": None, "hr_tss": None, "trimp": None}) == (None, None)


def test_absurd_span_is_refused() -> None:
    with pytest.raises(ValueError, match="longer"):
        daily_load([DayLoad(dt.date(1, 1, 1), 1), DayLoad(dt.date(9999, 1, 1), 1)])
    assert np.array_equal(daily_load([])[1], np.zeros(0))
