"""imas.track: the analysis core. Bytes in, Tracks and metrics out. Imports no Django.

Contract (DESIGN.md §7):
    read(data: bytes) -> list[Track]          one Track per activity in the file
    analyze(track, profile=None) -> Summary   Summary.as_dict() gives the documented keys
"""

from imas.track.errors import (
    CorruptFile,
    HostileInput,
    LimitExceeded,
    NoActivity,
    TrackError,
    UnsupportedFormat,
)
from imas.track.metrics import Profile, Summary, analyze
from imas.track.reader import read
from imas.track.track import (
    Lap,
    PoolLength,
    SessionTotals,
    StrengthSet,
    TimerEvent,
    Track,
)

__all__ = [
    "CorruptFile",
    "HostileInput",
    "Lap",
    "LimitExceeded",
    "NoActivity",
    "PoolLength",
    "Profile",
    "SessionTotals",
    "StrengthSet",
    "Summary",
    "TimerEvent",
    "Track",
    "TrackError",
    "UnsupportedFormat",
    "analyze",
    "read",
]
