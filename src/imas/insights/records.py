"""Recently broken personal records for the dashboard, from the segments app's selector.

The segments app owns records (imas.segments.selectors.records_recent); this module only asks
it and turns its rows into plain values, so the dashboard still works (without records) where
that app is not installed.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from imas.accounts.models import User

logger = logging.getLogger(__name__)

# What a record's value is measured in, by its kind (segments.models.RecordKind).
_UNIT = {
    "longest_distance": "m",
    "longest_time": "s",
    "biggest_climb": "m",
    "best_effort": "s",
    "best_power": "W",
}
# The goals' metric names, for formatting a value in the person's units.
_METRIC = {
    "longest_distance": "distance",
    "longest_time": "time",
    "biggest_climb": "elevation",
}


def _segments() -> Any:
    try:
        return importlib.import_module("imas.segments.selectors")
    except ImportError:
        return None


def records_recent(*, owner: User, limit: int = 5) -> list[dict[str, Any]]:
    """Records broken lately, newest first, as plain values; [] when none can be had."""
    module = _segments()
    if module is None or not hasattr(module, "records_recent"):
        return []
    try:
        rows = module.records_recent(owner, limit=limit)
        label = getattr(module, "record_label", None)
        return [_plain(row, label) for row in list(rows)[:limit]]
    except Exception:  # a records failure must not take the dashboard down
        logger.exception("reading recent records failed")
        return []


def _plain(record: Any, label: Any) -> dict[str, Any]:
    kind = str(record.kind)
    activity = record.activity
    return {
        "label": str(label(record)) if callable(label) else kind,
        "kind": kind,
        "key": record.key,
        "sport": record.sport,
        "value": record.value,
        "previous_value": record.previous_value,
        "unit": _UNIT.get(kind, ""),
        "metric": _METRIC.get(kind),
        "achieved_at": record.achieved_at,
        "activity_id": record.activity_id,
        "activity_name": getattr(activity, "name", ""),
    }
