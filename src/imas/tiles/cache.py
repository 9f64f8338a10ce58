"""Map tiles: validate the coordinates, serve from the disk cache, else fetch once upstream.

The upstream (IMAS_TILE_URL, OpenStreetMap by default) sees only this server, with an
identifying User-Agent as the OSM tile usage policy asks; browsers see only IMAS. Tiles are
kept under <IMAS_DATA_DIR>/tiles/<upstream key>/z/x/y and kept for at least a week (the same
policy asks for that), refreshed after IMAS_TILE_MAX_AGE_DAYS when the upstream answers.

When the upstream fails, IMAS remembers it for a short while (UPSTREAM_BACKOFF_S) and answers
"no tile" at once, so a map without tiles shows a plain background instead of waiting for a
timeout per tile.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MAX_TILE_BYTES = 1024 * 1024  # real tiles are 5-50 kB; anything larger is not a tile
UPSTREAM_BACKOFF_S = 30
DEFAULT_MAX_AGE_DAYS = 30
_BACKOFF_KEY = "tiles:upstream-down:"

# The image kinds a tile may be, by their first bytes (PNG, JPEG, WebP).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"RIFF", "image/webp"),
)


@dataclass(frozen=True)
class Tile:
    data: bytes
    content_type: str


class TileUnavailable(Exception):
    """No tile for these coordinates: bad coordinates, tiles off, or the upstream failed.

    `upstream_down` marks failures of the upstream itself (unreachable, timeout, 5xx) as
    opposed to an answer about this one tile (404), so only the former pause fetching.
    """

    def __init__(self, reason: str, *, upstream_down: bool = False) -> None:
        super().__init__(reason)
        self.upstream_down = upstream_down


def tiles_enabled() -> bool:
    return bool(getattr(settings, "IMAS_TILES_ENABLED", True)) and bool(_upstream_template())


def _upstream_template() -> str:
    return str(getattr(settings, "IMAS_TILE_URL", "") or "")


def max_zoom() -> int:
    return int(getattr(settings, "IMAS_TILE_MAX_ZOOM", 19))


def coordinates_valid(z: int, x: int, y: int) -> bool:
    """Slippy-map coordinates: zoom 0..max, x and y within the 2^z x 2^z grid."""
    if not 0 <= z <= max_zoom():
        return False
    side = 1 << z
    return 0 <= x < side and 0 <= y < side


def image_type(data: bytes) -> str | None:
    """The content type of a tile image by its signature, or None when it is not an image."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            if content_type == "image/webp" and data[8:12] != b"WEBP":
                continue
            return content_type
    return None


def _cache_dir() -> Path:
    # One folder per upstream, so changing IMAS_TILE_URL never serves the old style's tiles.
    key = hashlib.sha256(_upstream_template().encode()).hexdigest()[:16]
    return Path(settings.DATA_DIR) / "tiles" / key


def _cache_path(z: int, x: int, y: int) -> Path:
    return _cache_dir() / str(z) / str(x) / f"{y}.tile"


def _max_age_s() -> float:
    days = float(getattr(settings, "IMAS_TILE_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))
    return max(days, 7.0) * 86400.0


def _read_cached(path: Path) -> Tile | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    content_type = image_type(data)
    return Tile(data, content_type) if content_type else None


def _write_cached(path: Path, data: bytes) -> None:
    """Atomic: a reader sees the whole tile or none, even with several web processes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tile-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        logger.warning("tile cache not writable at %s", path.parent)


def _fetch_upstream(z: int, x: int, y: int) -> Tile:
    url = _upstream_template().format(z=z, x=x, y=y, s="a")
    if not url.startswith(("https://", "http://")):
        raise TileUnavailable("IMAS_TILE_URL must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (scheme checked just above)
        url,
        headers={"User-Agent": str(settings.IMAS_TILE_USER_AGENT), "Accept": "image/*"},
    )
    timeout = float(getattr(settings, "IMAS_TILE_TIMEOUT_S", 5))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if response.status != 200:
                raise TileUnavailable(f"upstream answered {response.status}", upstream_down=True)
            data = response.read(MAX_TILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise TileUnavailable(
            f"upstream answered {exc.code}", upstream_down=exc.code >= 500 or exc.code == 429
        ) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TileUnavailable(
            f"upstream failed: {exc.__class__.__name__}", upstream_down=True
        ) from exc
    if len(data) > MAX_TILE_BYTES:
        raise TileUnavailable("upstream tile too large")
    content_type = image_type(data)
    if content_type is None:
        raise TileUnavailable("upstream answer is not an image")
    return Tile(data, content_type)


def tile_get(z: int, x: int, y: int, *, may_fetch: bool = True) -> Tile:
    """The tile at z/x/y: from the cache, or fetched (when may_fetch) and cached.

    Raises TileUnavailable when there is none to give.
    """
    if not tiles_enabled():
        raise TileUnavailable("tiles are turned off")
    if not coordinates_valid(z, x, y):
        raise TileUnavailable("coordinates out of range")
    path = _cache_path(z, x, y)
    cached = _read_cached(path)
    if cached is not None:
        try:
            fresh = time.time() - path.stat().st_mtime < _max_age_s()
        except OSError:
            fresh = True
        if fresh or not may_fetch:
            return cached
    if not may_fetch:
        raise TileUnavailable("not cached")
    backoff_key = _BACKOFF_KEY + _cache_dir().name
    if cache.get(backoff_key):
        if cached is not None:
            return cached
        raise TileUnavailable("upstream recently failed")
    try:
        tile = _fetch_upstream(z, x, y)
    except TileUnavailable as exc:
        logger.info("tile %s/%s/%s unavailable: %s", z, x, y, exc)
        if exc.upstream_down:
            cache.set(backoff_key, True, UPSTREAM_BACKOFF_S)
        if cached is not None:
            return cached  # a stale tile beats no tile
        raise
    _write_cached(path, tile.data)
    return tile
