"""Erasure: a person deletes their account and everything in it.

The person confirms with their password. Then, in one transaction, every app's registered
eraser removes its rows and files of the person, the person's sessions and tokens are deleted
(so every signed-in browser and script stops working at once), and finally the user row itself
goes, taking whatever still points at it by cascade. The consent ledger's guard lets its rows
go only here (see ledger_guard). Stored files are removed once the transaction commits.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class WrongPassword(Exception):
    """The password given to confirm the erasure is not the account's."""

    def __init__(self) -> None:
        super().__init__(_("The password is not right; nothing was deleted."))


def sessions_of_delete(user_id: int) -> int:
    """Delete every database session signed in as this person."""
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def account_erase(*, user: Any, password: str) -> None:
    """Check the password, then erase the account with everything in it."""
    if not password or not user.check_password(password):
        raise WrongPassword
    account_erase_confirmed(user=user)


def account_erase_confirmed(*, user: Any) -> None:
    """Erase without asking (the password was checked, or staff acting on a verified request)."""
    from imas.privacy.registry import registered

    user_id = int(user.pk)
    with transaction.atomic():
        for hooks in reversed(registered()):
            hooks.eraser(user)
        sessions_of_delete(user_id)
        get_user_model().objects.filter(pk=user_id).delete()
    logger.info("account %s erased", user_id)
