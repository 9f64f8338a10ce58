from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from imas.privacy.models import ConsentRecord, PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    list_display = ("version", "published_at", "text_hash")
    readonly_fields = ("text_hash",)


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    """Read-only: the record is evidence, so staff may look but never change it."""

    list_display = ("user", "purpose", "granted", "policy_version", "channel", "created_at")
    list_filter = ("purpose", "granted", "channel")
    search_fields = ("user__email",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
