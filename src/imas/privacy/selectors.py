"""Reads of policy versions and consent."""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from imas.accounts.models import User
from imas.privacy.first_policy import FIRST_POLICY_TEXT, FIRST_POLICY_VERSION
from imas.privacy.models import (
    ACCEPTANCE_PURPOSES,
    ConsentRecord,
    Disclosure,
    ExportJob,
    PolicyKind,
    PolicyVersion,
    Purpose,
)


def policy_current() -> PolicyVersion:
    """The privacy policy in force: the newest published version whose effective date has come.

    A data migration publishes version 1; should the table have been emptied (a test database
    flush, a botched restore), version 1 is published again rather than failing every sign-up.
    """
    policy = policy_in_force(PolicyKind.PRIVACY_POLICY)
    if policy is None:
        policy, _ = PolicyVersion.objects.get_or_create(
            version=FIRST_POLICY_VERSION, defaults={"text": FIRST_POLICY_TEXT}
        )
    return policy


def policy_in_force(kind: str) -> PolicyVersion | None:
    """The published version of `kind` in force today; None when none was ever published."""
    today = timezone.localdate()
    return (
        PolicyVersion.objects.filter(kind=kind, published_at__isnull=False)
        .filter(Q(effective_on__isnull=True) | Q(effective_on__lte=today))
        .order_by(F("effective_on").desc(nulls_last=True), "-published_at", "-id")
        .first()
    )


def policies_in_force() -> list[PolicyVersion]:
    """The privacy policy and, when staff have published one, the terms of use in force."""
    found = [policy_current()]
    terms = policy_in_force(PolicyKind.TERMS_OF_USE)
    if terms is not None:
        found.append(terms)
    return found


def policies_upcoming() -> QuerySet[PolicyVersion]:
    """Published versions whose effective date is still to come."""
    return PolicyVersion.objects.filter(
        published_at__isnull=False, effective_on__gt=timezone.localdate()
    ).order_by("effective_on", "id")


def policy_history(kind: str) -> QuerySet[PolicyVersion]:
    """Every published version of `kind`, newest first (the public page lists them)."""
    return (
        PolicyVersion.objects.filter(kind=kind, published_at__isnull=False)
        .filter(Q(effective_on__isnull=True) | Q(effective_on__lte=timezone.localdate()))
        .order_by(F("effective_on").desc(nulls_last=True), "-published_at", "-id")
    )


def policies_to_accept(user: User) -> list[PolicyVersion]:
    """The versions in force that the person has not accepted yet (the sign-in gate)."""
    accepted = set(
        ConsentRecord.objects.filter(
            user=user, purpose__in=ACCEPTANCE_PURPOSES, granted=True
        ).values_list("policy_version_id", flat=True)
    )
    return [policy for policy in policies_in_force() if policy.pk not in accepted]


def consent_states(user: User) -> dict[str, bool]:
    """The latest decision per purpose; a purpose never decided is absent."""
    states: dict[str, bool] = {}
    for record in ConsentRecord.objects.filter(user=user).order_by("-created_at", "-id"):
        states.setdefault(record.purpose, record.granted)
    return states


def consent_given(user: User, purpose: str) -> bool:
    """True only when the person's latest decision about `purpose` is a grant."""
    latest = (
        ConsentRecord.objects.filter(user=user, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    return bool(latest and latest.granted)


def consent_is_granted(user: User, purpose: str) -> bool:
    """The ledger's current state for one purpose: its latest row is a grant."""
    return consent_given(user, purpose)


def health_data_allowed(user: User) -> bool:
    """Whether heart rate may be analysed and shown to its owner.

    Sign-up does not ask about health data yet, so a person who never decided keeps the
    heart-rate analysis they had; withdrawing (or a latest decision of "no") removes it.
    """
    states = consent_states(user)
    return states.get(Purpose.HEALTH_DATA, True)


def body_data_allowed(user: User) -> bool:
    """Whether birthday, height, weight and gender may be used in calculations."""
    return consent_given(user, Purpose.BODY_DATA)


def consent_history(user: User) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).select_related("policy_version")


def disclosures_of(user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(user=user).order_by("-created_at", "-id")


def export_get_for_owner(user: Any, export_id: int) -> ExportJob:
    """The person's own export; ExportJob.DoesNotExist alike for missing and someone else's."""
    if user is None or not user.is_authenticated:
        raise ExportJob.DoesNotExist
    return ExportJob.objects.get(pk=export_id, user_id=user.pk, for_disclosure=False)


def exports_of(user: User) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(user=user, for_disclosure=False).order_by("-created_at", "-id")


def consenting_user_ids(purpose: str) -> QuerySet[Any, int]:
    """Ids of the people whose latest decision about `purpose` is a grant (one query), e.g.
    who may be counted in aggregate usage trends: `.filter(owner_id__in=...)`."""
    latest = ConsentRecord.objects.filter(user_id=OuterRef("user_id"), purpose=purpose).order_by(
        "-created_at", "-id"
    )
    return (
        ConsentRecord.objects.filter(purpose=purpose)
        .annotate(latest_id=Subquery(latest.values("id")[:1]))
        .filter(id=F("latest_id"), granted=True)
        .values_list("user_id", flat=True)
    )
