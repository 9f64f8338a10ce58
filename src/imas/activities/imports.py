"""Import jobs: many files (an archive, a folder, a command line) brought in by a worker.

The ImportJob and ImportItem rows are the truth, not the broker's message:
- a worker claims a job with a lease (`lease_token`, `lease_until`) and renews it after every
  file; a second worker cannot claim it while the lease runs;
- each file is imported in one transaction together with its item's outcome, so a worker
  killed at any instant leaves every file either fully imported and marked, or untouched;
- the sweeper re-queues jobs whose lease ran out (a killed worker), and the next worker goes
  on with the files still pending. Hence every file is imported exactly once.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

import imas.track
from imas.activities import storage
from imas.activities.models import (
    ImportItem,
    ImportItemStatus,
    ImportJob,
    ImportStatus,
    Source,
)
from imas.activities.services import (
    PreparedUpload,
    UploadError,
    too_large_message,
    upload_max_bytes,
    upload_prepare,
    upload_write,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # a job that keeps killing its workers stops being retried
MAX_FILES_PER_JOB = 20_000

ProgressCallback = Callable[[ImportJob, ImportItem], None]
Enqueue = Callable[[int], Any]


class LeaseLost(Exception):
    """Another worker holds the job now (ours ran out); stop without touching it."""


def lease_seconds() -> float:
    return float(getattr(settings, "IMAS_IMPORT_LEASE_SECONDS", 60))


def _enqueue_on_commit(job_id: int) -> None:
    from imas.activities.tasks import import_job_run_task

    transaction.on_commit(lambda: import_job_run_task.delay(job_id))


# --- creating jobs ------------------------------------------------------------------------------


def import_job_create_archive(
    *,
    owner: Any,
    data: bytes,
    filename: str = "",
    sport: str | None = None,
    source: str = Source.IMPORT,
    enqueue: bool = True,
) -> ImportJob:
    """Keep the archive in storage and queue a job that imports every file in it."""
    sha = storage.sha256_hex(data)
    storage.blob_store(storage.ARCHIVES, sha, data)
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=owner,
            kind=ImportJob.Kind.ARCHIVE,
            source=source,
            archive_sha256=sha,
            archive_name=filename.replace("\\", "/").rsplit("/", 1)[-1][:255],
            sport=sport or "",
        )
        if enqueue:
            _enqueue_on_commit(job.pk)
    return job


def import_job_create_files(
    *, owner: Any, paths: Iterable[Path], sport: str | None = None, source: str = Source.IMPORT
) -> ImportJob:
    """A job over files on this machine's disk (the command line); items are listed now."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=owner, kind=ImportJob.Kind.FILES, source=source, sport=sport or ""
        )
        items = [
            ImportItem(job=job, position=i, name=str(path)[:1024]) for i, path in enumerate(paths)
        ]
        ImportItem.objects.bulk_create(items)
        job.total = len(items)
        job.save(update_fields=["total"])
    return job


# --- running jobs -------------------------------------------------------------------------------


def _claim(job_id: int, token: str) -> bool:
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            status=ImportStatus.RUNNING,
            lease_token=token,
            lease_until=now + dt.timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), now),
        )
    )
    return claimed == 1


def _renew(job_id: int, token: str) -> None:
    until = timezone.now() + dt.timedelta(seconds=lease_seconds())
    if not ImportJob.objects.filter(pk=job_id, lease_token=token).update(lease_until=until):
        raise LeaseLost


def _finish(job_id: int, token: str, status: str, error: str = "") -> None:
    ImportJob.objects.filter(pk=job_id, lease_token=token).update(
        status=status, error=error[:2000], lease_until=None, finished_at=timezone.now()
    )


def import_job_run(job_id: int, *, progress: ProgressCallback | None = None) -> ImportJob | None:
    """Carry out (or go on with) a job; None when another worker holds it or it is finished."""
    token = uuid.uuid4().hex
    if not _claim(job_id, token):
        return None
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.attempts > MAX_ATTEMPTS:
        _give_up(job, token, _("The import was stopped after %d failed attempts.") % MAX_ATTEMPTS)
        return ImportJob.objects.get(pk=job_id)
    try:
        if job.total is None:
            _list_archive(job)
            _renew(job_id, token)
        for item, data_or_error in _pending_contents(job):
            _import_item(job, item, data_or_error)
            _renew(job_id, token)
            if progress is not None:
                progress(job, item)
    except LeaseLost:
        logger.warning("import %s: lease lost to another worker; stopping", job_id)
        return None
    except imas.track.TrackError as exc:
        # The archive itself is unusable (corrupt, a bomb): nothing in it can be imported.
        _give_up(job, token, str(exc))
        return ImportJob.objects.get(pk=job_id)
    _finish(job_id, token, ImportStatus.DONE)
    if job.kind == ImportJob.Kind.ARCHIVE:
        transaction.on_commit(lambda: archive_delete_if_unused(job.archive_sha256))
    return ImportJob.objects.get(pk=job_id)


def _give_up(job: ImportJob, token: str, reason: str) -> None:
    with transaction.atomic():
        ImportItem.objects.filter(job=job, status=ImportItemStatus.PENDING).update(
            status=ImportItemStatus.FAILED, reason=reason[:2000]
        )
        _finish(job.pk, token, ImportStatus.FAILED, reason)


def archive_delete_if_unused(sha: str) -> None:
    unfinished = ImportJob.objects.filter(
        archive_sha256=sha, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    )
    if not unfinished.exists():
        storage.blob_delete(storage.ARCHIVES, sha)


def _archive_members(data: bytes) -> Iterator[tuple[str, bytes | UploadError]]:
    """(name, bytes or why it was skipped) of every archive entry, under the decoders' caps.

    Raises TrackError for an archive that cannot be used at all (corrupt, a bomb, too many
    entries); such an archive fails its job before any file of it is imported.
    """
    from imas.track.formats.archive import iter_members

    for member in iter_members(data):
        if member.skipped is not None:
            yield member.name, UploadError("skipped", member.skipped)
        else:
            yield member.name, member.data


def _list_archive(job: ImportJob) -> None:
    """Record one pending item per archive member (once; a rerun finds them listed)."""
    data = storage.blob_read(storage.ARCHIVES, job.archive_sha256)
    names = [name for name, _data in _archive_members(data)]
    if len(names) > MAX_FILES_PER_JOB:
        raise imas.track.LimitExceeded(
            _("The archive holds more than %d files.") % MAX_FILES_PER_JOB
        )
    with transaction.atomic():
        ImportItem.objects.bulk_create(
            [ImportItem(job=job, position=i, name=name[:1024]) for i, name in enumerate(names)],
            ignore_conflicts=True,
        )
        ImportJob.objects.filter(pk=job.pk).update(total=len(names))
    job.total = len(names)


def _pending_contents(job: ImportJob) -> Iterator[tuple[ImportItem, bytes | UploadError]]:
    """The items still pending with their content (or the reason there is none)."""
    pending = {
        item.position: item
        for item in ImportItem.objects.filter(job=job, status=ImportItemStatus.PENDING)
    }
    if not pending:
        return
    if job.kind == ImportJob.Kind.ARCHIVE:
        data = storage.blob_read(storage.ARCHIVES, job.archive_sha256)
        for position, (_name, member) in enumerate(_archive_members(data)):
            if position in pending:
                yield pending.pop(position), member
        for item in pending.values():  # listed before but gone now: cannot happen, but say so
            yield item, UploadError("missing", _("The file was not found in the archive."))
    else:
        for position in sorted(pending):
            item = pending[position]
            yield item, _read_file(Path(item.name))


def _read_file(path: Path) -> bytes | UploadError:
    limit = upload_max_bytes()
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return UploadError("unreadable_path", _("Cannot read the file: %s") % exc.strerror)
    if len(data) > limit:
        return UploadError(
            "file_too_large",
            too_large_message(limit),
            413,
        )
    return data


def _import_item(job: ImportJob, item: ImportItem, data: bytes | UploadError) -> None:
    """Import one file and record its outcome in the same transaction.

    Decoding and analysis happen first, outside the transaction; the activity rows and the
    item's outcome are then committed together, so a crash leaves both or neither.
    """
    prepared: PreparedUpload | UploadError
    if isinstance(data, UploadError):
        prepared = data
    else:
        try:
            prepared = upload_prepare(
                owner=job.owner,
                data=data,
                filename=item.name,
                sport=job.sport or None,
                source=job.source,
            )
        except UploadError as exc:
            prepared = exc
    with transaction.atomic():
        locked = ImportItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != ImportItemStatus.PENDING:
            return
        if isinstance(prepared, UploadError):
            locked.status = ImportItemStatus.FAILED
            locked.reason = prepared.message[:2000]
        else:
            result = upload_write(prepared)
            locked.status = (
                ImportItemStatus.CREATED if result.created else ImportItemStatus.DUPLICATE
            )
            locked.activity = result.activity
            locked.activities_created = len(result.activities) if result.created else 0
        locked.save()
    item.status, item.reason = locked.status, locked.reason
    item.activity = locked.activity


# --- the sweeper --------------------------------------------------------------------------------


def import_jobs_sweep(*, enqueue: Enqueue | None = None) -> list[int]:
    """Re-queue unfinished jobs that no live worker holds; returns their ids.

    A running job whose lease ran out lost its worker; a queued job older than a lease may have
    lost its broker message. Queuing a job twice is harmless: only one worker can claim it.
    """
    if enqueue is None:
        from imas.activities.tasks import import_job_run_task

        enqueue = import_job_run_task.delay
    now = timezone.now()
    stale = now - dt.timedelta(seconds=lease_seconds())
    ids = list(
        ImportJob.objects.filter(
            Q(status=ImportStatus.RUNNING, lease_until__lt=now)
            | Q(status=ImportStatus.QUEUED, lease_until__isnull=True, created_at__lt=stale)
            | Q(status=ImportStatus.QUEUED, lease_until__lt=now)
        ).values_list("pk", flat=True)
    )
    for job_id in ids:
        enqueue(job_id)
    if ids:
        logger.info("re-queued %d stuck import job(s)", len(ids))
    return ids
