"""Writes about accounts: creating people, editing profiles, access tokens, known devices."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imas.accounts.models import (
    TOKEN_PREFIX,
    KnownDevice,
    PersonalAccessToken,
    User,
    normalize_email,
    token_hash,
)

# The fields a person may edit about themselves (the profile page and PATCH /api/v1/me); the
# admin shows the same ones as the Profile section.
PROFILE_FIELDS = (
    "name",
    "birthday",
    "height_cm",
    "weight_kg",
    "gender",
    "activity_type",
    "units",
    "time_zone",
    "resting_hr",
    "max_hr",
)


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    name: str,
    verified: bool = False,
    consents: list[str] | tuple[str, ...] = (),
    channel: str = "cli",
    **profile: Any,
) -> User:
    """Create an account with a checked password and profile; the policy is accepted on the way.

    Raises ValidationError naming the field for a bad value or an address already in use.
    """
    from imas.privacy.models import Purpose
    from imas.privacy.services import consent_record

    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {sorted(unknown)}")
    email = normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    user = User(email=email, name=name, **profile)
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    consent_record(user=user, purpose=Purpose.PRIVACY_POLICY, granted=True, channel=channel)
    for purpose in consents:
        consent_record(user=user, purpose=purpose, granted=True, channel=channel)
    return user


@transaction.atomic
def user_profile_update(*, user: User, data: dict[str, Any]) -> User:
    """Change the given profile fields; full_clean() names the first bad one."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: _("This field cannot be changed here.")})
    for field, value in data.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=[*data.keys()] if data else None)
    return user


def token_create(*, user: User, name: str) -> tuple[PersonalAccessToken, str]:
    """A new personal access token; the clear text is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name can be at most 100 characters.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = PersonalAccessToken.objects.create(
        user=user, name=name, token_hash=token_hash(secret), hint=secret[: len(TOKEN_PREFIX) + 4]
    )
    return row, secret


def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the person's own tokens; False when there is no such active token."""
    changed = PersonalAccessToken.objects.filter(
        pk=token_id, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return changed == 1


def device_fingerprint(user_agent: str) -> str:
    return hashlib.sha256(user_agent.encode("utf-8", "replace")).hexdigest()


def device_seen(*, user: User, user_agent: str, now: dt.datetime | None = None) -> bool:
    """Remember the browser a person signed in from; True when it is a new one for a person
    who has signed in before (the case that earns a security notice)."""
    now = now or timezone.now()
    fingerprint = device_fingerprint(user_agent)
    had_devices = KnownDevice.objects.filter(user=user).exists()
    device, created = KnownDevice.objects.get_or_create(
        user=user,
        fingerprint=fingerprint,
        defaults={"label": user_agent[:120], "first_seen": now, "last_seen": now},
    )
    if not created:
        KnownDevice.objects.filter(pk=device.pk).update(last_seen=now)
    return created and had_devices
