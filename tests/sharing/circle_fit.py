"""A least-squares circle fit (Kasa 1976): what someone who collects the points where many
tracks leave a privacy zone would run to find its centre.

Kasa, I. (1976), "A circle fitting procedure and its error analysis", IEEE Trans. Instrum.
Meas. IM-25(1): minimise sum((x-a)^2 + (y-b)^2 - r^2)^2, which is linear in
(D, E, F) of x^2 + y^2 + D x + E y + F = 0; centre (-D/2, -E/2), r^2 = a^2 + b^2 - F.
"""

from __future__ import annotations

import math

import numpy as np


def kasa_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(centre x, centre y, radius) of the circle through the points, in their units."""
    a = np.column_stack([x, y, np.ones_like(x)])
    b = -(x * x + y * y)
    (d, e, f), *_ = np.linalg.lstsq(a, b, rcond=None)
    cx, cy = -d / 2.0, -e / 2.0
    return float(cx), float(cy), math.sqrt(max(cx * cx + cy * cy - f, 0.0))
