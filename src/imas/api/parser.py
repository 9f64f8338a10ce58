"""JSON bodies only, and only when the client says so; only text a database can keep."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from imas.api.errors import ApiError

# Text no database can keep: PostgreSQL refuses NUL (the driver raises DataError, a 500), and a
# lone surrogate such as "\ud800" (valid in JSON's escapes) cannot be encoded to UTF-8 at all.
# No text IMAS keeps has a use for either; Django's form fields refuse NUL the same way.
NUL = "\x00"


def _text_problem(text: str) -> str | None:
    if NUL in text:
        return "must not contain the NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


def _text_error(field: str | None, problem: str) -> ApiError:
    return ApiError(422, "invalid", f"{field or 'The request'} {problem}.", field)


def _unstorable_text(data: Any) -> ApiError | None:
    """The error for a key or string in parsed JSON that no database can keep, naming
    its dotted path. Walks with its own stack: json.loads accepts nesting deep enough to
    exhaust recursion."""
    stack: list[tuple[Any, str | None]] = [(data, None)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                return _text_error(path, problem)
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = _text_problem(key)
                if problem:
                    return _text_error(path, problem)
                stack.append((item, f"{path}.{key}" if path else key))
        elif isinstance(value, list):
            stack.extend((item, path) for item in value)
    return None


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
        error = _unstorable_text(data)
        if error is not None:
            raise error
        return cast(dict[str, Any], data)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            problem = _text_problem(key)
            if problem:
                raise _text_error(None, problem)
            for value in values:
                problem = _text_problem(value) if isinstance(value, str) else None
                if problem:
                    raise _text_error(key, problem)
        return super().parse_querydict(data, list_fields, request)
