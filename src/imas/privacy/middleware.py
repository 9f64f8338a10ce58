"""The acceptance gate: a person who has not accepted the policy version in force can only
accept it, export their data, delete their account or sign out.

Pages redirect to the acceptance page; the API answers 403 with the code
`policy_acceptance_required`. Staff keep the admin (to correct a mistaken publication).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from imas.api.errors import error_response

# Pages that stay open behind the gate (prefixes). Besides accepting, exporting, deleting the
# account and signing out, a person may always read the policy, withdraw a consent and see
# who got their data: withdrawing must stay as easy as giving (GDPR art. 7(3)).
OPEN_PAGES = (
    "/privacy/accept/",
    "/privacy/exports/",
    "/privacy/delete-account/",
    "/privacy/settings/",
    "/privacy/disclosures/",
    "/accounts/logout/",
    "/static/",
    "/media/",
)
PUBLIC_POLICY = "/privacy/"
OPEN_API = (
    "/api/v1/privacy/policy/accept",
    "/api/v1/privacy/exports",
    "/api/v1/privacy/consents",
)


def _api_user(request: HttpRequest) -> object | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        from imas.accounts.selectors import token_user

        return token_user(header[7:].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class PolicyAcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        blocked = self._blocked(request)
        return blocked if blocked is not None else self.get_response(request)

    def _blocked(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path
        if path.startswith("/api/"):
            if path.startswith(OPEN_API) or (path == "/api/v1/me" and request.method == "DELETE"):
                return None
            user = _api_user(request)
            if user is None or not _needs_acceptance(user):
                return None
            return error_response(
                403,
                "policy_acceptance_required",
                "Accept the policy version in force first: "
                "POST /api/v1/privacy/policy/accept, or read it at /privacy/.",
            )
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or path == PUBLIC_POLICY:
            return None
        if path.startswith(OPEN_PAGES):
            return None
        if path.startswith("/admin/") and user.is_staff:
            return None
        if not _needs_acceptance(user):
            return None
        target = reverse("privacy_accept")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


def _needs_acceptance(user: object) -> bool:
    from imas.privacy.selectors import policies_to_accept

    return bool(policies_to_accept(user))  # type: ignore[arg-type]
