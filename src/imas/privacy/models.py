"""Privacy policy versions and the consent record.

ConsentRecord is append-only: a change of mind is a new row, never an edit, so the history of
what a person agreed to, under which text, and how, stays complete. The privacy app grows this
into the full ledger (withdrawal flows, disclosures, export, erasure).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PolicyVersion(models.Model):
    """One published version of the privacy policy (Markdown). The newest one is current."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    text = models.TextField(_("text (Markdown)"))
    text_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = _("privacy policy version")

    def __str__(self) -> str:
        return self.version

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The hash always matches the text, so a record can prove which words were agreed to.
        self.text_hash = text_hash(self.text)
        super().save(*args, **kwargs)


class Purpose(models.TextChoices):
    PRIVACY_POLICY = "privacy_policy", _("Accept the privacy policy")
    BODY_DATA = "body_data", _("Use birthday, height, weight and gender in calculations")
    HEALTH_DATA = "health_data", _("Use heart-rate data in calculations")


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    ADMIN = "admin", _("Staff")


class ConsentRecord(models.Model):
    """One decision by one person about one purpose, under one policy version."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    granted = models.BooleanField()
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    text_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]
        verbose_name = _("consent record")

    def __str__(self) -> str:
        state = "granted" if self.granted else "withdrawn"
        return f"{self.user_id} {self.purpose} {state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Consent records are append-only.")
        super().save(*args, **kwargs)
