"""Writes of who sees what: follow requests and approvals, removing followers, blocks,
sharing settings, per-activity sharing options and privacy zones.

Each service takes keyword-only arguments, checks its input (SharingInvalid names the field
and says what is wrong) and writes in one transaction.
"""

from __future__ import annotations

import math
import secrets
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imas.sharing.models import (
    ActivitySharing,
    Block,
    Follow,
    FollowStatus,
    PrivacyZone,
    ProfileVisibility,
    SharingSettings,
)
from imas.track.privacy import zone_draw

# Smaller zones hide too little to matter (and a fit through a few tracks would pin them);
# larger ones would swallow whole activities.
ZONE_MIN_RADIUS_M = 100.0
ZONE_MAX_RADIUS_M = 2000.0
ZONES_PER_PERSON = 20
HIDE_ENDS_MAX_M = 2000


class SharingInvalid(Exception):
    """Input a sharing service cannot use; `field` names it, `message` says what to do."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class PersonNotFound(Exception):
    """No such person, or one the caller may not reach (blocked): alike."""


def _person(person_id: Any) -> Any:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    try:
        return user_model.objects.get(pk=int(person_id), is_active=True)
    except (user_model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise PersonNotFound from None


# Row ids are 64-bit in every database IMAS runs on. A larger number names no one; filtering a
# foreign key by it would raise OverflowError in SQLite's driver instead of finding nothing.
_MAX_ROW_ID = 2**63 - 1


def _is_row_id(value: Any) -> bool:
    return isinstance(value, int) and 0 < value <= _MAX_ROW_ID


# --- following --------------------------------------------------------------------------------


@transaction.atomic
def follow_request(*, follower: Any, followee_id: int) -> Follow:
    """Ask to follow someone; it takes effect when they approve. Asking again changes nothing.

    Someone who blocked the asker is answered as if they did not exist."""
    followee = _person(followee_id)
    if followee.pk == follower.pk:
        raise SharingInvalid("person", _("You cannot follow yourself."))
    if Block.objects.filter(blocker_id=followee.pk, blocked_id=follower.pk).exists():
        raise PersonNotFound
    if Block.objects.filter(blocker_id=follower.pk, blocked_id=followee.pk).exists():
        raise SharingInvalid("person", _("Unblock this person before following them."))
    follow, _created = Follow.objects.get_or_create(
        follower_id=follower.pk,
        followee_id=followee.pk,
        defaults={"status": FollowStatus.REQUESTED},
    )
    return follow


@transaction.atomic
def follow_approve(*, owner: Any, follower_id: int) -> Follow:
    """Approve a request to follow the owner."""
    if not _is_row_id(follower_id):
        raise PersonNotFound
    try:
        follow = Follow.objects.select_for_update().get(
            followee_id=owner.pk, follower_id=follower_id
        )
    except (Follow.DoesNotExist, ValueError):
        raise PersonNotFound from None
    if follow.status != FollowStatus.APPROVED:
        follow.status = FollowStatus.APPROVED
        follow.approved_at = timezone.now()
        follow.save(update_fields=["status", "approved_at"])
    return follow


@transaction.atomic
def follower_remove(*, owner: Any, follower_id: int) -> bool:
    """Remove a follower, or decline a request. True when there was one."""
    if not _is_row_id(follower_id):
        return False
    deleted, _rows = Follow.objects.filter(followee_id=owner.pk, follower_id=follower_id).delete()
    return deleted > 0


@transaction.atomic
def follow_cancel(*, follower: Any, followee_id: int) -> bool:
    """Stop following someone, or withdraw a request. True when there was one."""
    if not _is_row_id(followee_id):
        return False
    deleted, _rows = Follow.objects.filter(
        follower_id=follower.pk, followee_id=followee_id
    ).delete()
    return deleted > 0


@transaction.atomic
def block_create(*, blocker: Any, blocked_id: int) -> Block:
    """Block someone: every follow between the two goes, and the blocked person sees nothing
    of the blocker any more."""
    blocked = _person(blocked_id)
    if blocked.pk == blocker.pk:
        raise SharingInvalid("person", _("You cannot block yourself."))
    Follow.objects.filter(
        Q(follower_id=blocker.pk, followee_id=blocked.pk)
        | Q(follower_id=blocked.pk, followee_id=blocker.pk)
    ).delete()
    block, _created = Block.objects.get_or_create(blocker_id=blocker.pk, blocked_id=blocked.pk)
    return block


@transaction.atomic
def block_remove(*, blocker: Any, blocked_id: int) -> bool:
    if not _is_row_id(blocked_id):
        return False
    deleted, _rows = Block.objects.filter(blocker_id=blocker.pk, blocked_id=blocked_id).delete()
    return deleted > 0


# --- settings -----------------------------------------------------------------------------------


@transaction.atomic
def sharing_settings_update(
    *,
    user: Any,
    profile_visibility: str | None = None,
    profile_shows_activities: bool | None = None,
    profile_shows_totals: bool | None = None,
    profile_shows_follow_counts: bool | None = None,
    hide_ends_m: int | None = None,
) -> SharingSettings:
    row, _created = SharingSettings.objects.select_for_update().get_or_create(user_id=user.pk)
    if profile_visibility is not None:
        if profile_visibility not in ProfileVisibility.values:
            raise SharingInvalid(
                "profile_visibility",
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(ProfileVisibility.values)},
            )
        row.profile_visibility = profile_visibility
    if hide_ends_m is not None:
        if isinstance(hide_ends_m, bool) or not 0 <= int(hide_ends_m) <= HIDE_ENDS_MAX_M:
            raise SharingInvalid(
                "hide_ends_m",
                _("Give a whole number of metres from 0 to %(max)d.") % {"max": HIDE_ENDS_MAX_M},
            )
        row.hide_ends_m = int(hide_ends_m)
    for name, value in (
        ("profile_shows_activities", profile_shows_activities),
        ("profile_shows_totals", profile_shows_totals),
        ("profile_shows_follow_counts", profile_shows_follow_counts),
    ):
        if value is not None:
            setattr(row, name, bool(value))
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def activity_sharing_update(
    *, activity: Any, hide_map: bool | None = None, show_heartrate: bool | None = None
) -> ActivitySharing:
    """Change an activity's sharing options; the caller has checked that it is the owner's."""
    row, _created = ActivitySharing.objects.select_for_update().get_or_create(
        activity_id=activity.pk
    )
    if hide_map is not None:
        row.hide_map = bool(hide_map)
    if show_heartrate is not None:
        row.show_heartrate = bool(show_heartrate)
    row.save()
    return row


# --- privacy zones ------------------------------------------------------------------------------


def _number(field: str, value: Any, low: float, high: float, unit: str = "") -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or not low <= number <= high:
        raise SharingInvalid(
            field,
            _("%(field)s must be a number from %(low)s to %(high)s%(unit)s.")
            % {"field": field, "low": f"{low:g}", "high": f"{high:g}", "unit": unit},
        )
    return number


@transaction.atomic
def privacy_zone_create(
    *, owner: Any, lat: Any, lon: Any, radius_m: Any, name: str = "", rng: Any = None
) -> PrivacyZone:
    """A new zone. Its hidden circle is drawn here, once, from the operating system's random
    source (a test may pass a seeded numpy Generator), and never changes afterwards."""
    lat_f = _number("lat", lat, -90.0, 90.0)
    lon_f = _number("lon", lon, -180.0, 180.0)
    radius_f = _number("radius_m", radius_m, ZONE_MIN_RADIUS_M, ZONE_MAX_RADIUS_M, " m")
    name = (name or "").strip()
    if len(name) > 80:
        raise SharingInvalid("name", _("Keep the name to 80 characters."))
    # Serialise zone creation per person so the limit holds under concurrent requests.
    from django.contrib.auth import get_user_model

    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    if PrivacyZone.objects.filter(owner_id=owner.pk).count() >= ZONES_PER_PERSON:
        raise SharingInvalid(
            None, _("You have %(n)d zones, the most IMAS keeps.") % {"n": ZONES_PER_PERSON}
        )
    generator = rng if rng is not None else np.random.default_rng(secrets.randbits(128))
    hidden = zone_draw(lat_f, lon_f, radius_f, generator)
    return PrivacyZone.objects.create(
        owner_id=owner.pk,
        name=name,
        lat=lat_f,
        lon=lon_f,
        radius_m=radius_f,
        hidden_lat=hidden.lat,
        hidden_lon=hidden.lon,
        hidden_radius_m=hidden.radius_m,
    )


@transaction.atomic
def privacy_zone_delete(*, owner: Any, zone_id: int) -> bool:
    deleted, _rows = PrivacyZone.objects.filter(owner_id=owner.pk, pk=zone_id).delete()
    return deleted > 0
