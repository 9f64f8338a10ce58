"""Who is calling: the browser's session (with CSRF) or a personal access token (Bearer)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from imas.accounts.models import User
from imas.accounts.selectors import token_user


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer imas_pat_...`: a personal access token of an active account."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser; unsafe methods need the CSRF token, as for any form."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is no session to forge a request with: a caller who
        # sent no credentials at all is told to sign in (401), not that CSRF failed (403).
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


# Every protected operation accepts either way of signing in.
api_auth = [BearerTokenAuth(), BrowserSessionAuth()]


def request_user(request: HttpRequest) -> User:
    """The authenticated person of an API call (after api_auth has run)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
