"""The sharing app's part of a person's export and erasure (registered with imas.privacy).

Export: whom they follow and who follows them (names and states), whom they blocked, their
sharing settings, their activities' sharing options, and their privacy zones as they drew them.
The hidden circles are left out on purpose: an export may be passed on, and the secret offset
must stay secret. Erasure: every row of theirs, in both directions of follows and blocks.
"""

from __future__ import annotations

from typing import Any

PARTS = ("sharing",)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def sharing_export(user: Any, writer: Any) -> None:
    from imas.sharing.models import ActivitySharing, Block, Follow, PrivacyZone, SharingSettings

    if not writer.wants("sharing"):
        return
    settings_row = SharingSettings.objects.filter(user_id=user.pk).first()
    writer.json(
        "sharing/sharing.json",
        {
            "settings": None
            if settings_row is None
            else {
                "profile_visibility": settings_row.profile_visibility,
                "profile_shows_activities": settings_row.profile_shows_activities,
                "profile_shows_totals": settings_row.profile_shows_totals,
                "profile_shows_follow_counts": settings_row.profile_shows_follow_counts,
                "hide_ends_m": settings_row.hide_ends_m,
            },
            "following": [
                {"person": f.followee.name, "status": f.status, "since": _plain(f.created_at)}
                for f in Follow.objects.filter(follower_id=user.pk).select_related("followee")
            ],
            "followers": [
                {"person": f.follower.name, "status": f.status, "since": _plain(f.created_at)}
                for f in Follow.objects.filter(followee_id=user.pk).select_related("follower")
            ],
            "blocked": [
                {"person": b.blocked.name, "since": _plain(b.created_at)}
                for b in Block.objects.filter(blocker_id=user.pk).select_related("blocked")
            ],
            "activity_sharing": [
                {
                    "activity_id": s.activity_id,
                    "hide_map": s.hide_map,
                    "show_heartrate": s.show_heartrate,
                }
                for s in ActivitySharing.objects.filter(activity__owner_id=user.pk)
            ],
            "privacy_zones": [
                {
                    "name": z.name,
                    "lat": z.lat,
                    "lon": z.lon,
                    "radius_m": z.radius_m,
                    "created_at": _plain(z.created_at),
                }
                for z in PrivacyZone.objects.filter(owner_id=user.pk)
            ],
        },
    )


def sharing_erase(user: Any) -> None:
    from django.db.models import Q

    from imas.sharing.models import ActivitySharing, Block, Follow, PrivacyZone, SharingSettings

    Follow.objects.filter(Q(follower_id=user.pk) | Q(followee_id=user.pk)).delete()
    Block.objects.filter(Q(blocker_id=user.pk) | Q(blocked_id=user.pk)).delete()
    ActivitySharing.objects.filter(activity__owner_id=user.pk).delete()
    PrivacyZone.objects.filter(owner_id=user.pk).delete()
    SharingSettings.objects.filter(user_id=user.pk).delete()


def _register() -> None:
    try:
        from imas.privacy.registry import register
    except ImportError:  # a platform without the privacy app
        return
    register("sharing", parts=PARTS, exporter=sharing_export, eraser=sharing_erase)


_register()
