"""Personal records for the dashboard, from the segments app when it is installed.

The segments app owns records; this module only asks its selector, so the dashboard works
(without records) in a deployment or a moment where that app is absent.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from imas.accounts.models import User

logger = logging.getLogger(__name__)

# The names under which the segments app offers "recent records of a person".
_CANDIDATES = ("records_recent", "recent_records", "personal_records_recent")


def _selector() -> Any:
    try:
        module = importlib.import_module("imas.segments.selectors")
    except ImportError:
        return None
    for name in _CANDIDATES:
        function = getattr(module, name, None)
        if callable(function):
            return function
    return None


def records_recent(*, owner: User, limit: int = 5) -> list[dict[str, Any]]:
    """Recent personal records as plain dicts, newest first; [] when none can be had."""
    selector = _selector()
    if selector is None:
        return []
    try:
        rows = selector(owner=owner, limit=limit)
    except Exception:  # a records failure must not take the dashboard down
        logger.exception("reading recent records failed")
        return []
    return [_plain(row) for row in list(rows)[:limit]]


def _plain(row: Any) -> dict[str, Any]:
    if isinstance(row, dict):
        return dict(row)
    if hasattr(row, "as_dict"):
        return dict(row.as_dict())
    return {k: v for k, v in vars(row).items() if not k.startswith("_")}
