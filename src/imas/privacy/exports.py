"""The export of everything IMAS holds about a person: a zip built by the worker.

Format "imas-export", version 1 (documented here and in the zip's manifest.json):

    manifest.json     {"format": "imas-export", "version": 1, "created_at": ISO 8601 UTC,
                       "site": name, "parts": [part names included],
                       "files": [{"path", "part", "size", "sha256"}, ...]}
    profile.json      the account: email, name, body data, units, time zone, heart-rate settings
    settings.json     token names and dates (never the tokens), known browsers, email addresses
    consents.json     the whole consent ledger, oldest first, with policy version and text hash
    disclosures.json  every disclosure of the person's data
    activities/activities.json   one object per activity (summary, analysis, metadata)
    activities/<id>/original.<format>   the file as uploaded (when there is one)
    activities/<id>/activity.gpx        the activity as GPX 1.1
    goals.json, segments.json, efforts.json, records.json, insights.json, notices.json ...
                      whatever each app registered (see each app's privacy_hooks.py)

Each app writes its own parts through its registered exporter (imas.privacy.registry). No
secret goes in: the writer refuses keys that name one (password, token, token hash, TOTP
secret), so an exporter's mistake fails the build instead of leaking.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
import tempfile
import zipfile
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from imas.privacy.models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)

FORMAT = "imas-export"
VERSION = 1
EXPIRES_AFTER = dt.timedelta(days=7)
EXPORT_DIR = "exports"

# Keys no export may carry (checked at every depth of every JSON document).
SECRET_KEYS = frozenset(
    {"password", "token", "token_hash", "secret", "totp", "data_key", "recovery_codes"}
)


class SecretInExport(ValueError):
    """An exporter tried to write a secret; the build fails rather than leak it."""


def _check_no_secret(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key).lower() in SECRET_KEYS:
                raise SecretInExport(f"{path}: key {key!r} is a secret")
            _check_no_secret(inner, path)
    elif isinstance(value, list | tuple):
        for inner in value:
            _check_no_secret(inner, path)


class ZipExportWriter:
    """Writes parts into an open zip and remembers each file for the manifest."""

    def __init__(self, archive: zipfile.ZipFile, parts: list[str] | None) -> None:
        self.archive = archive
        self.parts = set(parts) if parts else None
        self.current_part = ""
        self.files: list[dict[str, Any]] = []

    def wants(self, part: str) -> bool:
        return self.parts is None or part in self.parts

    def json(self, path: str, data: Any) -> None:
        _check_no_secret(data, path)
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        self.file(path, body.encode("utf-8"))

    def file(self, path: str, data: bytes) -> None:
        if path.startswith("/") or ".." in path.split("/") or path == "manifest.json":
            raise ValueError(f"bad export path {path!r}")
        self.archive.writestr(path, data)
        self.files.append(
            {
                "path": path,
                "part": self.current_part,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )


def export_request(
    *, user: Any, parts: list[str] | None = None, for_disclosure: bool = False
) -> ExportJob:
    """Queue an export; the worker builds it after commit."""
    job = ExportJob.objects.create(
        user=user, parts=list(parts or []), for_disclosure=for_disclosure
    )
    from imas.privacy.tasks import export_build_task

    job_id = job.pk
    transaction.on_commit(lambda: export_build_task.delay(job_id), robust=True)
    return job


def export_build(*, export_id: int) -> ExportJob | None:
    """Build the zip of one export job; a job already done (a redelivered task) is left alone."""
    from imas.privacy.registry import registered

    claimed = ExportJob.objects.filter(
        pk=export_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    ).update(status=ExportStatus.RUNNING, progress=0)
    if not claimed:
        return None
    job = ExportJob.objects.select_related("user").get(pk=export_id)
    hooks = registered()
    try:
        with tempfile.TemporaryFile() as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                writer = ZipExportWriter(archive, job.parts or None)
                included: list[str] = []
                for i, app in enumerate(hooks):
                    wanted = [p for p in app.parts if writer.wants(p)]
                    if wanted:
                        writer.current_part = ",".join(wanted)
                        app.exporter(job.user, writer)
                        included.extend(wanted)
                    progress = round(100 * (i + 1) / max(len(hooks), 1) * 0.95)
                    ExportJob.objects.filter(pk=job.pk).update(progress=progress)
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": timezone.now().astimezone(dt.UTC).isoformat(),
                    "site": settings.IMAS_SITE_NAME,
                    "parts": included,
                    "files": writer.files,
                }
                archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            handle.seek(0)
            name = f"{EXPORT_DIR}/{secrets.token_hex(16)}.zip"
            stored = default_storage.save(name, File(handle, name=name))
            size = default_storage.size(stored)
    except Exception as exc:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        return ExportJob.objects.get(pk=job.pk)
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        progress=100,
        file_name=stored,
        size=size,
        finished_at=now,
        expires_at=now + EXPIRES_AFTER,
    )
    job.refresh_from_db()
    if not job.for_disclosure:
        _email_ready(job)
    return job


def _email_ready(job: ExportJob) -> None:
    base = str(getattr(settings, "IMAS_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    context = {
        "user": job.user,
        "job": job,
        "url": f"{base}/privacy/exports/{job.pk}/download/",
        "site_name": settings.IMAS_SITE_NAME,
    }
    subject = render_to_string("privacy/email/export_subject.txt", context).strip()
    body = render_to_string("privacy/email/export_message.txt", context)
    try:
        send_mail(subject, body, None, [job.user.email])
    except Exception:  # the export is ready on the page all the same
        logger.exception("export-ready email for user %s failed", job.user_id)


def export_available(job: ExportJob) -> bool:
    return (
        job.status == ExportStatus.DONE
        and bool(job.file_name)
        and job.expires_at is not None
        and job.expires_at > timezone.now()
    )


def export_file_delete(job: ExportJob) -> None:
    if job.file_name and default_storage.exists(job.file_name):
        default_storage.delete(job.file_name)


def exports_expired_delete() -> int:
    """Remove the files of exports older than 7 days (run by beat; also safe by hand)."""
    count = 0
    for job in ExportJob.objects.filter(expires_at__lte=timezone.now()).exclude(file_name=""):
        export_file_delete(job)
        ExportJob.objects.filter(pk=job.pk).update(file_name="")
        count += 1
    return count
