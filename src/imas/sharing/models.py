"""Who sees what (issue 7): follow relationships, blocks, per-activity sharing options, each
person's sharing settings, and privacy zones.

Writes go through `imas.sharing.services`, reads through `imas.sharing.selectors` and
`imas.sharing.zones`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class FollowStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")


class Follow(models.Model):
    """One person following another. Following needs the other person's approval: a row starts
    as a request and becomes approved when the followed person says yes. Removing a follower
    or declining a request deletes the row."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_rows"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_rows"
    )
    status = models.CharField(
        max_length=12, choices=FollowStatus.choices, default=FollowStatus.REQUESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followee", "status"], name="follow_followee_status")]

    def __str__(self) -> str:
        return f"{self.follower_id} -> {self.followee_id} ({self.status})"


class Block(models.Model):
    """One person blocking another: the blocked person no longer sees anything of the blocker
    (not even public activities), cannot follow them, and any follow between them is gone."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class ProfileVisibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    FOLLOWERS = "followers", _("Followers")
    PUBLIC = "public", _("Everyone")


class SharingSettings(models.Model):
    """A person's sharing choices: who sees their profile page and what it shows, and how
    many metres at each end of every activity are hidden from others. A person without a row
    has the defaults (private profile, no hidden ends)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sharing_settings",
    )
    profile_visibility = models.CharField(
        _("who sees your profile"),
        max_length=12,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.PRIVATE,
    )
    profile_shows_activities = models.BooleanField(
        _("list the activities the visitor may see"), default=True
    )
    profile_shows_totals = models.BooleanField(
        _("show how many activities and kilometres"), default=False
    )
    profile_shows_follow_counts = models.BooleanField(
        _("show how many followers you have"), default=False
    )
    hide_ends_m = models.PositiveIntegerField(
        _("hide the first and last metres of every activity"), default=0
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"sharing settings of {self.user_id}"


class ActivitySharing(models.Model):
    """Per-activity sharing options beside the activity's visibility: the map can be hidden
    from others, and heart rate (health data, hidden from others by default) can be shown.
    An activity without a row has the defaults."""

    activity = models.OneToOneField(
        "activities.Activity",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sharing",
    )
    hide_map = models.BooleanField(_("hide the map from others"), default=False)
    show_heartrate = models.BooleanField(_("show heart rate to others"), default=False)

    def __str__(self) -> str:
        return f"sharing of activity {self.activity_id}"


class PrivacyZone(models.Model):
    """A circle the person drew around a place to keep secret (home, work).

    `lat`, `lon`, `radius_m` are what the person asked for, shown only to them. The hidden
    circle (`hidden_*`) is drawn once at creation by imas.track.privacy.zone_draw: its centre
    is the asked centre moved by a secret random offset and its radius is enlarged so that it
    covers the whole asked circle. Only the hidden circle is used to hide points, and it is
    never shown, exported or sent to anyone.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_zones"
    )
    name = models.CharField(_("name"), max_length=80, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    radius_m = models.FloatField(_("radius (m)"))
    hidden_lat = models.FloatField(editable=False)
    hidden_lon = models.FloatField(editable=False)
    hidden_radius_m = models.FloatField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner"], name="privacyzone_owner")]

    def __str__(self) -> str:
        return f"privacy zone {self.pk} of {self.user_label}"

    @property
    def user_label(self) -> str:
        return str(self.owner_id)
