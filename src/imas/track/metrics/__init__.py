"""Metrics over a Track: pure numpy, no Django, no clock.

analyze(track, profile) -> Summary gathers them; the modules hold one concern each:
timeline (elapsed, timer), distance, moving, elevation, pace (speed, grade-adjusted pace),
splits (splits, laps), best_efforts (and VDOT), heart (zones, TRIMP, hrTSS), power (NP, IF,
TSS, power curve), energy (calories, steps), swim, strength, load (across activities).
"""

from imas.track.metrics.summary import Profile, Summary, analyze

__all__ = ["Profile", "Summary", "analyze"]
