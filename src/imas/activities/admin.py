"""Staff views of activities and import jobs: read-mostly, for support and operations.

Per-point data and heart-rate figures stay out of the list views; staff look at a person's
activity only when helping them.
"""

from __future__ import annotations

from django.contrib import admin

from imas.activities.models import Activity, ImportItem, ImportJob


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "owner", "name", "sport", "start_time", "source", "visibility")
    list_filter = ("sport", "source", "visibility")
    search_fields = ("owner__email", "name")
    raw_id_fields = ("owner", "near_duplicate_of")
    readonly_fields = ("original_sha256", "original_size", "original_format", "created_at")
    exclude = ("analysis", "route_polyline")
    date_hierarchy = "start_time"


class ImportItemInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ImportItem
    fields = ("position", "name", "status", "reason", "activity")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "owner", "kind", "status", "total", "attempts", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("owner__email", "archive_name")
    raw_id_fields = ("owner",)
    readonly_fields = ("lease_token", "lease_until", "attempts", "started_at", "finished_at")
    inlines = [ImportItemInline]
