"""The insights app's part of a person's data export and erasure (imas.privacy.registry).

The app keeps nothing of its own about a person: its daily totals are a cache computed from
the person's activities (which the activities app exports), so the export has no part here
and erasure deletes the cache.
"""

from __future__ import annotations

from typing import Any

from imas.insights.models import DailyTotal, TotalsState


def insights_export(user: Any, writer: Any) -> None:
    """Nothing to export: every figure is derived from the exported activities."""


def insights_erase(user: Any) -> None:
    TotalsState.objects.filter(owner=user).delete()
    DailyTotal.objects.filter(owner=user).delete()


def _register() -> None:
    try:
        from imas.privacy.registry import register
    except ImportError:  # a platform without the privacy app
        return
    register("insights", parts=(), exporter=insights_export, eraser=insights_erase)


_register()
