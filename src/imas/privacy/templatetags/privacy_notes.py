"""`{% privacy_activity_note activity %}`: on an owner's activity page, why figures derived
from withdrawn data are missing, with the way back to the privacy settings."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("privacy/activity_note.html")
def privacy_activity_note(activity: Any) -> dict[str, Any]:
    from imas.privacy.selectors import body_data_allowed, health_data_allowed

    owner = activity.owner
    return {
        "health_withdrawn": not health_data_allowed(owner),
        "body_not_allowed": not body_data_allowed(owner),
    }
