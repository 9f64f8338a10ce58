"""Every box of the manual-entry page has a name a screen reader can announce (QA finding:
the gym exercise rows, in a table under column headings, had neither <label> nor aria-label)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_manual_entry_box_is_named(make_user: Any) -> None:
    client = Client()
    client.force_login(make_user())
    page = client.get("/activities/new/").content.decode()
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
    unnamed = [
        tag
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
        if 'type="hidden"' not in tag
        and "aria-label=" not in tag
        and (m := re.search(r'id="([^"]+)"', tag)) is not None
        and m.group(1) not in labelled
    ]
    assert unnamed == []
    assert 'aria-label="Exercise"' in page
    assert 'aria-label="Reps"' in page
