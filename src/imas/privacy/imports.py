"""Restore an IMAS export (imas.privacy.exports, format version 1) into this server.

The archive is untrusted input: its size, member count and member sizes are capped, the
manifest must name the format and a version we read, and every file must match the SHA-256
the manifest gives. The account is created new under the address given on the command line
with no usable password (the person sets one with "forgot password"); the profile and
settings are taken over, each consent's latest decision is recorded again (the earlier ledger
refers to another server's policy versions: it stays in the archive as evidence), each
activity is uploaded again from its original file (so it is analysed here, under this
person's consents) with its name, description and visibility, manual entries are re-entered,
and goals are set again. Segments and efforts are not restored: they are recomputed here
from the activities and the segments this server knows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import secrets
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

MAX_ARCHIVE_BYTES = 2 * 1024**3
MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 256 * 1024**2
READABLE_VERSIONS = (1,)


class ImportError_(ValueError):
    """The archive cannot be restored; the message says why."""


@dataclass
class ImportReport:
    user_id: int = 0
    activities: int = 0
    duplicates: int = 0
    goals: int = 0
    consents: int = 0
    problems: list[str] = field(default_factory=list)


class _Archive:
    def __init__(self, data: bytes) -> None:
        if len(data) > MAX_ARCHIVE_BYTES:
            raise ImportError_("the file is larger than an export can be")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ImportError_(f"not a zip archive: {exc}") from exc
        if len(infos) > MAX_MEMBERS:
            raise ImportError_("the archive holds too many files")
        self.sizes = {i.filename: i.file_size for i in infos}
        try:
            manifest = json.loads(self._raw("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise ImportError_("manifest.json is missing or not JSON") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != "imas-export":
            raise ImportError_("manifest.json does not describe an IMAS export")
        if manifest.get("version") not in READABLE_VERSIONS:
            raise ImportError_(f"export format version {manifest.get('version')!r} is unknown")
        files = manifest.get("files")
        if not isinstance(files, list):
            raise ImportError_("manifest.json lists no files")
        self.digests = {
            str(f.get("path")): str(f.get("sha256")) for f in files if isinstance(f, dict)
        }

    def _raw(self, name: str) -> bytes:
        if self.sizes.get(name, 0) > MAX_MEMBER_BYTES:
            raise ImportError_(f"{name} is too large")
        with self.zip.open(name) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            raise ImportError_(f"{name} is too large")
        return data

    def read(self, name: str) -> bytes | None:
        if name not in self.sizes:
            return None
        data = self._raw(name)
        if hashlib.sha256(data).hexdigest() != self.digests.get(name):
            raise ImportError_(f"{name} does not match its checksum in the manifest")
        return data

    def json(self, name: str, default: Any) -> Any:
        data = self.read(name)
        if data is None:
            return default
        try:
            return json.loads(data)
        except ValueError as exc:
            raise ImportError_(f"{name} is not JSON") from exc


PROFILE_KEYS = (
    "birthday",
    "height_cm",
    "weight_kg",
    "gender",
    "activity_type",
    "resting_hr",
    "max_hr",
)


def export_restore(*, data: bytes, email: str) -> ImportReport:
    """Create the account `email` from an export archive; raises ImportError_ or
    django ValidationError (a bad profile value, an address in use)."""
    from imas.accounts.services import user_create

    archive = _Archive(data)
    profile = archive.json("profile.json", {})
    settings_doc = archive.json("settings.json", {})
    if not isinstance(profile, dict) or not isinstance(settings_doc, dict):
        raise ImportError_("profile.json or settings.json is not an object")
    fields: dict[str, Any] = {k: profile.get(k) for k in PROFILE_KEYS if profile.get(k) is not None}
    if isinstance(fields.get("birthday"), str):
        fields["birthday"] = dt.date.fromisoformat(fields["birthday"])
    for key in ("units", "time_zone"):
        if isinstance(settings_doc.get(key), str):
            fields[key] = settings_doc[key]
    report = ImportReport()
    with transaction.atomic():
        user = user_create(
            email=email,
            password=secrets.token_urlsafe(32),
            name=str(profile.get("name") or email.split("@")[0])[:150],
            channel="cli",
            **fields,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        report.user_id = user.pk
        report.consents = _consents(archive, user)
    _activities(archive, user, report)
    _goals(archive, user, report)
    return report


def _consents(archive: _Archive, user: Any) -> int:
    from imas.privacy.models import ACCEPTANCE_PURPOSES, Channel, Purpose
    from imas.privacy.services import consent_record

    rows = archive.json("consents.json", [])
    latest: dict[str, bool] = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get("granted"), bool):
            latest[str(row.get("purpose"))] = row["granted"]
    count = 0
    for purpose, granted in latest.items():
        if purpose in Purpose.values and purpose not in ACCEPTANCE_PURPOSES:
            consent_record(user=user, purpose=purpose, granted=granted, channel=Channel.CLI)
            count += 1
    return count


def _activities(archive: _Archive, user: Any, report: ImportReport) -> None:
    from imas.activities import services

    rows = archive.json("activities/activities.json", [])
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        try:
            _activity(archive, user, row, report, services)
        except Exception as exc:  # one bad activity must not stop the others
            report.problems.append(f"activity {row.get('id')}: {exc}")


def _activity(
    archive: _Archive, user: Any, row: dict[str, Any], report: ImportReport, services: Any
) -> None:
    old_id = row.get("id")
    original = archive.read(f"activities/{old_id}/original.{row.get('original_format') or 'bin'}")
    if original is None:
        if not row.get("elapsed_s"):
            report.problems.append(f"activity {old_id}: neither file nor duration")
            return
        raw_analysis = row.get("analysis")
        analysis: dict[str, Any] = raw_analysis if isinstance(raw_analysis, dict) else {}
        services.activity_create_manual(
            owner=user,
            sport=row.get("sport") or "other",
            start_time=dt.datetime.fromisoformat(str(row["start_time"])),
            duration_s=float(row["elapsed_s"]),
            distance_m=row.get("distance_m"),
            name=row.get("name"),
            description=row.get("description") or "",
            sets=analysis.get("sets") or [],
            visibility=row.get("visibility") or "private",
        )
        report.activities += 1
        return
    result = services.activity_upload_file(
        owner=user,
        data=original,
        filename=str(row.get("original_name") or ""),
        sport=row.get("sport") or None,
    )
    if not result.created:
        report.duplicates += 1  # a file holding several activities: its first row made them all
        return
    for activity in result.activities:
        services.activity_update(
            activity=activity,
            name=row.get("name") or None if len(result.activities) == 1 else None,
            description=row.get("description") or None,
            visibility=row.get("visibility") or None,
        )
    report.activities += len(result.activities)


def _goals(archive: _Archive, user: Any, report: ImportReport) -> None:
    from imas.goals.services import FIELDS, goal_create

    rows = archive.json("goals/goals.json", [])
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        fields = {k: row[k] for k in FIELDS if row.get(k) is not None}
        for key in ("start_date", "end_date"):
            if isinstance(fields.get(key), str):
                fields[key] = dt.date.fromisoformat(fields[key])
        try:
            goal_create(owner=user, **fields)
            report.goals += 1
        except Exception as exc:
            report.problems.append(f"goal {row.get('name') or row.get('id')}: {exc}")
