"""The profile page: every field editable, consents recorded, bad values named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from imas.privacy.models import ConsentRecord
from imas.privacy.selectors import consent_states

pytestmark = pytest.mark.django_db


def profile_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Ann Changed",
        "birthday": "1985-07-01",
        "height_cm": "181",
        "weight_kg": "77.5",
        "gender": "another",
        "activity_type": "cycling",
        "units": "imperial",
        "time_zone": "America/Chicago",
        "resting_hr": "48",
        "max_hr": "185",
        "consent_body_data": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def ann_client(make_user: Any) -> tuple[Any, Client]:
    user = make_user(email="ann@example.org")
    client = Client()
    client.force_login(user)
    return user, client


def test_profile_requires_sign_in(client: Client) -> None:
    response = client.get("/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_edits_every_field_and_records_consent(ann_client: tuple[Any, Client]) -> None:
    user, client = ann_client
    assert client.get("/profile/").status_code == 200
    response = client.post("/profile/", profile_data())
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Ann Changed"
    assert user.birthday == dt.date(1985, 7, 1)
    assert (user.height_cm, user.weight_kg) == (181, 77.5)
    assert (user.gender, user.activity_type, user.units) == ("another", "cycling", "imperial")
    assert (user.time_zone, user.resting_hr, user.max_hr) == ("America/Chicago", 48, 185)
    assert consent_states(user)["body_data"] is True
    assert consent_states(user)["health_data"] is False
    # Saving again without a change of mind adds no consent rows.
    before = ConsentRecord.objects.filter(user=user).count()
    client.post("/profile/", profile_data())
    assert ConsentRecord.objects.filter(user=user).count() == before
    # Withdrawing is a new row; the grant stays in the history.
    client.post("/profile/", profile_data(consent_body_data=None))
    assert consent_states(user)["body_data"] is False
    assert ConsentRecord.objects.filter(user=user, purpose="body_data", granted=True).exists()


@pytest.mark.parametrize(
    ("field", "value", "message_part"),
    [
        ("height_cm", "0", "between 50 and 250"),
        ("weight_kg", "abc", "number"),
        ("birthday", "2999-01-01", "future"),
        ("time_zone", "Mars/Olympus", "valid choice"),
        ("resting_hr", "5", "between 25 and 120"),
        ("max_hr", "400", "between 100 and 240"),
        ("units", "furlongs", "valid choice"),
        ("name", "", "required"),
    ],
)
def test_bad_profile_values_are_named(
    ann_client: tuple[Any, Client], field: str, value: str, message_part: str
) -> None:
    user, client = ann_client
    response = client.post("/profile/", profile_data(**{field: value}))
    assert response.status_code == 400
    errors = [str(e) for e in response.context["form"].errors.get(field, [])]
    assert any(message_part in e for e in errors), errors
    user.refresh_from_db()
    assert user.name != "Ann Changed"


def test_resting_must_be_below_max(ann_client: tuple[Any, Client]) -> None:
    _, client = ann_client
    response = client.post("/profile/", profile_data(resting_hr="110", max_hr="105"))
    assert response.status_code == 400
    assert "above the resting" in response.content.decode()


def test_settings_page_creates_lists_and_revokes_tokens(ann_client: tuple[Any, Client]) -> None:
    user, client = ann_client
    page = client.post("/settings/", {"name": "laptop script"})
    assert page.status_code == 200
    token = page.context["new_token"]
    assert token.startswith("imas_pat_")
    assert "laptop script" in page.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me").status_code == 200
    row = user.access_tokens.get()
    assert client.post(f"/settings/tokens/{row.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/me").status_code == 401
    # Another person's token id cannot be revoked from here.
    assert client.post("/settings/tokens/999999/revoke/").status_code == 302
