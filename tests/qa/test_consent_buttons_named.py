"""Each Allow / Withdraw button on /privacy/settings/ says which consent it changes (QA
finding: five buttons read just "Allow" or "Withdraw" to a screen reader)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_consent_button_points_at_its_heading(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user())
    page = client.get("/privacy/settings/").content.decode()
    buttons = re.findall(r'<button[^>]*name="(?:grant|withdraw)"[^>]*>', page)
    assert len(buttons) >= 4
    for button in buttons:
        target = re.search(r'aria-describedby="([^"]+)"', button)
        assert target is not None, button
        heading = re.search(rf'<h2 id="{target.group(1)}">([^<]+)</h2>', page)
        assert heading is not None
        assert heading.group(1).strip()
