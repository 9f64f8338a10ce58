"""Privacy policy versions and the consent record.

ConsentRecord is append-only: a change of mind is a new row, never an edit, so the history of
what a person agreed to, under which text, and how, stays complete. Database triggers (migration
0003) refuse UPDATE always and DELETE while the person's account exists; erasing the account is
the one way rows go (see imas.privacy.ledger_guard for how erasure is let through).

Also here: the disclosure ledger (every time a person's data goes to someone else, and why),
the record of policy-change emails (so a restarted mailing never sends twice) and export jobs.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PolicyKind(models.TextChoices):
    PRIVACY_POLICY = "privacy_policy", _("Privacy policy")
    TERMS_OF_USE = "terms_of_use", _("Terms of use")


class PolicyVersion(models.Model):
    """One version of the privacy policy or the terms of use (Markdown).

    Staff write a draft (published_at empty) and publish it; once published the text never
    changes. The version in force is the newest published one whose effective date has come.
    """

    kind = models.CharField(
        _("kind"), max_length=20, choices=PolicyKind.choices, default=PolicyKind.PRIVACY_POLICY
    )
    version = models.CharField(_("version"), max_length=20, unique=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, default=timezone.now)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    change_summary = models.TextField(_("what changed"), blank=True)
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
        if self.published_at is not None and self.effective_on is None:
            # Published without a date: in force from its publication.
            self.effective_on = timezone.localdate(self.published_at)
        super().save(*args, **kwargs)


class Purpose(models.TextChoices):
    PRIVACY_POLICY = "privacy_policy", _("Accept the privacy policy")
    TERMS_OF_USE = "terms_of_use", _("Accept the terms of use")
    BODY_DATA = "body_data", _("Use birthday, height, weight and gender in calculations")
    HEALTH_DATA = "health_data", _("Use heart-rate data in calculations")
    AGGREGATE_ANALYTICS = "aggregate_analytics", _("Be counted in anonymous usage trends")
    STRAVA = "strava", _("Exchange data with Strava")
    GARMIN = "garmin", _("Exchange data with Garmin Connect")


# Purposes that accept a document rather than allow a use of data.
ACCEPTANCE_PURPOSES = (Purpose.PRIVACY_POLICY, Purpose.TERMS_OF_USE)
# One purpose per third party a person can connect (the connections app records these).
THIRD_PARTY_PURPOSES = (Purpose.STRAVA, Purpose.GARMIN)


class Channel(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    SIGNUP = "signup", _("Sign-up")
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


class DisclosureBasis(models.TextChoices):
    CONSENT = "consent", _("The person's consent")
    REQUEST = "request", _("The person's request")
    LEGAL = "legal_obligation", _("Legal obligation")


class Disclosure(models.Model):
    """Personal data of one person given to someone else, with the basis that allowed it.

    Written by `disclosure_record` (other apps call it when they send data to a third party)
    and by staff in the admin for a legal order. The person sees every row of their own.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="disclosures")
    recipient = models.CharField(_("recipient"), max_length=200)
    basis = models.CharField(_("basis"), max_length=20, choices=DisclosureBasis.choices)
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("e.g. the court order number")
    )
    scope = models.TextField(_("scope"), help_text=_("which data, which period"))
    scope_parts = models.JSONField(
        _("parts exported"), default=list, blank=True, help_text=_("export parts, e.g. profile")
    )
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    person_told_at = models.DateTimeField(null=True, blank=True)
    not_told_reason = models.TextField(
        _("why the person is not told"),
        blank=True,
        help_text=_("Empty: email the person. Filled: why the law forbids it."),
    )
    export = models.ForeignKey(
        "privacy.ExportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("disclosure")

    def __str__(self) -> str:
        return f"{self.recipient} ({self.basis})"


class PolicyMailing(models.Model):
    """One email telling one person about one new policy version.

    The row is committed before the email goes out (the claim) and gets sent_at after, so a
    mailing restarted after a crash never sends to anyone twice: a claimed row is skipped
    even when its sent_at is missing (at most once; such rows are logged).
    """

    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy_version", "user"], name="policy_mailing_once")
        ]

    def __str__(self) -> str:
        return f"{self.policy_version_id} -> {self.user_id}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A zip of everything IMAS holds about a person, built by the worker.

    `parts` empty means everything (the person's own export); a legal disclosure names the
    parts in scope. The file lives in the default storage under exports/ and is offered for
    7 days to its owner, signed in.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="exports")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default="queued")
    parts = models.JSONField(default=list, blank=True)
    for_disclosure = models.BooleanField(default=False)
    progress = models.PositiveSmallIntegerField(default=0, help_text="percent")
    file_name = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"
