"""What the end-to-end browser tests share: Debian's Chromium started headless, a browser
signed in as a person, a stand-in tile server on 127.0.0.1, and a watch on what a page asks of
other hosts and on its script errors. Test files import the fixtures they use by name."""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Every browser test module sets `pytestmark = BROWSER_MARKS`.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@contextmanager
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Headless Chromium for one test; screenshots go to ARTIFACTS."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django calls made here are
    # synchronous all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    # Let the live server's per-connection threads close their database connections.
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)


@pytest.fixture
def browser_context(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with chromium(monkeypatch) as browser:
        yield browser


def session_context(browser: Any, live_server: Any, client: Client, **options: Any) -> Any:
    """A browser context carrying the session `client` is signed in with."""
    context = browser.new_context(**options)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
                "httpOnly": True,
            }
        ]
    )
    return context


def signed_in_context(browser: Any, live_server: Any, user: Any, **options: Any) -> Any:
    """A browser context signed in as `user`."""
    client = Client()
    client.force_login(user)
    return session_context(browser, live_server, client, **options)


def signed_in_page(browser: Any, live_server: Any, user: Any) -> tuple[Any, Any]:
    """A desktop-sized (1280 x 900) context signed in as `user`, and a page in it."""
    context = signed_in_context(browser, live_server, user, viewport={"width": 1280, "height": 900})
    return context, context.new_page()


def watch(page: Any, live_server: Any, foreign: list[str], errors: list[str] | None = None) -> None:
    """Collect the URLs the page asks of hosts other than the live server into `foreign`, and
    its script errors into `errors` when given."""
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    if errors is not None:
        page.on("pageerror", lambda e: errors.append(str(e)))


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG (the PNG specification's chunks, written by hand)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


TILE = _png(256, 256, (236, 240, 234))


class TileServer:
    """A stand-in for the tile host: every /z/x/y.png is a plain light tile."""

    def __init__(self) -> None:
        self.count = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.count += 1
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(TILE)))
                self.end_headers()
                self.wfile.write(TILE)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tile_server(settings: Any) -> Iterator[TileServer]:
    server = TileServer()
    settings.IMAS_TILES_ENABLED = True
    settings.IMAS_TILE_URL = server.url
    yield server
    server.close()
