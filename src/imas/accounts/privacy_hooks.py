"""The accounts app's part of a person's export and erasure (registered with imas.privacy)."""

from __future__ import annotations

from typing import Any

from imas.privacy.registry import ExportWriter, register

PROFILE_FIELDS = (
    "email",
    "name",
    "birthday",
    "height_cm",
    "weight_kg",
    "gender",
    "activity_type",
    "resting_hr",
    "max_hr",
    "date_joined",
)
SETTINGS_FIELDS = ("units", "time_zone")


def export(user: Any, writer: ExportWriter) -> None:
    from allauth.account.models import EmailAddress

    from imas.accounts.models import KnownDevice, PersonalAccessToken

    if writer.wants("profile"):
        writer.json("profile.json", {name: getattr(user, name) for name in PROFILE_FIELDS})
    if writer.wants("settings"):
        writer.json(
            "settings.json",
            {
                **{name: getattr(user, name) for name in SETTINGS_FIELDS},
                "email_addresses": [
                    {"email": e.email, "verified": e.verified, "primary": e.primary}
                    for e in EmailAddress.objects.filter(user=user)
                ],
                # Names and dates only: the tokens themselves are never stored, their hashes
                # never leave the server.
                "access_tokens": [
                    {
                        "name": t.name,
                        "created_at": t.created_at,
                        "last_used_at": t.last_used_at,
                        "revoked_at": t.revoked_at,
                    }
                    for t in PersonalAccessToken.objects.filter(user=user)
                ],
                "known_browsers": [
                    {"label": d.label, "first_seen": d.first_seen, "last_seen": d.last_seen}
                    for d in KnownDevice.objects.filter(user=user)
                ],
                "second_factor": _mfa_types(user),
            },
        )


def _mfa_types(user: Any) -> list[str]:
    from allauth.mfa.models import Authenticator

    return sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))


def erase(user: Any) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from imas.accounts.models import KnownDevice, PersonalAccessToken

    PersonalAccessToken.objects.filter(user=user).delete()
    KnownDevice.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # Staff's admin history about this person names them (object_repr is their email).
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_id=str(user.pk)
    ).delete()


register("accounts", parts=("profile", "settings"), exporter=export, eraser=erase)
