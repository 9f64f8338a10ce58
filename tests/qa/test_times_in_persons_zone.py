"""Times on account pages are in the person's time zone (QA finding: with the zone set to
America/Los_Angeles, the export list, tokens, consent history and followers showed UTC)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from imas.accounts.models import PersonalAccessToken
from imas.accounts.services import token_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "shown", "not_shown"),
    [
        ("America/Los_Angeles", "06/01/2024 1 a.m.", "8 a.m."),
        ("UTC", "06/01/2024 8 a.m.", "1 a.m."),
    ],
)
def test_token_creation_time_in_the_persons_zone(
    make_user: Any, zone: str, shown: str, not_shown: str
) -> None:
    user = make_user(time_zone=zone)
    row, _secret = token_create(user=user, name="laptop")
    PersonalAccessToken.objects.filter(pk=row.pk).update(
        created_at=dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.UTC)
    )
    client = Client()
    client.force_login(user)
    page = client.get("/settings/").content.decode()
    assert shown in page
    assert not_shown not in page


def test_signed_out_pages_still_render(client: Client) -> None:
    assert client.get("/privacy/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
