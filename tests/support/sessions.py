"""Test sessions that have been through the second factor, as the admin requires of staff (the
real sign-in with TOTP is tested in tests/core/test_admin_mfa.py)."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client


def second_factor_used(client: Client, user: Any) -> None:
    """Record in `client`'s session (signed in as `user`) a password and a TOTP sign-in just now,
    the way allauth records them."""
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
