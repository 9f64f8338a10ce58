"""Original files, content-addressed in the Django storage backend.

A file is stored once under the SHA-256 of its bytes (`originals/ab/cd/abcd...`), whatever its
name and however many activities or people refer to it. The backend is the `default` storage
(a folder under IMAS_DATA_DIR unless the settings point it at S3-compatible storage), or the
alias named by the IMAS_ORIGINALS_STORAGE setting.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages


def _storage() -> Storage:
    return storages[getattr(settings, "IMAS_ORIGINALS_STORAGE", "default")]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _path(kind: str, sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return f"{kind}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def blob_store(kind: str, sha256: str, data: bytes) -> str:
    """Store bytes under their hash unless already there; returns the storage name."""
    name = _path(kind, sha256)
    storage = _storage()
    if storage.exists(name):
        return name
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # Another request stored the same bytes a moment earlier and the backend picked a
        # fresh name for ours: the content is identical, so keep theirs and drop ours.
        storage.delete(saved)
    return name


def blob_read(kind: str, sha256: str) -> bytes:
    with _storage().open(_path(kind, sha256), "rb") as handle:
        data: bytes = handle.read()
    return data


def blob_exists(kind: str, sha256: str) -> bool:
    return _storage().exists(_path(kind, sha256))


def blob_delete(kind: str, sha256: str) -> None:
    name = _path(kind, sha256)
    storage = _storage()
    if storage.exists(name):
        storage.delete(name)


ORIGINALS = "originals"  # activity files as uploaded
ARCHIVES = "imports"  # archives waiting for (or done with) an import job
