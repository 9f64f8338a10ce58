"""Writes to the consent record."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from imas.accounts.models import User
from imas.privacy.models import Channel, ConsentRecord, Purpose
from imas.privacy.selectors import policy_current


@transaction.atomic
def consent_record(
    *, user: User, purpose: str, granted: bool, channel: str = Channel.WEB
) -> ConsentRecord:
    """Append one decision about `purpose` under the current policy."""
    if purpose not in Purpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if channel not in Channel.values:
        raise ValueError(f"unknown consent channel {channel!r}")
    policy = policy_current()
    return ConsentRecord.objects.create(
        user=user,
        purpose=purpose,
        granted=granted,
        policy_version=policy,
        text_hash=policy.text_hash,
        channel=channel,
    )


def consent_set_many(
    *, user: User, granted: dict[str, bool], channel: str = Channel.WEB
) -> list[ConsentRecord]:
    """Record each decision that differs from the person's current one (no duplicate rows)."""
    from imas.privacy.selectors import consent_states

    current = consent_states(user)
    return [
        consent_record(user=user, purpose=purpose, granted=value, channel=channel)
        for purpose, value in granted.items()
        if current.get(purpose) != value
    ]


def purposes_parse(text: str) -> list[str]:
    """`body_data,health_data` -> a list of purposes; raises ValueError naming an unknown one."""
    items: Iterable[str] = (p.strip() for p in text.split(","))
    purposes = [p for p in items if p]
    for purpose in purposes:
        if purpose not in Purpose.values or purpose == Purpose.PRIVACY_POLICY:
            choices = ", ".join(v for v in Purpose.values if v != Purpose.PRIVACY_POLICY)
            raise ValueError(f"unknown consent {purpose!r}; choose from {choices}")
    return purposes
