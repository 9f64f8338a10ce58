"""Reads of who sees what: the access policy for activities, follow relationships, profiles.

`activity_visible_q` is the policy as a query (imas.activities.selectors.activity_visible_q
delegates to it, so every list, page, API answer and leaderboard applies the same rule) and
`activity_visible_to` the same policy for one activity in hand:
- the owner always sees their activity;
- a public one: anyone, signed in or not, except people the owner blocked;
- a followers one: the owner's approved followers, except people the owner blocked;
- a private one: the owner only.
`profile_get_for_viewer` is the one access function for profile pages; like the others it
answers alike for a missing and a forbidden id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from imas.sharing.models import (
    Block,
    Follow,
    FollowStatus,
    ProfileVisibility,
    SharingSettings,
)

PUBLIC = "public"
FOLLOWERS = "followers"


def viewer_id_of(viewer: Any) -> int | None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return int(viewer.pk)


def _followed_ids(viewer_id: int) -> QuerySet[Follow, Any]:
    return Follow.objects.filter(follower_id=viewer_id, status=FollowStatus.APPROVED).values(
        "followee_id"
    )


def _blockers_of(viewer_id: int) -> QuerySet[Block, Any]:
    return Block.objects.filter(blocked_id=viewer_id).values("blocker_id")


def activity_visible_q(viewer: Any) -> Q:
    """Activities the viewer may see, as a filter on Activity (see the module docstring)."""
    viewer_id = viewer_id_of(viewer)
    if viewer_id is None:
        return Q(visibility=PUBLIC)
    shared = Q(visibility=PUBLIC) | Q(visibility=FOLLOWERS, owner_id__in=_followed_ids(viewer_id))
    return Q(owner_id=viewer_id) | (shared & ~Q(owner_id__in=_blockers_of(viewer_id)))


def is_blocked(*, blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def follows(follower_id: int, followee_id: int) -> bool:
    """True when follower is an approved follower of followee."""
    return Follow.objects.filter(
        follower_id=follower_id, followee_id=followee_id, status=FollowStatus.APPROVED
    ).exists()


def activity_visible_to(viewer: Any, activity: Any) -> bool:
    """The access policy for one activity (the same rule as activity_visible_q)."""
    viewer_id = viewer_id_of(viewer)
    owner_id = int(activity.owner_id)
    if viewer_id == owner_id:
        return True
    if activity.visibility not in (PUBLIC, FOLLOWERS):
        return False
    if viewer_id is None:
        return bool(activity.visibility == PUBLIC)
    if is_blocked(blocker_id=owner_id, blocked_id=viewer_id):
        return False
    return activity.visibility == PUBLIC or follows(viewer_id, owner_id)


def follow_state(viewer: Any, person_id: int) -> str:
    """'self', 'none', 'requested', 'approved' or 'blocked' (the viewer blocked the person)."""
    viewer_id = viewer_id_of(viewer)
    if viewer_id is None:
        return "none"
    if viewer_id == person_id:
        return "self"
    if is_blocked(blocker_id=viewer_id, blocked_id=person_id):
        return "blocked"
    status = (
        Follow.objects.filter(follower_id=viewer_id, followee_id=person_id)
        .values_list("status", flat=True)
        .first()
    )
    return str(status) if status else "none"


def followers_of(user: Any, *, status: str = FollowStatus.APPROVED) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(followee_id=user.pk, status=status)
        .select_related("follower")
        .order_by("-created_at", "-id")
    )


def following_of(user: Any) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(follower_id=user.pk)
        .select_related("followee")
        .order_by("-created_at", "-id")
    )


def blocks_of(user: Any) -> QuerySet[Block]:
    return Block.objects.filter(blocker_id=user.pk).select_related("blocked").order_by("-id")


def settings_of(user_id: int) -> SharingSettings:
    """The person's sharing settings (the defaults when none were saved)."""
    try:
        return SharingSettings.objects.get(user_id=user_id)
    except SharingSettings.DoesNotExist:
        return SharingSettings(user_id=user_id)


class ProfileNotFound(Exception):
    """No such person, or one whose profile the viewer may not see (alike)."""


@dataclass(frozen=True)
class ProfileView:
    """A profile as one viewer may see it."""

    person: Any
    settings: SharingSettings
    is_self: bool
    follow_state: str


def profile_get_for_viewer(viewer: Any, person_id: int) -> ProfileView:
    """The person's profile if the viewer may see it; ProfileNotFound alike otherwise."""
    user_model = get_user_model()
    try:
        person = user_model.objects.get(pk=person_id, is_active=True)
    except (user_model.DoesNotExist, ValueError, OverflowError):
        raise ProfileNotFound from None
    viewer_id = viewer_id_of(viewer)
    chosen = settings_of(int(person.pk))
    state = follow_state(viewer, int(person.pk))
    if viewer_id == person.pk:
        return ProfileView(person, chosen, True, state)
    if viewer_id is not None and is_blocked(blocker_id=int(person.pk), blocked_id=viewer_id):
        raise ProfileNotFound
    if chosen.profile_visibility == ProfileVisibility.PUBLIC:
        return ProfileView(person, chosen, False, state)
    if (
        chosen.profile_visibility == ProfileVisibility.FOLLOWERS
        and viewer_id is not None
        and follows(viewer_id, int(person.pk))
    ):
        return ProfileView(person, chosen, False, state)
    raise ProfileNotFound


def profile_activities(view: ProfileView, viewer: Any) -> QuerySet[Any]:
    """The person's activities that the viewer may see, newest first (for the profile page)."""
    from imas.activities.models import Activity

    return (
        Activity.objects.filter(owner_id=view.person.pk)
        .filter(activity_visible_q(viewer))
        .defer("analysis", "description")
        .order_by("-start_time", "-id")
    )


def follow_requests_count(user: Any) -> int:
    return Follow.objects.filter(followee_id=user.pk, status=FollowStatus.REQUESTED).count()
