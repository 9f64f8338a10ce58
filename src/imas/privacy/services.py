"""Writes to the consent record."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from imas.accounts.models import User
from imas.privacy.models import (
    ACCEPTANCE_PURPOSES,
    THIRD_PARTY_PURPOSES,
    Channel,
    ConsentRecord,
    PolicyKind,
    PolicyVersion,
    Purpose,
)
from imas.privacy.selectors import (
    consent_given,
    consent_states,
    health_data_allowed,
    policy_current,
)

# Consents whose change means the person's activities are analysed again.
RECOMPUTE_PURPOSES = (Purpose.BODY_DATA, Purpose.HEALTH_DATA)


@transaction.atomic
def consent_record(
    *,
    user: User,
    purpose: str,
    granted: bool,
    channel: str = Channel.WEB,
    policy: PolicyVersion | None = None,
) -> ConsentRecord:
    """Append one decision about `purpose` under the policy in force (or `policy`, for the
    acceptance of a given version).

    A change to body or health data consent is followed, once committed, by recomputing the
    person's activities without (or again with) that data (imas.privacy.recompute).
    """
    if purpose not in Purpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if channel not in Channel.values:
        raise ValueError(f"unknown consent channel {channel!r}")
    if policy is None:
        policy = policy_current()
    before = _in_effect(user, purpose) if purpose in RECOMPUTE_PURPOSES else None
    record = ConsentRecord.objects.create(
        user=user,
        purpose=purpose,
        granted=granted,
        policy_version=policy,
        text_hash=policy.text_hash,
        channel=channel,
    )
    if before is not None and before != granted:
        from imas.privacy.tasks import activities_recompute_task

        user_id = int(user.pk)
        # robust: a broker outage is logged and must not fail the recorded decision itself.
        transaction.on_commit(lambda: activities_recompute_task.delay(user_id), robust=True)
    return record


def _in_effect(user: User, purpose: str) -> bool:
    if purpose == Purpose.HEALTH_DATA:
        return health_data_allowed(user)
    return consent_given(user, purpose)


def consent_withdraw(*, user: User, purpose: str, channel: str = Channel.WEB) -> ConsentRecord:
    return consent_record(user=user, purpose=purpose, granted=False, channel=channel)


def consent_grant(*, user: User, purpose: str, channel: str = Channel.WEB) -> ConsentRecord:
    return consent_record(user=user, purpose=purpose, granted=True, channel=channel)


def connection_consent_record(
    *, user: User, provider: str, granted: bool, channel: str = Channel.WEB
) -> ConsentRecord:
    """For the connections app: a person connects (granted) or disconnects a third party
    (`strava`, `garmin`). Raises ValueError for a provider IMAS has no purpose for."""
    if provider not in THIRD_PARTY_PURPOSES:
        choices = ", ".join(THIRD_PARTY_PURPOSES)
        raise ValueError(f"unknown third party {provider!r}; choose from {choices}")
    return consent_record(user=user, purpose=provider, granted=granted, channel=channel)


def policy_accept(
    *, user: User, policy: PolicyVersion, channel: str = Channel.WEB
) -> ConsentRecord:
    """The person accepts one published version (privacy policy or terms of use)."""
    if policy.published_at is None:
        raise ValueError("only a published version can be accepted")
    purpose = (
        Purpose.TERMS_OF_USE if policy.kind == PolicyKind.TERMS_OF_USE else Purpose.PRIVACY_POLICY
    )
    return consent_record(user=user, purpose=purpose, granted=True, channel=channel, policy=policy)


def consent_set_many(
    *, user: User, granted: dict[str, bool], channel: str = Channel.WEB
) -> list[ConsentRecord]:
    """Record each decision that differs from the person's current one (no duplicate rows)."""
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
        if purpose not in Purpose.values or purpose in ACCEPTANCE_PURPOSES:
            choices = ", ".join(v for v in Purpose.values if v not in ACCEPTANCE_PURPOSES)
            raise ValueError(f"unknown consent {purpose!r}; choose from {choices}")
    return purposes
