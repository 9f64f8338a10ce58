"""Staff views of accounts. Token secrets are never visible: only hashes are stored."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from imas.accounts.models import KnownDevice, PersonalAccessToken, User
from imas.accounts.services import PROFILE_FIELDS


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    ordering = ("email",)
    list_display = ("email", "name", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "name")
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {"fields": PROFILE_FIELDS},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin[PersonalAccessToken]):
    list_display = ("user", "name", "hint", "created_at", "last_used_at", "revoked_at")
    search_fields = ("user__email", "name")
    readonly_fields = ("user", "name", "hint", "created_at", "last_used_at")
    exclude = ("token_hash",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KnownDevice)
class KnownDeviceAdmin(admin.ModelAdmin[KnownDevice]):
    list_display = ("user", "label", "first_seen", "last_seen")
    search_fields = ("user__email",)
    readonly_fields = ("user", "fingerprint", "label", "first_seen", "last_seen")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
