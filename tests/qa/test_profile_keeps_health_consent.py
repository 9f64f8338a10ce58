"""Saving the profile does not silently withdraw heart-rate use (QA finding: a person who only
switched to imperial units found health data "Not allowed" on /privacy/settings/ and heart
rate gone: the profile showed the undecided consent as an unticked box)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from imas.privacy.models import ConsentRecord
from imas.privacy.selectors import health_data_allowed

pytestmark = pytest.mark.django_db


def form_fields(page: str) -> dict[str, str]:
    """What the browser would send back: text inputs' values, selected options, ticked boxes."""
    data: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or "csrfmiddlewaretoken" in tag:
            continue
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                data[name.group(1)] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_changing_units_keeps_heart_rate_for_an_undecided_person(make_user: Any) -> None:
    user = make_user(activity_type="running")
    assert health_data_allowed(user)
    client = Client()
    client.force_login(user)
    page = client.get("/profile/").content.decode()
    box = re.search(r'<input[^>]*name="consent_health_data"[^>]*>', page)
    assert box is not None
    assert " checked" in box.group(0), "the box shows what is in effect: heart rate is used"
    data = form_fields(page)
    data["units"] = "imperial"
    response = client.post("/profile/", data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.units == "imperial"
    assert health_data_allowed(user)
    assert not ConsentRecord.objects.filter(user=user, purpose="health_data").exists()


def test_unticking_the_box_still_withdraws(make_user: Any) -> None:
    user = make_user(activity_type="running")
    client = Client()
    client.force_login(user)
    data = form_fields(client.get("/profile/").content.decode())
    data.pop("consent_health_data", None)
    assert client.post("/profile/", data).status_code == 302
    assert not health_data_allowed(user)
