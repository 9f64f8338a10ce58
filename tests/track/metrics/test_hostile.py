"""analyze() never crashes, hangs or invents numbers, whatever a Track holds."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imas.track import Lap, PoolLength, Profile, StrengthSet, TimerEvent, Track, analyze
from imas.track.track import STREAMS, SessionTotals
from tests.support.contract import CONTRACT_KEYS

BODY = Profile(sex="female", weight_kg=60, max_hr=190, resting_hr=50, ftp_w=200)


def _json(track: Track, profile: Profile | None = None) -> dict[str, object]:
    out = analyze(track, profile).as_dict()
    text = json.dumps(out, allow_nan=False)  # NaN or inf anywhere would fail here
    assert set(CONTRACT_KEYS) <= set(out)
    parsed: dict[str, object] = json.loads(text)
    return parsed


def test_empty_and_single_point_tracks() -> None:
    for n in (0, 1):
        out = _json(Track.from_streams("fit", n, time=np.full(n, 1.7e9)), BODY)
        assert out["points"] == n
        assert out["distance_m"] is None
        assert out["moving_s"] is None


def test_unknown_values_are_null_not_zero() -> None:
    n = 600
    track = Track.from_streams("fit", n, time=1.7e9 + np.arange(n), hr=np.full(n, 140.0))
    out = _json(track)
    for key in ("distance_m", "ascent_m", "descent_m", "avg_speed_mps", "max_speed_mps"):
        assert out[key] is None, key
    for key in ("avg_cadence", "avg_power_w", "normalized_power_w", "calories_kcal", "trimp"):
        assert out[key] is None, key
    assert str(out["calories_method"]).startswith("unknown: needs weight_kg")
    assert out["avg_hr"] == 140.0
    assert out["elapsed_s"] == 599.0


def test_hostile_values_everywhere() -> None:
    n = 50
    bad = np.array([np.nan, np.inf, -np.inf, 1e308, -1e308, 0.0, -1.0, 5e9, 1e-320, 42.0])
    streams = {name: np.resize(bad, n) for name in STREAMS}
    track = Track.from_streams(
        "fit",
        n,
        **streams,
        events=[TimerEvent(float("nan"), "stop"), TimerEvent(1e308, "start")],
        laps=[Lap(start_time=float("nan")), Lap(start_time=1e300, elapsed_s=-5.0)],
        lengths=[PoolLength(1e308, None, None, None, None, True)],
        sets=[StrengthSet(0.0, None, 10**9, 1e308, True)],
        session=SessionTotals(start_time=float("inf"), calories_kcal=float("nan")),
    )
    _json(track, BODY)


def test_time_running_backwards_and_duplicated() -> None:
    n = 300
    t = 1.7e9 + np.concatenate((np.arange(150)[::-1], np.full(150, 10.0)))
    lat = 46.0 + np.arange(n) * 1e-5
    out = _json(Track.from_streams("gpx", n, time=t, lat=lat, lon=np.full(n, 14.0)))
    assert out["elapsed_s"] == 149.0


def test_a_far_away_time_does_not_blow_up_memory_or_time() -> None:
    n = 1000
    t = 1.7e9 + np.arange(n, dtype=float)
    t[-400:] += 1e12  # 40 % of the records dated 30,000 years later
    power = np.full(n, 200.0)
    dist = np.cumsum(np.full(n, 1e300))  # overflows to inf
    out = _json(Track.from_streams("fit", n, time=t, power=power, dist=dist), BODY)
    assert out["points"] == n


@pytest.mark.parametrize(
    "times",
    [[0.0, 1e12], [1.7e9, 1.7e9 + 1e12, 1.7e9 - 1e12], [1e308, -1e308, 0.0], [5.0, 5.0, 5.0]],
)
def test_absurd_timestamps(times: list[float]) -> None:
    n = len(times)
    track = Track.from_streams(
        "fit",
        n,
        time=np.array(times),
        lat=np.full(n, 46.0),
        lon=np.full(n, 14.0),
        hr=np.full(n, 120.0),
        power=np.full(n, 200.0),
    )
    _json(track, BODY)


def test_invalid_profiles_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="weight_kg"):
        Profile(weight_kg=-70)
    with pytest.raises(ValueError, match="sex"):
        Profile(sex="robot")
    with pytest.raises(ValueError, match="resting_hr"):
        Profile(max_hr=150, resting_hr=160)
    with pytest.raises(ValueError, match="max_hr"):
        Profile(max_hr=math.nan)


finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=120),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    specials=st.lists(finite_or_not, min_size=1, max_size=8),
    sport=st.sampled_from(["running", "cycling", "swimming", "walking", "training", "???"]),
    ordered=st.booleans(),
)
def test_random_tracks_give_a_summary(
    n: int, seed: int, specials: list[float], sport: str, ordered: bool
) -> None:
    rng = np.random.default_rng(seed)
    streams = {}
    for name in STREAMS:
        values = rng.normal(0, 10 ** rng.uniform(-2, 6), n)
        if name == "time":
            values = 1.6e9 + (np.cumsum(np.abs(values)) if ordered else values)
        hit = rng.random(n) < 0.2
        values[hit] = rng.choice(np.array(specials), int(hit.sum()))
        streams[name] = values
    track = Track.from_streams("fit", n, sport=sport, **streams)
    _json(track, BODY)


any_float = st.floats(allow_nan=True, allow_infinity=True)
maybe_float = st.none() | any_float
maybe_int = st.none() | st.integers(min_value=-(2**40), max_value=2**40)


@settings(max_examples=40, deadline=None)
@given(
    events=st.lists(
        st.builds(TimerEvent, any_float, st.sampled_from(["start", "stop"])), max_size=20
    ),
    laps=st.lists(st.builds(Lap, any_float, maybe_float, maybe_float, maybe_float), max_size=10),
    lengths=st.lists(
        st.builds(
            PoolLength, any_float, maybe_float, maybe_float, maybe_int, st.none(), st.booleans()
        ),
        max_size=30,
    ),
    sets=st.lists(
        st.builds(StrengthSet, any_float, maybe_float, maybe_int, maybe_float, st.booleans()),
        max_size=10,
    ),
    pool=maybe_float,
)
def test_random_events_laps_lengths_and_sets(
    events: list[TimerEvent],
    laps: list[Lap],
    lengths: list[PoolLength],
    sets: list[StrengthSet],
    pool: float | None,
) -> None:
    n = 200
    track = Track.from_streams(
        "fit",
        n,
        time=1.7e9 + np.arange(n, dtype=float),
        hr=np.full(n, 120.0),
        dist=np.arange(n, dtype=float) * 2.0,
        sport="swimming",
        events=events,
        laps=laps,
        lengths=lengths,
        sets=sets,
        session=SessionTotals(start_time=1.7e9, pool_length_m=pool),
    )
    out = _json(track, BODY)
    for key in ("distance_m", "moving_s", "elapsed_s", "timer_s"):
        value = out[key]
        assert value is None or value >= 0, key  # type: ignore[operator]
    swim = out.get("swim")
    if isinstance(swim, dict):
        for key in ("distance_m", "swim_time_s", "strokes", "avg_swolf"):
            assert swim.get(key) is None or swim[key] >= 0, key
    gym = out.get("strength")
    if isinstance(gym, dict):
        for key in ("repetitions", "volume_kg", "set_time_s"):
            assert gym[key] is None or gym[key] >= 0, key
