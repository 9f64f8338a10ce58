"""The tile proxy against a real HTTP upstream on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"tile-bytes" * 20


class Upstream:
    """A tiny tile server: /ok/{z}/{x}/{y}.png answers a PNG, /down/... a 503, /html/... text."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                upstream.requests.append((self.path, self.headers.get("User-Agent", "")))
                if self.path.startswith("/ok/"):
                    body, status, kind = PNG, 200, "image/png"
                elif self.path.startswith("/html/"):
                    body, status, kind = b"<html>not a tile</html>", 200, "text/html"
                elif self.path.startswith("/missing/"):
                    body, status, kind = b"no", 404, "text/plain"
                else:
                    body, status, kind = b"down", 503, "text/plain"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, mode: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/{mode}/{{z}}/{{x}}/{{y}}.png"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    yield server
    server.close()


@pytest.fixture
def signed_in(client: Client, make_user: Any) -> Client:
    client.force_login(make_user())
    return client


@pytest.fixture(autouse=True)
def _tile_settings(settings: Any) -> None:
    settings.IMAS_TILES_ENABLED = True
    settings.IMAS_TILE_USER_AGENT = "IMAS-test/1 (tile proxy test)"
    settings.IMAS_TILE_TIMEOUT_S = 2


def test_fetches_once_then_serves_from_disk(
    signed_in: Client, upstream: Upstream, settings: Any, tmp_path: Path
) -> None:
    settings.IMAS_TILE_URL = upstream.url("ok")
    first = signed_in.get("/tiles/3/4/2.png")
    assert first.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert first.content == PNG
    assert upstream.requests == [("/ok/3/4/2.png", "IMAS-test/1 (tile proxy test)")]

    second = signed_in.get("/tiles/3/4/2.png")
    assert second.status_code == 200
    assert second.content == PNG
    assert len(upstream.requests) == 1, "a cached tile is not fetched again"
    cached = list((Path(settings.DATA_DIR) / "tiles").rglob("2.tile"))
    assert len(cached) == 1
    assert cached[0].read_bytes() == PNG


def test_upstream_failure_is_404_and_pauses_fetching(
    signed_in: Client, upstream: Upstream, settings: Any
) -> None:
    settings.IMAS_TILE_URL = upstream.url("down")
    assert signed_in.get("/tiles/5/10/11.png").status_code == 404
    assert len(upstream.requests) == 1
    # The upstream is now known to be down: the next tiles answer at once without asking it.
    assert signed_in.get("/tiles/5/10/12.png").status_code == 404
    assert len(upstream.requests) == 1
    cache.clear()
    assert signed_in.get("/tiles/5/10/12.png").status_code == 404
    assert len(upstream.requests) == 2


def test_unreachable_upstream_is_404(signed_in: Client, settings: Any) -> None:
    # A port nobody listens on: connection refused.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.IMAS_TILE_URL = f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"
    assert signed_in.get("/tiles/1/0/0.png").status_code == 404


def test_a_missing_tile_does_not_pause_the_others(
    signed_in: Client, upstream: Upstream, settings: Any
) -> None:
    settings.IMAS_TILE_URL = upstream.url("missing")
    assert signed_in.get("/tiles/2/1/1.png").status_code == 404
    settings.IMAS_TILE_URL = upstream.url("ok")
    assert signed_in.get("/tiles/2/1/1.png").status_code == 200


def test_upstream_answer_that_is_not_an_image_is_refused(
    signed_in: Client, upstream: Upstream, settings: Any
) -> None:
    settings.IMAS_TILE_URL = upstream.url("html")
    response = signed_in.get("/tiles/2/1/1.png")
    assert response.status_code == 404
    assert not list((Path(settings.DATA_DIR) / "tiles").rglob("*.tile"))


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/3/8/0.png",  # x beyond 2^3 - 1
        "/tiles/3/0/8.png",
        "/tiles/20/0/0.png",  # zoom beyond the maximum
        "/tiles/99999999999/0/0.png",
        "/tiles/-1/0/0.png",
        "/tiles/a/b/c.png",
        "/tiles/1/0/0.jpg",
    ],
)
def test_bad_coordinates_are_404_without_asking_upstream(
    signed_in: Client, upstream: Upstream, settings: Any, path: str
) -> None:
    settings.IMAS_TILE_URL = upstream.url("ok")
    assert signed_in.get(path).status_code == 404
    assert upstream.requests == []


def test_disabled_tiles_are_404(signed_in: Client, upstream: Upstream, settings: Any) -> None:
    settings.IMAS_TILE_URL = upstream.url("ok")
    settings.IMAS_TILES_ENABLED = False
    assert signed_in.get("/tiles/1/0/0.png").status_code == 404
    assert upstream.requests == []


def test_visitors_get_cached_tiles_but_never_cause_a_fetch(
    client: Client, signed_in: Client, upstream: Upstream, settings: Any
) -> None:
    settings.IMAS_TILE_URL = upstream.url("ok")
    visitor = Client()
    assert visitor.get("/tiles/4/3/3.png").status_code == 404
    assert upstream.requests == []
    assert signed_in.get("/tiles/4/3/3.png").status_code == 200
    assert visitor.get("/tiles/4/3/3.png").status_code == 200
    assert len(upstream.requests) == 1
