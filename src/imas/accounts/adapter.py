"""How allauth saves a new person and sends their mail."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest

from imas.accounts.forms import SIGNUP_PROFILE_FIELDS


# allauth ships no type hints, so its adapter is Any to mypy.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def save_user(
        self, request: HttpRequest, user: Any, form: BaseForm, commit: bool = True
    ) -> Any:
        """The new account with its profile, and both privacy choices recorded with it."""
        from imas.privacy.models import Purpose
        from imas.privacy.services import consent_record

        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        for field in SIGNUP_PROFILE_FIELDS:
            setattr(user, field, data[field])
        if not commit:
            return user
        with transaction.atomic():
            user.save()
            consent_record(
                user=user, purpose=Purpose.PRIVACY_POLICY, granted=True, channel="signup"
            )
            consent_record(
                user=user,
                purpose=Purpose.BODY_DATA,
                granted=bool(data["consent_body_data"]),
                channel="signup",
            )
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """As allauth's, but also outside a request (after commit, in a task, from the CLI)."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx: dict[str, Any] = {
            "request": request,
            "email": email,
            "site_name": settings.IMAS_SITE_NAME,
            "current_site": get_current_site(request) if request is not None else None,
        }
        ctx.update(context)
        self.render_mail(template_prefix, email, ctx).send()

    def send_notification_mail(
        self,
        template_prefix: str,
        user: Any,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """Security notices greet the person by name (allauth leaves the user out)."""
        context = {"user": user, **(context or {})}
        super().send_notification_mail(template_prefix, user, context, email)
