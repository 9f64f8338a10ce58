"""Policy versions: staff publish a new privacy policy or terms of use; everyone is told.

Publishing fixes the text (its hash), checks the effective date, and queues the mailing: a
background job that emails every active person in batches. Each sending is a PolicyMailing row
committed before the message goes out, so a mailing restarted after a crash (or a redelivered
task) never sends anyone the same notice twice.
"""

from __future__ import annotations

import logging
from typing import Any

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from imas.privacy.models import PolicyKind, PolicyMailing, PolicyVersion, text_hash

logger = logging.getLogger(__name__)

MAILING_BATCH = 200  # people per batch; each batch is one query for whom to send next


def policy_html(text: str) -> str:
    """Markdown to HTML, cleaned so that even a careless edit cannot inject script."""
    return nh3.clean(markdown.markdown(text, extensions=["sane_lists"]))


def policy_validate(policy: PolicyVersion) -> None:
    """The checks staff see in the admin: a text, a summary of the change, a date to come."""
    errors: dict[str, str] = {}
    if not policy.text.strip():
        errors["text"] = _("Write the text of this version.")
    if not policy.change_summary.strip():
        errors["change_summary"] = _("Say in a few words what changed, for the people told.")
    if policy.effective_on is None:
        errors["effective_on"] = _("Give the date from which this version applies.")
    elif policy.effective_on < timezone.localdate():
        errors["effective_on"] = _("The effective date cannot be in the past.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_publish(*, policy: PolicyVersion) -> PolicyVersion:
    """Publish a draft: from now on its text never changes; the mailing starts after commit."""
    if policy.published_at is not None:
        raise ValidationError(_("This version is already published."))
    policy_validate(policy)
    policy.published_at = timezone.now()
    policy.text_hash = text_hash(policy.text)
    policy.save()
    from imas.privacy.tasks import policy_mailing_task

    policy_id = policy.pk
    transaction.on_commit(lambda: policy_mailing_task.delay(policy_id), robust=True)
    return policy


def _base_url() -> str:
    return str(getattr(settings, "IMAS_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _recipients_after(policy: PolicyVersion, after_id: int) -> list[Any]:
    from imas.accounts.models import User

    already = PolicyMailing.objects.filter(policy_version=policy).values("user_id")
    return list(
        User.objects.filter(is_active=True, pk__gt=after_id)
        .exclude(pk__in=already)
        .order_by("pk")[:MAILING_BATCH]
    )


def policy_mailing_run(*, policy_id: int) -> int:
    """Email every active person about a published version; returns how many were sent now.

    Resumable: people with a PolicyMailing row for this version are skipped, whatever
    happened to the run that wrote it.
    """
    policy = PolicyVersion.objects.filter(pk=policy_id, published_at__isnull=False).first()
    if policy is None:
        return 0
    sent = 0
    after = 0
    while batch := _recipients_after(policy, after):
        for person in batch:
            after = person.pk
            if _send_one(policy, person):
                sent += 1
    return sent


def _send_one(policy: PolicyVersion, person: Any) -> bool:
    try:
        with transaction.atomic():
            mailing = PolicyMailing.objects.create(policy_version=policy, user=person)
    except IntegrityError:
        return False  # another run claimed this person first
    context = {
        "user": person,
        "policy": policy,
        "kind": PolicyKind(policy.kind).label,
        "url": f"{_base_url()}/privacy/",
        "site_name": settings.IMAS_SITE_NAME,
    }
    subject = render_to_string("privacy/email/policy_subject.txt", context).strip()
    body = render_to_string("privacy/email/policy_message.txt", context)
    try:
        send_mail(subject, body, None, [person.email])
    except Exception:
        # Released so that a later run tries again; logged without the address.
        PolicyMailing.objects.filter(pk=mailing.pk).delete()
        logger.exception("policy notice to user %s failed", person.pk)
        return False
    PolicyMailing.objects.filter(pk=mailing.pk).update(sent_at=timezone.now())
    return True
