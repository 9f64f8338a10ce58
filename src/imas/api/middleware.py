"""Under /api/, even the errors that never reach ninja (unknown URL, wrong method, CSRF, 500)
answer with the JSON error shape instead of an HTML page."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from imas.api.errors import STATUS_CODES, error_response

API_PREFIX = "/api/"

_MESSAGES = {
    403: "You may not do this (for a browser session: send the CSRF token).",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    500: "Something went wrong on our side; it has been logged.",
}


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") and _is_shaped(response):
            return response
        status = response.status_code
        code = STATUS_CODES.get(status, "server_error" if status >= 500 else "bad_request")
        message = _MESSAGES.get(status, "The request could not be handled.")
        shaped = error_response(status, code, message)
        if "Allow" in response:
            shaped["Allow"] = response["Allow"]
        return shaped


def _is_shaped(response: HttpResponse) -> bool:
    try:
        body = json.loads(response.content)
    except (ValueError, AttributeError):
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), dict)
