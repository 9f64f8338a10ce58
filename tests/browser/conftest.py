"""The browser tests' fixtures (Chromium, a local tile server): tests/support/browser.py."""

from __future__ import annotations

from tests.support.browser import browser_context, tile_server  # noqa: F401
