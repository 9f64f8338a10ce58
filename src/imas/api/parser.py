"""JSON bodies only, and only when the client says so."""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from imas.api.errors import ApiError


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
        return cast(dict[str, Any], data)
