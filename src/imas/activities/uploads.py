"""Reading an uploaded file from a multipart request without ever holding more than the cap.

Django's default upload handlers spool any size to memory or disk. The handler here keeps the
file in memory and stops reading the moment it passes the cap, so a client cannot make IMAS
store gigabytes before answering 413.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# Multipart framing around the file (boundaries, part headers, the small text fields).
MULTIPART_OVERHEAD = 64 * 1024


class CappedMemoryUploadHandler(FileUploadHandler):
    """Keeps each uploaded file in memory up to `limit` bytes; beyond it, stops the upload."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self._buffer = io.BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self._buffer.tell() + len(raw_data) > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def install_capped_handler(request: HttpRequest, limit: int) -> CappedMemoryUploadHandler | None:
    """Use the capped handler for this request (once); None if the body was parsed otherwise."""
    for existing in getattr(request, "_upload_handlers", []):
        if isinstance(existing, CappedMemoryUploadHandler):
            return existing
    handler = CappedMemoryUploadHandler(request, limit)
    try:
        request.upload_handlers = [handler]
    except AttributeError:  # something read the form already
        return None
    return handler


def content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
