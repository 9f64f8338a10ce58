"""The disclosure ledger: personal data goes to someone else only with a recorded basis.

`disclosure_record` is what other apps call when they send a person's data to a third party
(a push to Strava at the person's request, a public activity by consent). Staff record a legal
disclosure in the admin, which also produces the scoped export for the recipient. The person is
emailed about each disclosure unless the record says why not (a court may forbid telling).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from imas.privacy.models import Disclosure, DisclosureBasis


def disclosure_record(
    *,
    user: Any,
    recipient: str,
    basis: str,
    scope: str,
    reference: str = "",
    recorded_by: Any = None,
    not_told_reason: str = "",
    scope_parts: list[str] | None = None,
    produce_export: bool = False,
) -> Disclosure:
    """Write one disclosure; after commit, tell the person (unless `not_told_reason`) and,
    with `produce_export`, build the export of `scope_parts` for the recipient."""
    from imas.privacy.registry import all_parts

    recipient, scope = recipient.strip(), scope.strip()
    if not recipient:
        raise ValidationError({"recipient": _("Name who receives the data.")})
    if basis not in DisclosureBasis.values:
        raise ValidationError({"basis": _("Choose consent, request or legal obligation.")})
    if not scope:
        raise ValidationError({"scope": _("Say which data is disclosed.")})
    if basis == DisclosureBasis.LEGAL and not reference.strip():
        raise ValidationError({"reference": _("A legal disclosure needs the order's reference.")})
    parts = list(scope_parts or [])
    unknown = sorted(set(parts) - set(all_parts()))
    if unknown:
        raise ValidationError({"scope_parts": _("Unknown parts: %s.") % ", ".join(unknown)})
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            user=user,
            recipient=recipient[:200],
            basis=basis,
            reference=reference.strip()[:200],
            scope=scope,
            scope_parts=parts,
            recorded_by=recorded_by,
            recorded_by_name=(getattr(recorded_by, "email", "") or "")[:200],
            not_told_reason=not_told_reason.strip(),
        )
        if produce_export:
            from imas.privacy.exports import export_request

            job = export_request(user=user, parts=parts or None, for_disclosure=True)
            Disclosure.objects.filter(pk=disclosure.pk).update(export=job)
            disclosure.export = job
        if not disclosure.not_told_reason:
            disclosure_id = disclosure.pk
            transaction.on_commit(lambda: disclosure_tell(disclosure_id=disclosure_id), robust=True)
    return disclosure


def disclosure_tell(*, disclosure_id: int) -> bool:
    """Email the person about a disclosure once; True when this call sent it."""
    claimed = Disclosure.objects.filter(
        pk=disclosure_id, person_told_at__isnull=True, not_told_reason=""
    ).update(person_told_at=timezone.now())
    if not claimed:
        return False
    disclosure = Disclosure.objects.select_related("user").get(pk=disclosure_id)
    context = {
        "user": disclosure.user,
        "disclosure": disclosure,
        "basis": DisclosureBasis(disclosure.basis).label,
        "url": f"{getattr(settings, 'IMAS_BASE_URL', 'http://127.0.0.1:8000').rstrip('/')}"
        "/privacy/disclosures/",
        "site_name": settings.IMAS_SITE_NAME,
    }
    subject = render_to_string("privacy/email/disclosure_subject.txt", context).strip()
    body = render_to_string("privacy/email/disclosure_message.txt", context)
    try:
        send_mail(subject, body, None, [disclosure.user.email])
    except Exception:
        Disclosure.objects.filter(pk=disclosure_id).update(person_told_at=None)
        raise
    return True
