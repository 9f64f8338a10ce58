"""Sign-up: every field validated with a message naming it; both privacy choices recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from imas.accounts.models import User
from imas.privacy.models import ConsentRecord
from imas.privacy.selectors import consent_states, policy_current
from tests.accounts.helpers import SIGNUP_FORM_FIELDS, signup_data

pytestmark = pytest.mark.django_db

URL = "/accounts/signup/"


def field_errors(response: Any, field: str) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.errors.get(field, [])]


def test_signup_page_renders_every_field_labelled(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for field in SIGNUP_FORM_FIELDS:
        assert f'for="id_{field}"' in html, field
    # The body-data consent is a separate choice that starts unticked.
    assert 'name="consent_body_data"' in html
    assert 'name="consent_body_data" checked' not in html


def test_signup_creates_unverified_account_and_records_both_choices(client: Client) -> None:
    response = client.post(URL, signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.runner@example.org")
    assert user.name == "Nia Runner"
    assert user.birthday == dt.date(1992, 3, 14)
    assert user.height_cm == pytest.approx(168.5)
    assert user.weight_kg == pytest.approx(61)
    assert (user.gender, user.activity_type) == ("female", "running")
    assert user.password.startswith("md5$")  # hashed (tests use MD5; production Argon2)
    assert consent_states(user) == {"privacy_policy": True, "body_data": False}
    record = ConsentRecord.objects.get(user=user, purpose="privacy_policy")
    policy = policy_current()
    assert (record.policy_version, record.text_hash, record.channel) == (
        policy,
        policy.text_hash,
        "signup",
    )
    # A verification mail went to the address, greeting the person by name.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.runner@example.org"]
    assert "Nia Runner" in str(mail.outbox[0].body)
    assert "/accounts/confirm-email/" in str(mail.outbox[0].body)


def test_body_data_consent_when_ticked(client: Client) -> None:
    client.post(URL, signup_data(consent_body_data="on"))
    user = User.objects.get(email="new.runner@example.org")
    assert consent_states(user)["body_data"] is True


@pytest.mark.parametrize(
    ("field", "value", "message_part"),
    [
        ("email", "not-an-email", "valid email"),
        ("email", "a@b@c.org", "valid email"),
        ("password1", "password", "too common"),
        ("password1", "short1", "too short"),
        ("password1", "12345678901234", "entirely numeric"),
        ("birthday", (dt.date.today() + dt.timedelta(days=3)).isoformat(), "future"),
        ("birthday", (dt.date.today() - dt.timedelta(days=365 * 10)).isoformat(), "at least 16"),
        ("birthday", "1990-02-30", "valid date"),
        ("height_cm", "0", "between 50 and 250"),
        ("height_cm", "251", "between 50 and 250"),
        ("height_cm", "nan", "number"),
        ("weight_kg", "abc", "number"),
        ("weight_kg", "19.9", "between 20 and 350"),
        ("gender", "robot", "valid choice"),
        ("activity_type", "chess", "valid choice"),
        ("name", "", "required"),
        ("accept_privacy_policy", None, "accept the privacy policy"),
    ],
)
def test_bad_values_are_refused_naming_the_field(
    client: Client, field: str, value: str | None, message_part: str
) -> None:
    response = client.post(URL, signup_data(**{field: value}))
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors, f"no error on {field}"
    assert any(message_part in e for e in errors), errors
    assert not User.objects.exists()
    assert f'id="id_{field}_error"' in response.content.decode()


def test_duplicate_email_gets_the_same_answer_and_no_second_account(
    client: Client, make_user: Any
) -> None:
    make_user(email="taken@example.org", name="First Owner")
    fresh = client.post(URL, signup_data(email="fresh@example.org"))
    other = Client()
    taken = other.post(URL, signup_data(email="TAKEN@example.org"))
    # Same status and destination: the answer does not reveal that the address is in use.
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    # The owner of the address is told by mail instead.
    to_owner = [m for m in mail.outbox if m.to == ["taken@example.org"]]
    assert len(to_owner) == 1
    assert "already" in str(to_owner[0].body).lower()


def test_cannot_sign_in_before_verifying(client: Client) -> None:
    client.post(URL, signup_data())
    response = client.post(
        "/accounts/login/",
        {"login": "new.runner@example.org", "password": signup_data()["password1"]},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
