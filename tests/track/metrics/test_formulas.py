"""Each formula against worked values from its paper (or computed by hand from it)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from imas.track.metrics import energy, heart, pace, power
from imas.track.metrics.best_efforts import best_effort, vdot
from imas.track.metrics.distance import geodesic_pairs
from imas.track.metrics.elevation import hysteresis_gain


def _steady(value: float, seconds: int) -> tuple[np.ndarray, np.ndarray]:
    """A per-sample stream held at `value` for `seconds` 1 s intervals."""
    return np.full(seconds + 1, value), np.ones(seconds)


def test_keytel_worked_example_35_year_old_man() -> None:
    # Keytel et al. 2005: 35 years, 75 kg, 150 bpm for 30 min -> about 441 kcal.
    hr, dt_ = _steady(150.0, 30 * 60)
    kcal = energy.keytel_kcal(hr, dt_, age=35, weight_kg=75, sex="male")
    assert kcal == pytest.approx(441.0, abs=1.0)


def test_keytel_female_coefficients() -> None:
    # (-20.4022 + 0.4472*140 - 0.1263*60 + 0.074*30) kJ/min * 60 min / 4.184
    hr, dt_ = _steady(140.0, 3600)
    expected = (-20.4022 + 0.4472 * 140 - 0.1263 * 60 + 0.074 * 30) * 60 / 4.184
    assert energy.keytel_kcal(hr, dt_, 30, 60, "female") == pytest.approx(expected)
    assert expected == pytest.approx(528.4, abs=0.1)


def test_keytel_never_negative_at_rest() -> None:
    hr, dt_ = _steady(40.0, 600)
    assert energy.keytel_kcal(hr, dt_, 20, 50, "female") == 0.0


def test_tanaka_max_hr() -> None:
    # Tanaka 2001: 208 - 0.7 x age; a 40-year-old: 180.
    assert heart.tanaka_max_hr(40) == pytest.approx(180.0)
    basis = heart.heart_basis(None, None, dt.date(1985, 6, 15), dt.date(2025, 6, 14))
    assert basis.max_hr == pytest.approx(208 - 0.7 * 39)  # the day before the 40th birthday
    assert basis.max_hr_source == "tanaka_2001"


def test_age_uses_the_given_date_not_a_clock() -> None:
    assert heart.age_years(dt.date(2000, 2, 29), dt.date(2021, 2, 28)) == 20
    assert heart.age_years(dt.date(2000, 2, 29), dt.date(2021, 3, 1)) == 21


def test_banister_trimp_male_and_female() -> None:
    # 30 min at HRr = 0.5 (rest 60, max 180, HR 120):
    # male 30 * 0.5 * 0.64 * e^(0.96) = 25.07; female 30 * 0.5 * 0.86 * e^(0.835) = 29.73.
    hr, dt_ = _steady(120.0, 1800)
    male = heart.banister_trimp(hr, dt_, 180, 60, "male")
    female = heart.banister_trimp(hr, dt_, 180, 60, "female")
    assert male == pytest.approx(30 * 0.5 * 0.64 * np.exp(1.92 * 0.5))
    assert male == pytest.approx(25.07, abs=0.01)
    assert female == pytest.approx(29.73, abs=0.01)


def test_hr_tss_one_hour_at_threshold_is_100() -> None:
    hr, dt_ = _steady(165.0, 3600)
    trimp = heart.banister_trimp(hr, dt_, 190, 50, "male")
    assert heart.hr_tss(trimp, 190, 50, "male", lthr=165) == pytest.approx(100.0, rel=1e-6)


def test_zones_karvonen_and_percent_max() -> None:
    karvonen = heart.heart_basis(200, 50, None, None)
    bounds, method = heart.zone_bounds(karvonen, None)
    assert bounds == pytest.approx([125, 140, 155, 170, 185])
    assert method == "karvonen(profile)"
    bounds, method = heart.zone_bounds(heart.heart_basis(200, None, None, None), None)
    assert bounds == pytest.approx([100, 120, 140, 160, 180])
    assert method == "percent_max(profile)"
    none, why = heart.zone_bounds(heart.heart_basis(None, None, None, None), None)
    assert none is None
    assert "max_hr" in why


def test_custom_zones_win_over_estimates() -> None:
    basis = heart.heart_basis(None, None, dt.date(1990, 1, 1), dt.date(2025, 1, 1))
    bounds, method = heart.zone_bounds(basis, (150.0, 110.0, 130.0))
    assert bounds == [110.0, 130.0, 150.0]
    assert method == "custom"


def test_time_in_zones_adds_up() -> None:
    # Each 1 s interval counts at its starting HR: 90 | 130, 130 | 150 | 190.
    hr = np.array([90.0, 130, 130, 150, 190, 190])
    zones = heart.time_in_zones(hr, np.ones(5), [100, 120, 140, 160, 180])
    seconds = [z["seconds"] for z in zones]
    assert seconds == [1, 0, 2, 1, 0, 1]


def test_minetti_cost_values_from_the_paper() -> None:
    # Minetti 2002: Cr = 3.6 J/kg/m on the flat; measured 18.93 +- 1.96 at +45 %, which the
    # polynomial gives as 19.43; the minimum lies near -18 %.
    assert pace.minetti_cost(np.array([0.0]))[0] == pytest.approx(3.6)
    up = pace.minetti_cost(np.array([0.45]))[0]
    assert up == pytest.approx(19.43, abs=0.01)
    assert abs(up - 18.93) < 1.96
    grades = np.linspace(-0.45, 0.45, 901)
    assert grades[np.argmin(pace.minetti_cost(grades))] == pytest.approx(-0.18, abs=0.02)
    # Clipped outside the measured range.
    assert pace.minetti_cost(np.array([0.9]))[0] == pytest.approx(up)
    # Walking: 2.5 J/kg/m on the flat; by hand from the polynomial at +45 %:
    # 280.5*0.45^5 - 58.7*0.45^4 - 76.8*0.45^3 + 51.9*0.45^2 + 19.6*0.45 + 2.5 = 17.60.
    assert pace.minetti_cost(np.array([0.0]), "walk")[0] == pytest.approx(2.5)
    assert pace.minetti_cost(np.array([0.45]), "walk")[0] == pytest.approx(17.60, abs=0.01)


def test_grade_adjusted_speed_of_a_climb() -> None:
    # 1 km at 10 % in 400 s: Cr(0.1) / Cr(0) = 5.968 / 3.6, so GAP = 2.5 m/s * 1.658.
    steps = np.full(400, 2.5)
    grades = np.full(401, 0.10)
    moving = np.ones(400, dtype=bool)
    gap = pace.grade_adjusted_speed(steps, grades, moving, 400.0)
    ratio = pace.minetti_cost(np.array([0.1]))[0] / 3.6
    assert ratio == pytest.approx(1.658, abs=0.001)
    assert gap == pytest.approx(2.5 * ratio)


def test_vdot_daniels_gilbert() -> None:
    # Daniels' tables: 5 km in 20:00 -> VDOT 49.8; 10 km in 40:00 -> about 51.9;
    # marathon in 3:00:00 -> about 53.5.
    assert vdot(5000, 20 * 60) == pytest.approx(49.8, abs=0.1)
    assert vdot(10000, 40 * 60) == pytest.approx(51.9, abs=0.2)
    assert vdot(42195, 3 * 3600) == pytest.approx(53.5, abs=0.3)
    assert vdot(400, 60) is None  # outside the formula's range of durations


def test_normalized_power_of_steady_and_alternating_efforts() -> None:
    steady = np.full(3600, 200.0)
    assert power.normalized_power(steady) == pytest.approx(200.0)
    # 1 min at 300 W, 1 min at 100 W, repeated: NP well above the 200 W average.
    blocks = np.tile(np.concatenate((np.full(60, 300.0), np.full(60, 100.0))), 30)
    np_w = power.normalized_power(blocks)
    assert np_w is not None
    assert 225 < np_w < 260
    intensity, tss = power.intensity_and_tss(250.0, 3600, 250.0)
    assert intensity == 1.0
    assert tss == pytest.approx(100.0)


def test_np_skips_paused_time_instead_of_filling_zeros() -> None:
    t = np.concatenate((np.arange(0, 1800.0), np.arange(3600, 5400.0)))
    watts = np.full(t.size, 250.0)
    running = np.ones(t.size - 1, dtype=bool)
    running[1799] = False  # the pause between the two halves
    per_s = power.per_second(t, watts, running)
    assert per_s.size == 3598  # 1799 timed seconds in each half
    assert power.normalized_power(per_s) == pytest.approx(250.0)


def test_power_curve_is_monotone_and_exact() -> None:
    watts = np.concatenate((np.full(600, 150.0), np.full(5, 900.0), np.full(600, 150.0)))
    curve = power.power_curve(watts)
    assert curve["5"] == 900.0
    assert curve["10"] == pytest.approx((5 * 900 + 5 * 150) / 10)
    values = list(curve.values())
    assert values == sorted(values, reverse=True)


def test_met_and_work_energy() -> None:
    # Compendium 2011: running 6 mph = 9.8 MET; 70 kg for 1 h -> 686 kcal.
    met = energy.met_value("running", 6 * 0.44704)
    assert met == pytest.approx(9.8)
    assert energy.met_kcal(met, 70, 3600) == pytest.approx(686.0)
    assert energy.met_value("running", None) is None
    # 1000 kJ of cycling work ~ 1000 kcal (gross efficiency ~24 %).
    assert energy.work_kcal(np.full(5000, 200.0)) == pytest.approx(1000.0, rel=0.01)


def test_steps_from_cadence_doubles_one_foot_counts() -> None:
    cad = np.full(601, 85.0)  # 85 cycles/min of one foot for 10 min
    steps, method = energy.steps_from_cadence(cad, np.ones(600))
    assert steps == 1700
    assert method == "cadence_x2"
    steps, method = energy.steps_from_cadence(np.full(601, 170.0), np.ones(600))
    assert steps == 1700
    assert method == "cadence_as_steps"


def test_geodesic_against_known_distances() -> None:
    # One degree of latitude at the equator on WGS84: 110574.4 m (meridian arc); one
    # degree of longitude at 60 degrees N: 55800.0 m (N cos(phi) * pi/180).
    d = geodesic_pairs(np.array([-0.5]), np.array([0.0]), np.array([0.5]), np.array([0.0]))
    assert d[0] == pytest.approx(110574.4, rel=2e-5)
    d = geodesic_pairs(np.array([60.0]), np.array([10.0]), np.array([60.0]), np.array([10.001]))
    assert d[0] * 1000 == pytest.approx(55800.0, rel=1e-4)
    # Across the antimeridian.
    d = geodesic_pairs(
        np.array([0.0]), np.array([179.9995]), np.array([0.0]), np.array([-179.9995])
    )
    assert d[0] == pytest.approx(111.32, rel=1e-3)


def test_hysteresis_ignores_noise_and_counts_real_climbs() -> None:
    rng = np.random.default_rng(1)
    hill = np.concatenate((np.linspace(100, 150, 500), np.linspace(150, 120, 300)))
    noisy = hill + rng.uniform(-0.4, 0.4, hill.size)
    ascent, descent = hysteresis_gain(noisy, 1.0)
    assert ascent == pytest.approx(50.0, abs=1.0)
    assert descent == pytest.approx(30.0, abs=1.0)
    assert hysteresis_gain(np.full(10, 5.0), 1.0) == (0.0, 0.0)


def test_best_effort_interpolates_inside_samples() -> None:
    clock = np.arange(0.0, 1001.0)
    cum = clock * 3.0  # 3 m/s, but 10 s at 6 m/s from t = 500
    cum[500:] += np.minimum(np.arange(501), 10) * 3.0
    found = best_effort(clock, cum, 400.0)
    assert found is not None
    seconds, _start = found
    # 60 m extra over 10 s: 400 m take 10 s (60 m) + 340/3 s.
    assert seconds == pytest.approx(10 + 340 / 3, abs=0.01)


def test_grade_over_a_known_ramp() -> None:
    from imas.track.metrics.elevation import grade

    cum = np.arange(0.0, 1001.0)
    alt = np.where(cum < 500, 100 + 0.08 * cum, 140 - 0.05 * (cum - 500))
    g = grade(alt, cum, span_m=100.0)
    assert np.nanmax(g) == pytest.approx(0.08)
    assert np.nanmin(g) == pytest.approx(-0.05)
