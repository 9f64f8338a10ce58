"""Email verification, password reset and change, email change: links and notices."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from imas.accounts.models import User
from imas.accounts.selectors import user_email_verified
from tests.accounts.helpers import STRONG_PASSWORD, last_link, signup_data
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_verification_link_confirms_and_allows_sign_in(client: Client) -> None:
    client.post("/accounts/signup/", signup_data())
    link = last_link("/accounts/confirm-email/")
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    user = User.objects.get(email="new.runner@example.org")
    assert user_email_verified(user)
    fresh = Client()
    fresh.post("/accounts/login/", {"login": user.email, "password": STRONG_PASSWORD})
    assert fresh.session["_auth_user_id"] == str(user.pk)


def test_expired_verification_link_is_refused(client: Client) -> None:
    four_days_ago = time.time() - 4 * 24 * 3600  # links last 3 days
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        client.post("/accounts/signup/", signup_data())
    link = last_link("/accounts/confirm-email/")
    page = client.get(link)
    assert page.status_code == 200
    assert "expired or is invalid" in page.content.decode()
    client.post(link)
    user = User.objects.get(email="new.runner@example.org")
    assert not user_email_verified(user)


def test_garbage_verification_link_is_refused_without_error(client: Client) -> None:
    response = client.get("/accounts/confirm-email/%00%ff'<script>/")
    assert response.status_code in (200, 404)


def _request_reset(client: Client, email: str) -> str:
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    return last_link("/accounts/password/reset/key/")


def test_password_reset_link_works_once(make_user: Any) -> None:
    user = make_user(email="ann@example.org", name="Ann Example")
    client = Client()
    link = _request_reset(client, "ann@example.org")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new = "another-strong-passphrase-7"
    done = client.post(set_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # Following the same link again: refused, and the password stays as set.
    again = Client()
    reused = again.get(link, follow=True)
    assert "invalid" in reused.content.decode().lower()
    reused_post = again.post(
        reused.redirect_chain[-1][0] if reused.redirect_chain else link,
        {"password1": "third-password-attempt-9", "password2": "third-password-attempt-9"},
    )
    assert reused_post.status_code in (200, 302)
    user.refresh_from_db()
    assert user.check_password(new)
    # The reset is a security event: the person is told, by name.
    notices = [m for m in mail.outbox if "Hello Ann Example" in str(m.body)]
    assert any("password" in m.subject.lower() for m in notices)


def test_reset_for_unknown_address_gives_the_same_answer(client: Client, make_user: Any) -> None:
    make_user(email="ann@example.org")
    known = client.post("/accounts/password/reset/", {"email": "ann@example.org"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_password_change_sends_a_notice(make_user: Any) -> None:
    user = make_user(email="ann@example.org", name="Ann Example")
    client = Client()
    client.force_login(user)
    new = "changed-passphrase-2024"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    notice = mail.outbox[-1]
    assert notice.to == ["ann@example.org"]
    assert "Hello Ann Example" in str(notice.body)
    assert "password" in notice.subject.lower()


def test_weak_new_password_is_refused_on_change(make_user: Any) -> None:
    user = make_user()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_email_change_is_confirmed_on_the_new_address(make_user: Any) -> None:
    user = make_user(email="old@example.org")
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "old@example.org"  # unchanged until confirmed
    confirm = mail.outbox[-1]
    assert confirm.to == ["new@example.org"]
    link = last_link("/accounts/confirm-email/")
    client.post(link)
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert EmailAddress.objects.get(user=user, email="new@example.org").verified
    assert not EmailAddress.objects.filter(user=user, email="old@example.org").exists()
