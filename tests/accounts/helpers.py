"""Helpers for account tests: a valid sign-up form and reading sent mail."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

STRONG_PASSWORD = "violet-tandem-harbour-81"

# The fields of the sign-up page: allauth's email and password, ours, and the two consents.
SIGNUP_FORM_FIELDS = (
    "email",
    "name",
    "password1",
    "birthday",
    "height_cm",
    "weight_kg",
    "gender",
    "activity_type",
    "accept_privacy_policy",
    "consent_body_data",
)


def signup_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": "new.runner@example.org",
        "name": "Nia Runner",
        "password1": STRONG_PASSWORD,
        "birthday": "1992-03-14",
        "height_cm": "168.5",
        "weight_kg": "61",
        "gender": "female",
        "activity_type": "running",
        "accept_privacy_policy": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def last_link(path_part: str) -> str:
    """The path of the last link in the sent mail that contains path_part."""
    for message in reversed(mail.outbox):
        links = re.findall(r"https?://[^\s]+", str(message.body))
        for link in links:
            if path_part in link:
                return "/" + link.split("/", 3)[3]
    raise AssertionError(f"no mail with a link containing {path_part!r}")
