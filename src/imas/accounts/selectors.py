"""Reads about accounts."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.db.models import QuerySet
from django.utils import timezone

from imas.accounts.models import TOKEN_PREFIX, PersonalAccessToken, User, token_hash

# Writing last_used_at on every call would turn each API read into a write.
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def user_email_verified(user: User) -> bool:
    """Whether the person confirmed their address (required before a first upload)."""
    verified: bool = EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()
    return verified


def token_user(token: str) -> User | None:
    """The active owner of an active personal access token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > _LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    return PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True)
