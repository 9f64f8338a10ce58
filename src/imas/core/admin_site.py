"""The staff admin: only for staff who signed in with their second factor in this session."""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def second_factor_used(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class IMASAdminSite(admin.AdminSite):
    site_header = "IMAS administration"
    site_title = "IMAS admin"
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and second_factor_used(request)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Sign-in goes through the one place that knows passwords and second factors."""
        user = request.user
        next_url = request.GET.get("next") or reverse("admin:index")
        if not user.is_authenticated:
            return HttpResponseRedirect(
                reverse("account_login") + "?" + urlencode({"next": next_url})
            )
        if user.is_active and user.is_staff:
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(user):
                messages.warning(
                    request, _("Staff must set up a second factor before using the admin.")
                )
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            messages.warning(
                request,
                _("Sign out and sign in again with your second factor to use the admin."),
            )
            return HttpResponseRedirect(reverse("settings"))
        messages.error(request, _("The admin is only for staff."))
        return HttpResponseRedirect(reverse("home"))
