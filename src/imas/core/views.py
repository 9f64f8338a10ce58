from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """What IMAS is, for visitors; a starting point for people who are signed in."""
    return render(request, "core/home.html")
