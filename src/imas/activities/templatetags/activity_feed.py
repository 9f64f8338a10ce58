"""{% activity_feed %}: the signed-in person's recent activities, for the home page.

A tag rather than a change of the home view, so the foundation's view stays as it is; the
previews come from stored polylines, never from streams.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from imas.activities import page_data, selectors

register = template.Library()

FEED_SIZE = 8


@register.simple_tag(takes_context=True)
def activity_feed(context: template.Context) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return SafeString("")
    zone = page_data.user_zone(user)
    today = timezone.now().astimezone(zone).date()
    monday = today - dt.timedelta(days=today.weekday())
    week = page_data.totals_of(
        selectors.activity_list(owner=user, start_from=page_data.local_midnight(monday, zone))
    )
    recent = list(selectors.activity_list(owner=user)[:FEED_SIZE])
    units = "imperial" if getattr(user, "units", "") == "imperial" else "metric"
    values: dict[str, Any] = {
        "cards": page_data.cards(recent),
        "week": week,
        "units": units,
    }
    with timezone.override(zone):
        return SafeString(render_to_string("activities/_feed.html", values, request=request))
