"""read(data) -> list[Track]: recognise the format from content and dispatch to a decoder."""

from __future__ import annotations

from imas.track.track import Track


def read(data: bytes) -> list[Track]:
    # Placeholder while the decoders issue is in progress.
    raise NotImplementedError
