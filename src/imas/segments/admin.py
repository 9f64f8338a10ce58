"""Staff views of segments and records: read-mostly, for support. Paths and heart rates stay
out of the lists."""

from __future__ import annotations

from django.contrib import admin

from imas.segments.models import PersonalRecord, Segment, SegmentEffort


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "name", "owner", "sport", "visibility", "length_m", "created_at")
    list_filter = ("sport", "visibility", "source")
    search_fields = ("name", "owner__email")
    raw_id_fields = ("owner", "source_activity")
    exclude = ("points", "route_polyline")
    readonly_fields = ("cell_count", "backfilled_at", "created_at", "updated_at")


@admin.register(SegmentEffort)
class SegmentEffortAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "segment", "owner", "activity", "start_time", "elapsed_s")
    raw_id_fields = ("segment", "owner", "activity")
    exclude = ("avg_hr",)


@admin.register(PersonalRecord)
class PersonalRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "owner", "sport", "kind", "key", "value", "achieved_at", "is_current")
    list_filter = ("sport", "kind", "is_current")
    raw_id_fields = ("owner", "activity")
