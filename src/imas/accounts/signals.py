"""A security notice when someone signs in from a browser the account has not used before."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import get_adapter
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from imas.accounts.models import User
from imas.accounts.services import device_seen

logger = logging.getLogger(__name__)


@receiver(user_logged_in, dispatch_uid="imas_new_device_notice")
def notify_new_device(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None:
        return
    user_agent = request.headers.get("User-Agent", "")[:500]
    if device_seen(user=user, user_agent=user_agent):
        try:
            get_adapter(request).send_notification_mail("account/email/new_device", user)
        except Exception:  # a mail server outage must not block the sign-in itself
            logger.exception("could not send the new-device notice to user %s", user.pk)
