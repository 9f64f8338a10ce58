"""Authentication for reads that public data allows without signing in.

`PUBLIC_READ_AUTH` accepts a bearer token or a browser session as usual, and otherwise lets the
request through as an anonymous visitor (AnonymousUser as `request.auth`), whom the access
functions treat as someone who may see public objects only. A request that sends credentials
which do not work is refused (401) rather than quietly served as anonymous, so a client with a
revoked token notices.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from imas.api.auth import api_auth


def anonymous_reader(request: HttpRequest) -> Any:
    if request.headers.get("Authorization"):
        return None
    return AnonymousUser()


PUBLIC_READ_AUTH = [*api_auth, anonymous_reader]


def request_viewer(request: HttpRequest) -> Any:
    """The signed-in person, or AnonymousUser for a visitor (after PUBLIC_READ_AUTH)."""
    return getattr(request, "auth", None) or AnonymousUser()
