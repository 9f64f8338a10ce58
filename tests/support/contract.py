"""The keys `imas analyze --json` gives and analyze().as_dict() returns, as DESIGN.md §7 writes
them: restated here, not taken from the code, so that the tests hold the code to the contract."""

from __future__ import annotations

CONTRACT_KEYS = frozenset(
    {
        "sport",
        "start_time",
        "elapsed_s",
        "moving_s",
        "distance_m",
        "ascent_m",
        "descent_m",
        "avg_speed_mps",
        "max_speed_mps",
        "avg_hr",
        "max_hr",
        "avg_cadence",
        "avg_power_w",
        "normalized_power_w",
        "calories_kcal",
        "calories_method",
        "steps",
        "trimp",
        "points",
        "laps",
        "device",
    }
)
