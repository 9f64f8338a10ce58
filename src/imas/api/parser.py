"""JSON bodies only, and only when the client says so; no NUL character in any text."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from imas.api.errors import ApiError

# PostgreSQL cannot store or compare text holding NUL (the driver raises DataError, a 500), and
# no text IMAS keeps has a use for it; Django's form fields refuse it the same way.
NUL = "\x00"


def _nul_error(field: str | None) -> ApiError:
    where = field or "The request"
    return ApiError(422, "invalid", f"{where} must not contain the NUL character.", field)


def _field_with_nul(data: Any) -> tuple[bool, str | None]:
    """Whether any key or string in parsed JSON holds NUL, and the dotted path to it. Walks
    with its own stack: json.loads accepts nesting deep enough to exhaust recursion."""
    stack: list[tuple[Any, str | None]] = [(data, None)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                return True, path
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    return True, path
                stack.append((item, child))
        elif isinstance(value, list):
            stack.extend((item, path) for item in value)
    return False, None


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                "Send the body as JSON with Content-Type: application/json.",
            )
        body = request.body  # raises RequestDataTooBig above DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
        has_nul, field = _field_with_nul(data)
        if has_nul:
            raise _nul_error(field)
        return cast(dict[str, Any], data)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if NUL in key:
                raise _nul_error(None)
            if any(isinstance(v, str) and NUL in v for v in values):
                raise _nul_error(key)
        return super().parse_querydict(data, list_fields, request)
