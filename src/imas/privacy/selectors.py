"""Reads of policy versions and consent."""

from __future__ import annotations

from django.db.models import QuerySet

from imas.accounts.models import User
from imas.privacy.first_policy import FIRST_POLICY_TEXT, FIRST_POLICY_VERSION
from imas.privacy.models import ConsentRecord, PolicyVersion, Purpose


def policy_current() -> PolicyVersion:
    """The newest published policy.

    A data migration publishes version 1; should the table have been emptied (a test database
    flush, a botched restore), version 1 is published again rather than failing every sign-up.
    """
    policy = PolicyVersion.objects.order_by("-published_at", "-id").first()
    if policy is None:
        policy, _ = PolicyVersion.objects.get_or_create(
            version=FIRST_POLICY_VERSION, defaults={"text": FIRST_POLICY_TEXT}
        )
    return policy


def consent_states(user: User) -> dict[str, bool]:
    """The latest decision per purpose; a purpose never decided is absent."""
    states: dict[str, bool] = {}
    for record in ConsentRecord.objects.filter(user=user).order_by("-created_at", "-id"):
        states.setdefault(record.purpose, record.granted)
    return states


def consent_given(user: User, purpose: str) -> bool:
    """True only when the person's latest decision about `purpose` is a grant."""
    latest = (
        ConsentRecord.objects.filter(user=user, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    return bool(latest and latest.granted)


def body_data_allowed(user: User) -> bool:
    """Whether birthday, height, weight and gender may be used in calculations."""
    return consent_given(user, Purpose.BODY_DATA)


def consent_history(user: User) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).select_related("policy_version")
