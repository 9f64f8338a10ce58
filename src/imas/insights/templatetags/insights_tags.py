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
