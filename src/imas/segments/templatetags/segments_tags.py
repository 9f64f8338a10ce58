"""Template tags of the segments pages, and the block the activity page includes.

The activity page (owned by the activities app) shows the segments an activity crossed and the
records it set with one line: `{% load segments_tags %}{% activity_segments activity %}`.
"""

from __future__ import annotations

from typing import Any

from django import template

from imas.activities.templatetags import activity_format as fmt
from imas.segments import selectors
from imas.segments.models import PersonalRecord, RecordKind

register = template.Library()


@register.inclusion_tag("segments/activity_segments.html", takes_context=True)
def activity_segments(context: template.Context, activity: Any) -> dict[str, Any]:
    """The segments the activity crossed (with the owner's rank, records marked) and the
    personal records it broke. The page has already checked the viewer may see it."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    is_owner = bool(
        viewer is not None and viewer.is_authenticated and activity.owner_id == viewer.pk
    )
    records = selectors.records_for_activity(activity) if is_owner else []
    for record in records:
        record.label = selectors.record_label(record)  # type: ignore[attr-defined]
    return {
        "activity": activity,
        "efforts": selectors.activity_efforts(activity, viewer),
        "records": records,
        "is_owner": is_owner,
        "has_route": bool(activity.route_polyline),
        "units": context.get("units", "metric"),
    }


@register.simple_tag
def grade(segment: Any) -> str:
    """Average grade: net climb over length, in percent."""
    if not segment.length_m or segment.max_alt_m is None or not segment.points:
        return fmt.UNKNOWN
    first, last = segment.points[0][2], segment.points[-1][2]
    if first is None or last is None:
        return fmt.UNKNOWN
    return f"{(last - first) / segment.length_m * 100:.1f} %"


@register.simple_tag
def effort_pace(segment: Any, effort: Any, units: Any) -> str:
    """Pace or speed over the segment (its length over the effort's elapsed time)."""
    if not effort.elapsed_s:
        return fmt.UNKNOWN
    return fmt.pace_or_speed(segment.length_m / effort.elapsed_s, units, segment.sport)


@register.simple_tag
def record_value(record: PersonalRecord, units: Any, previous: bool = False) -> str:
    """A record's value in the person's units: a distance, a time, a climb or watts."""
    value = record.previous_value if previous else record.value
    if value is None:
        return fmt.UNKNOWN
    kind = record.kind
    if kind == RecordKind.LONGEST_DISTANCE:
        return fmt.distance(value, units)
    if kind in (RecordKind.LONGEST_TIME, RecordKind.BEST_EFFORT):
        return fmt.duration(value)
    if kind == RecordKind.BIGGEST_CLIMB:
        return fmt.elevation(value, units)
    return fmt.whole(value, "W")
