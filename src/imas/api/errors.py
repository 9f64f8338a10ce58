"""The one JSON error shape of the API: {"error": {"code", "message", "field"}}.

Every failure a client can cause (bad JSON, wrong content type, oversized body, invalid field,
missing or bad credentials, unknown id) becomes this shape with a fitting 4xx status, so no
input reaches Django's 500 page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a handler raises to answer with the JSON error shape."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, field), status=status)


STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
}


def _field_from_loc(loc: list[Any] | tuple[Any, ...]) -> str | None:
    """ninja locations look like ("body", "payload", "height_cm"); the client knows the last."""
    skip = ("body", "query", "path", "header", "payload", "[key]")  # [key]: a bad dict key
    parts = [str(p) for p in loc if p not in skip]
    return ".".join(parts) or None


def _message_for(error: dict[str, Any], field: str | None) -> str:
    kind = str(error.get("type", ""))
    message = str(error.get("msg", "Invalid value"))
    if kind == "missing":
        return f"{field} is required." if field else "A required value is missing."
    if kind == "extra_forbidden":
        return f"{field} is not a field of this request." if field else message
    return f"{field}: {message}" if field else message


def django_validation_error(exc: DjangoValidationError) -> ApiError:
    """The first problem of a model's full_clean(), with the field it belongs to."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        message = " ".join(str(m) for e in errors for m in e.messages)
        return ApiError(422, "invalid", message, None if field == "__all__" else field)
    return ApiError(422, "invalid", " ".join(exc.messages))


def install_error_handlers(api: NinjaAPI) -> None:
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.code, exc.message, exc.field)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = list(exc.errors) or [{"msg": "Invalid request"}]
        first = errors[0]
        field = _field_from_loc(first.get("loc", ()))
        return error_response(422, "invalid", _message_for(first, field), field)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return on_api_error(request, django_validation_error(exc))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, ApiError):
            return on_api_error(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return error_response(413, "too_large", "The request body is too large.")
        if isinstance(exc, AuthenticationError):
            return error_response(
                401, "unauthenticated", "Sign in or send Authorization: Bearer <token>."
            )
        if isinstance(exc, AuthorizationError):
            return error_response(403, "forbidden", "You may not do this.")
        status = exc.status_code if 400 <= exc.status_code < 500 else 400
        message = str(exc)
        if message == "Cannot parse request body":
            return error_response(400, "malformed_json", "The request body is not valid JSON.")
        return error_response(status, STATUS_CODES.get(status, "bad_request"), message)

    def on_not_found(request: HttpRequest, exc: Http404 | type[Http404]) -> HttpResponse:
        return error_response(404, "not_found", "Not found.")

    def on_too_big(
        request: HttpRequest, exc: RequestDataTooBig | type[RequestDataTooBig]
    ) -> HttpResponse:
        return error_response(413, "too_large", "The request body is too large.")

    def on_permission(
        request: HttpRequest, exc: PermissionDenied | type[PermissionDenied]
    ) -> HttpResponse:
        return error_response(403, "forbidden", "You may not do this.")

    api.add_exception_handler(ApiError, on_api_error)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(DjangoValidationError, on_django_validation)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(PermissionDenied, on_permission)
