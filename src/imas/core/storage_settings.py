"""Where files live: a local folder by default, S3-compatible object storage when configured.

Uploaded originals, archives waiting for import and personal-data exports all go through
Django's `default` storage. On one machine that is a folder (IMAS_MEDIA_ROOT); once there are
several web and worker machines they must see the same files, so setting IMAS_S3_BUCKET turns
the default storage into django-storages' S3 backend (boto3), which speaks to AWS S3 and to
any server with the same protocol (MinIO, Ceph RGW, Garage, SeaweedFS, ...).

Read by settings.py only; nothing here imports Django models, so it is safe at settings time.
A wrong value stops IMAS at start-up with a message naming the variable, rather than failing
later on the first upload.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"

# S3's bucket naming rules, loosened to the characters every S3-compatible server accepts
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]")
_ADDRESSING_STYLES = {"auto", "path", "virtual"}


def _get(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name, "").strip()


def default_storage_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """The STORAGES["default"] entry for these environment variables."""
    bucket = _get(environ, "IMAS_S3_BUCKET")
    if not bucket:
        return {"BACKEND": LOCAL_BACKEND}
    if not _BUCKET.fullmatch(bucket):
        raise ImproperlyConfigured(
            "IMAS_S3_BUCKET must be a bucket name (3-63 letters, digits, '.', '-', '_'), "
            f"not {bucket!r}."
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Names are content-addressed (or random for exports): an existing object with the
        # same name has the same bytes, so a second write may replace it.
        "file_overwrite": True,
        # No ACL header: objects get the bucket's own policy, which should keep them private.
        "default_acl": None,
        # Files are always served through IMAS (which checks who may see them); should a URL
        # ever be made, it is a signed, expiring one.
        "querystring_auth": True,
    }

    prefix = _get(environ, "IMAS_S3_PREFIX").strip("/")
    if prefix:
        if any(part in {"", ".", ".."} for part in prefix.split("/")):
            raise ImproperlyConfigured(
                f"IMAS_S3_PREFIX must be a plain folder path such as 'imas/prod', not {prefix!r}."
            )
        options["location"] = prefix

    endpoint = _get(environ, "IMAS_S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ImproperlyConfigured(
                "IMAS_S3_ENDPOINT_URL must be an http:// or https:// URL such as "
                f"https://s3.example.org, not {endpoint!r}."
            )
        options["endpoint_url"] = endpoint

    region = _get(environ, "IMAS_S3_REGION")
    if region:
        options["region_name"] = region

    # Without keys boto3 looks in its usual places (AWS_* variables, an instance role), so
    # both or neither must be given here.
    key_id = _get(environ, "IMAS_S3_ACCESS_KEY_ID")
    secret = _get(environ, "IMAS_S3_SECRET_ACCESS_KEY")
    if bool(key_id) != bool(secret):
        raise ImproperlyConfigured(
            "Set both IMAS_S3_ACCESS_KEY_ID and IMAS_S3_SECRET_ACCESS_KEY, or neither."
        )
    if key_id:
        options["access_key"] = key_id
        options["secret_key"] = secret

    # Many self-hosted servers (MinIO by default) answer only path-style requests
    # (https://host/bucket/key) rather than https://bucket.host/key.
    style = _get(environ, "IMAS_S3_ADDRESSING_STYLE").lower()
    if style:
        if style not in _ADDRESSING_STYLES:
            raise ImproperlyConfigured(
                f"IMAS_S3_ADDRESSING_STYLE must be auto, path or virtual, not {style!r}."
            )
        options["addressing_style"] = style

    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
