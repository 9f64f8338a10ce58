"""People who use IMAS, their personal access tokens and the devices they sign in from."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imas.accounts import validators


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    ANOTHER = "another", _("Another gender")
    UNDISCLOSED = "prefer_not_to_say", _("Prefer not to say")


class ActivityType(models.TextChoices):
    RUNNING = "running", _("Running")
    WALKING = "walking", _("Walking")
    CYCLING = "cycling", _("Cycling")
    SWIMMING = "swimming", _("Swimming")
    HIKING = "hiking", _("Hiking")
    GYM = "gym", _("Gym")
    OTHER = "other", _("Other")


class Units(models.TextChoices):
    METRIC = "metric", _("Metric (km, kg, cm)")
    IMPERIAL = "imperial", _("Imperial (mi, lb, ft)")


def normalize_email(email: str) -> str:
    """One spelling per address: IMAS treats the whole address case-insensitively."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an IMAS account; signs in with email and password.

    Body fields (birthday, height, weight, gender) are optional at the database level because a
    script may create an account without them; the sign-up form requires them. Whether they may
    be used in calculations is a consent, recorded by imas.privacy, not a flag here.
    """

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150)
    birthday = models.DateField(
        _("birthday"), null=True, blank=True, validators=[validators.validate_birthday]
    )
    height_cm = models.FloatField(
        _("height (cm)"), null=True, blank=True, validators=[validators.validate_height_cm]
    )
    weight_kg = models.FloatField(
        _("weight (kg)"), null=True, blank=True, validators=[validators.validate_weight_kg]
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    activity_type = models.CharField(
        _("main activity"), max_length=20, choices=ActivityType.choices, blank=True
    )
    units = models.CharField(_("units"), max_length=10, choices=Units.choices, default="metric")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validators.validate_time_zone]
    )
    resting_hr = models.PositiveSmallIntegerField(
        _("resting heart rate (bpm)"),
        null=True,
        blank=True,
        validators=[validators.validate_resting_hr],
    )
    max_hr = models.PositiveSmallIntegerField(
        _("maximum heart rate (bpm)"),
        null=True,
        blank=True,
        validators=[validators.validate_max_hr],
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        self.email = normalize_email(self.email)
        if self.resting_hr and self.max_hr and self.resting_hr >= self.max_hr:
            raise ValidationError(
                {"max_hr": _("Maximum heart rate must be above the resting heart rate.")}
            )

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


def user_display(user: User) -> str:
    """How pages and messages name a person (allauth's ACCOUNT_USER_DISPLAY)."""
    return user.name or user.email


TOKEN_PREFIX = "imas_pat_"  # noqa: S105  (a public prefix that makes leaked tokens findable)


def token_hash(token: str) -> str:
    """The stored form of a personal access token: a token is random, so sha256 suffices."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class PersonalAccessToken(models.Model):
    """A secret that lets a script act as its owner through `Authorization: Bearer`.

    Only the sha256 of the token is stored; the token itself is shown once, when created.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=20, editable=False, help_text=_("Start of the token."))
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal access token")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class KnownDevice(models.Model):
    """A browser a person has signed in from, so that a sign-in from a new one is notified.

    Only a hash of the browser's user agent is kept, plus a short label to show the person.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="devices")
    fingerprint = models.CharField(max_length=64)
    label = models.CharField(max_length=120, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "fingerprint"], name="accounts_device_unique")
        ]

    def __str__(self) -> str:
        return self.label or self.fingerprint[:12]
