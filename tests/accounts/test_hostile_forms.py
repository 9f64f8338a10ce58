"""Whatever a browser sends to the account forms, the answer is a page, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imas.accounts.services import PROFILE_FIELDS
from tests.accounts.helpers import SIGNUP_FORM_FIELDS, signup_data

pytestmark = pytest.mark.django_db

hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "nan",
            "inf",
            "9" * 400,
            "\x00",
            "<script>",
            "2024-02-30",
            "0001-01-01",
            "9999-12-31",
            "' OR 1=1 --",
            "☃",
            "\ud7ff",
        ]
    ),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.dictionaries(st.sampled_from(SIGNUP_FORM_FIELDS), hostile_text, max_size=4))
def test_signup_never_fails_with_500(body: dict[str, Any]) -> None:
    data = signup_data(email="fuzz@example.org")
    data.update({k: v.replace("\x00", "") if k == "email" else v for k, v in body.items()})
    cache.clear()  # sign-ups are throttled per address; every example starts afresh
    response = Client().post("/accounts/signup/", data)
    assert response.status_code in (200, 302)


# The profile page's fields, and the consent box it also shows.
PROFILE_FORM_FIELDS = [*PROFILE_FIELDS, "consent_body_data"]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.dictionaries(st.sampled_from(PROFILE_FORM_FIELDS), hostile_text, max_size=5))
def test_profile_never_fails_with_500(make_user: Any, body: dict[str, Any]) -> None:
    client = Client()
    client.force_login(make_user())
    response = client.post("/profile/", body)
    assert response.status_code in (302, 400)


def test_oversized_form_body_is_refused(client: Client) -> None:
    response = client.post("/accounts/login/", {"login": "a@b.org", "password": "x" * 2_000_000})
    assert response.status_code == 400
