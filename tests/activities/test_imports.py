"""Import jobs in one process: outcomes per file, resuming, leases, the sweeper, bad archives."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from imas.accounts.models import User
from imas.activities import imports, storage
from imas.activities.imports import (
    MAX_ATTEMPTS,
    import_job_create_archive,
    import_job_create_files,
    import_job_run,
    import_jobs_sweep,
)
from imas.activities.models import (
    Activity,
    ImportItem,
    ImportItemStatus,
    ImportJob,
    ImportStatus,
)
from tests.activities.files import XXE_GPX, gpx_run, zip_of

DAY = 86_400.0


def _runs(count: int) -> dict[str, bytes]:
    return {
        f"run{k:02d}.gpx": gpx_run(60, seed=k, start=1_717_228_800 + k * DAY) for k in range(count)
    }


def _statuses(job: ImportJob) -> dict[str, str]:
    return {item.name: item.status for item in ImportItem.objects.filter(job=job)}


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs, nothing catches it."""


@pytest.mark.django_db
def test_archive_with_bad_members_imports_the_rest(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    members = _runs(3) | {
        "dup.gpx": gpx_run(60, seed=0, start=1_717_228_800),  # the same bytes as run00.gpx
        "xxe.gpx": XXE_GPX,
        "folder/": b"",
        "photo.jpg": b"\xff\xd8\xff\xe0 not an activity",
        "nested.zip": zip_of({"inner.gpx": gpx_run(60, seed=50, start=1_717_228_800 + 50 * DAY)}),
    }
    job = import_job_create_archive(owner=alice, data=zip_of(members), enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        done = import_job_run(job.pk)
    assert done is not None
    assert done.status == ImportStatus.DONE
    statuses = _statuses(job)
    assert statuses["run00.gpx"] == statuses["run01.gpx"] == ImportItemStatus.CREATED
    assert statuses["nested.zip/inner.gpx"] == ImportItemStatus.CREATED
    assert statuses["dup.gpx"] == ImportItemStatus.DUPLICATE
    assert statuses["xxe.gpx"] == ImportItemStatus.FAILED
    assert statuses["photo.jpg"] == ImportItemStatus.FAILED
    reasons = {i.name: i.reason for i in ImportItem.objects.filter(job=job)}
    assert "FIT, GPX or TCX" in reasons["photo.jpg"]
    assert Activity.objects.filter(owner=alice).count() == 4
    # The archive is removed from storage once its job is done.
    assert not storage.blob_exists(storage.ARCHIVES, job.archive_sha256)


@pytest.mark.django_db
def test_a_job_killed_midway_resumes_and_imports_each_file_once(alice: User) -> None:
    job = import_job_create_archive(owner=alice, data=zip_of(_runs(6)), enqueue=False)
    seen: list[str] = []

    def die_after_three(job: ImportJob, item: ImportItem) -> None:
        seen.append(item.name)
        if len(seen) == 3:
            raise Crash

    with pytest.raises(Crash):
        import_job_run(job.pk, progress=die_after_three)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert Activity.objects.count() == 3
    # While the dead worker's lease runs, nobody else takes the job ...
    assert import_job_run(job.pk) is None
    # ... and once it has run out, the next worker goes on where the first stopped.
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    resumed: list[str] = []
    done = import_job_run(job.pk, progress=lambda j, item: resumed.append(item.name))
    assert done is not None
    assert done.status == ImportStatus.DONE
    assert sorted(seen + resumed) == sorted(_runs(6))
    assert set(_statuses(job).values()) == {ImportItemStatus.CREATED}
    assert Activity.objects.count() == 6
    assert done.attempts == 2
    # A finished job cannot be run again.
    assert import_job_run(job.pk) is None
    assert Activity.objects.count() == 6


@pytest.mark.django_db
def test_sweeper_requeues_only_jobs_that_lost_their_worker(alice: User) -> None:
    now = timezone.now()
    lost = import_job_create_files(owner=alice, paths=[])
    held = import_job_create_files(owner=alice, paths=[])
    fresh = import_job_create_files(owner=alice, paths=[])
    old = import_job_create_files(owner=alice, paths=[])
    finished = import_job_create_files(owner=alice, paths=[])
    ImportJob.objects.filter(pk=lost.pk).update(
        status=ImportStatus.RUNNING, lease_until=now - dt.timedelta(seconds=5)
    )
    ImportJob.objects.filter(pk=held.pk).update(
        status=ImportStatus.RUNNING, lease_until=now + dt.timedelta(seconds=30)
    )
    ImportJob.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(hours=1))
    ImportJob.objects.filter(pk=finished.pk).update(
        status=ImportStatus.DONE, created_at=now - dt.timedelta(hours=1)
    )
    queued: list[int] = []
    assert sorted(import_jobs_sweep(enqueue=queued.append)) == sorted([lost.pk, old.pk])
    assert sorted(queued) == sorted([lost.pk, old.pk])
    assert fresh.pk not in queued


@pytest.mark.django_db
def test_a_job_that_keeps_dying_is_given_up(alice: User, tmp_path: Path) -> None:
    path = tmp_path / "a.gpx"
    path.write_bytes(gpx_run(60))
    job = import_job_create_files(owner=alice, paths=[path])
    ImportJob.objects.filter(pk=job.pk).update(attempts=MAX_ATTEMPTS)
    done = import_job_run(job.pk)
    assert done is not None
    assert done.status == ImportStatus.FAILED
    assert "attempts" in done.error
    assert _statuses(job) == {str(path): ImportItemStatus.FAILED}


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ok.gpx", gpx_run(60))
        archive.writestr("bomb.gpx", b"<gpx>" + b" " * (40 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("archive", "words"),
    [(b"PK\x03\x04" + b"\x00" * 200, "zip"), (_bomb(), "")],
    ids=["corrupt", "bomb"],
)
def test_an_unusable_archive_fails_its_job_and_imports_nothing(
    alice: User, archive: bytes, words: str
) -> None:
    job = import_job_create_archive(owner=alice, data=archive, enqueue=False)
    done = import_job_run(job.pk)
    assert done is not None
    assert done.status == ImportStatus.FAILED
    assert done.error
    assert words in done.error
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_files_job_reports_unreadable_paths(alice: User, tmp_path: Path, settings: Any) -> None:
    good = tmp_path / "good.gpx"
    good.write_bytes(gpx_run(60))
    big = tmp_path / "big.gpx"
    big.write_bytes(gpx_run(600))
    settings.IMAS_UPLOAD_MAX_BYTES = good.stat().st_size + 10
    job = import_job_create_files(owner=alice, paths=[good, tmp_path / "gone.gpx", big])
    import_job_run(job.pk)
    statuses = _statuses(job)
    assert statuses[str(good)] == ImportItemStatus.CREATED
    assert statuses[str(tmp_path / "gone.gpx")] == ImportItemStatus.FAILED
    assert statuses[str(big)] == ImportItemStatus.FAILED
    reasons = {i.name: i.reason for i in ImportItem.objects.filter(job=job)}
    assert "larger than" in reasons[str(big)]


def test_lease_seconds_follows_settings(settings: Any) -> None:
    settings.IMAS_IMPORT_LEASE_SECONDS = 3
    assert imports.lease_seconds() == 3.0


@pytest.mark.django_db
def test_a_decoder_bug_costs_one_file_not_the_import(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    import imas.track

    real_read = imas.track.read
    poison = gpx_run(60, seed=99, start=1_717_228_800 + 99 * DAY)

    def read_with_a_bug(data: bytes) -> Any:
        if data == poison:  # stands in for a decoder defect on one particular file
            raise IndexError("index 7 is out of bounds")
        return real_read(data)

    monkeypatch.setattr(imas.track, "read", read_with_a_bug)
    job = import_job_create_archive(
        owner=alice, data=zip_of(_runs(2) | {"poison.gpx": poison}), enqueue=False
    )
    done = import_job_run(job.pk)
    assert done is not None
    assert done.status == ImportStatus.DONE
    statuses = _statuses(job)
    assert statuses["poison.gpx"] == ImportItemStatus.FAILED
    assert statuses["run00.gpx"] == statuses["run01.gpx"] == ImportItemStatus.CREATED
