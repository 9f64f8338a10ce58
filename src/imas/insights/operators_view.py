"""The staff page of aggregate usage trends (imas.insights.operators). Anyone else gets the
page-not-found answer: the page's existence is no one else's business."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from imas.insights.operators import DEFAULT_WEEKS, MAX_WEEKS, usage_trends


@login_required
@require_GET
def usage_trends_page(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_active and request.user.is_staff):
        raise Http404(_("No such page."))
    try:
        weeks = int(request.GET.get("weeks", DEFAULT_WEEKS))
    except ValueError:
        weeks = DEFAULT_WEEKS
    weeks = max(1, min(weeks, MAX_WEEKS))
    return render(
        request, "insights/operators.html", {"trends": usage_trends(weeks=weeks), "weeks": weeks}
    )
