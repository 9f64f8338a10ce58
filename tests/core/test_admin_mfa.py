"""Staff reach /admin/ only after signing in with their second factor; TOTP set-up is notified."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the middle one is the current period
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client: Client, email: str) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


@pytest.fixture
def staff(make_user: Any) -> Any:
    user = make_user(email="staff@example.org", name="Sam Staff")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def test_anonymous_admin_goes_to_our_sign_in(client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_ordinary_person_is_kept_out(client: Client, make_user: Any) -> None:
    make_user(email="ann@example.org")
    sign_in(client, "ann@example.org")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "only for staff" in response.content.decode()


def test_staff_needs_a_second_factor(
    client: Client, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sign_in(client, "staff@example.org")
    assert client.session["_auth_user_id"] == str(staff.pk)
    response = client.get("/admin/", follow=True)
    # Admin sends staff to set up TOTP, which first asks for the password again.
    assert response.redirect_chain[-2][0] == "/accounts/2fa/totp/activate/"
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    assert "second factor" in response.content.decode()
    confirmed = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert confirmed.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"

    # Set up TOTP: the person is told by mail, by name.
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):  # allauth mails after commit
        activated = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert activated.status_code == 302
    assert any(
        "Hello Sam Staff" in str(m.body) and m.to == ["staff@example.org"] for m in mail.outbox
    )
    # Still no admin in this session: the password alone was used to sign in.
    assert client.get("/admin/").status_code == 302

    client.post("/accounts/logout/")
    second = Client()
    step = sign_in(second, "staff@example.org")
    assert step["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in second.session
    done = second.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert done.status_code == 302
    admin_page = second.get("/admin/")
    assert admin_page.status_code == 200
    assert "IMAS administration" in admin_page.content.decode()
    assert second.get("/admin/accounts/user/").status_code == 200
    assert second.get("/admin/privacy/consentrecord/").status_code == 200
    assert second.get(f"/admin/accounts/user/{staff.pk}/change/").status_code == 200
    assert second.get("/admin/accounts/personalaccesstoken/").status_code == 200
