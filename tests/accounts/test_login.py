"""Signing in and out: one answer for unknown email and wrong password, throttling, notices."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from imas.accounts.models import KnownDevice
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1"


def login(client: Client, email: str, password: str, ip: str = "192.0.2.1") -> Any:
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def form_errors(response: Any) -> list[str]:
    return [str(e) for e in response.context["form"].non_field_errors()]


def test_sign_in_and_out(client: Client, make_user: Any) -> None:
    user = make_user(email="ann@example.org")
    response = login(client, "ANN@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get("/")
    assert user.name in home.content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: Client, make_user: Any
) -> None:
    make_user(email="ann@example.org")
    wrong_password = login(client, "ann@example.org", "not the password at all")
    unknown = login(Client(), "nobody@example.org", "not the password at all")
    assert wrong_password.status_code == unknown.status_code == 200
    assert form_errors(wrong_password) == form_errors(unknown)
    assert form_errors(unknown), "expected an error message"


def test_failed_sign_ins_are_throttled_per_account(client: Client, make_user: Any) -> None:
    make_user(email="ann@example.org")
    # From different addresses, so only the per-account limit can apply.
    for attempt in range(5):
        login(Client(), "ann@example.org", "wrong password 1", ip=f"198.51.100.{attempt}")
    blocked = login(client, "ann@example.org", PASSWORD, ip="203.0.113.9")
    assert "_auth_user_id" not in client.session
    assert any("Too many" in e for e in form_errors(blocked)), form_errors(blocked)


def test_failed_sign_ins_are_throttled_per_address(client: Client, make_user: Any) -> None:
    make_user(email="ann@example.org")
    for n in range(10):
        login(Client(), f"guess{n}@example.org", "wrong password 1", ip="198.51.100.7")
    blocked = login(client, "ann@example.org", PASSWORD, ip="198.51.100.7")
    assert "_auth_user_id" not in client.session
    assert blocked.status_code in (200, 429)


def test_new_device_sign_in_sends_a_notice_with_the_name(make_user: Any) -> None:
    user = make_user(email="ann@example.org", name="Ann Example")
    first = Client(HTTP_USER_AGENT=FIREFOX)
    login(first, "ann@example.org", PASSWORD)
    assert mail.outbox == []  # the first device of an account is not news
    login(Client(HTTP_USER_AGENT=FIREFOX), "ann@example.org", PASSWORD)
    assert mail.outbox == []  # the same browser again is not news either
    login(Client(HTTP_USER_AGENT=PHONE), "ann@example.org", PASSWORD)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["ann@example.org"]
    assert "New sign-in" in notice.subject
    assert "Hello Ann Example" in str(notice.body)
    assert "iPhone" in str(notice.body)
    assert KnownDevice.objects.filter(user=user).count() == 2
    # Only a hash and a label are kept, never the address.
    assert all(len(d.fingerprint) == 64 for d in KnownDevice.objects.all())


def test_argon2_is_the_production_hasher() -> None:
    import imas.settings

    assert imas.settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
