"""Where segments meet privacy zones (DESIGN.md §8): the one place this app asks about them.

Privacy zones arrive with the privacy issue. When `imas.privacy.zones` offers
`points_hidden(owner_id, lat, lon) -> bool array` (True for a point inside one of the owner's
zones), this app uses it to
- refuse to share a segment that runs through its creator's zone;
- leave out of a leaderboard anyone whose zone the segment runs through (their effort would
  tell that they were there), except for that person themself.
Until then no point is hidden.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def points_hidden(owner_id: int, lat: FloatArray, lon: FloatArray) -> BoolArray:
    """Which of these points lie inside the owner's privacy zones."""
    try:
        from imas.privacy.zones import points_hidden as zones_points_hidden
    except ImportError:
        return np.zeros(np.asarray(lat).shape, dtype=np.bool_)
    hidden: BoolArray = np.asarray(zones_points_hidden(owner_id, lat, lon), dtype=np.bool_)
    return hidden
