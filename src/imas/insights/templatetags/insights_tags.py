"""{% amount "distance" value %}: an SI amount in the signed-in person's units."""

from __future__ import annotations

from typing import Any

from django import template

from imas.goals.formatting import format_amount

register = template.Library()


@register.simple_tag(takes_context=True)
def amount(context: dict[str, Any], metric: str, value: float | None) -> str:
    user = context.get("user")
    units = getattr(user, "units", "metric")
    return format_amount(metric, value, units)


@register.filter
def get_item_or_key(mapping: dict[str, str], key: str) -> str:
    """mapping[key], or the key itself when the mapping does not have it."""
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.simple_tag(takes_context=True)
def record_value(context: dict[str, Any], record: dict[str, Any]) -> str:
    """A personal record's value: a distance or climb in the person's units, a time as
    h:mm:ss or m:ss, power in watts."""
    value = record.get("value")
    if value is None:
        return "\u2013"
    if record.get("metric"):
        return amount(context, record["metric"], value)
    if record.get("unit") == "s":
        total = round(float(value))
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    if record.get("unit") == "W":
        return f"{round(float(value))} W"
    return f"{value:g}"
