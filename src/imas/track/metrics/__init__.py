"""Metrics over a Track (placeholder while the analytics issue is in progress)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imas.track.track import Track


@dataclass(frozen=True)
class Profile:
    birthday: Any = None
    sex: str | None = None
    weight_kg: float | None = None
    height_cm: float | None = None
    max_hr: float | None = None
    resting_hr: float | None = None
    ftp_w: float | None = None


@dataclass(frozen=True)
class Summary:
    def as_dict(self) -> dict[str, Any]:
        raise NotImplementedError


def analyze(track: Track, profile: Profile | None = None) -> Summary:
    raise NotImplementedError
