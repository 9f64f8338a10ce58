"""Activity pages (placeholder while they are written)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def activity_list_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
