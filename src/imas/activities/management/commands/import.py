"""`imas import --email E PATH...` and `imas import --email E --watch DIR`.

Files, folders (searched recursively) and zip archives are imported for one person through the
same import jobs the worker runs, here in this process so the progress shows on the terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imas.activities import imports, selectors
from imas.activities.models import ImportItem, ImportItemStatus, ImportJob, Source, Sport
from imas.activities.services import is_archive


class Command(BaseCommand):
    help = "Import activity files, folders and zip archives for one person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="files, folders, zip archives")
        parser.add_argument("--email", required=True, help="whose activities these are")
        parser.add_argument("--sport", choices=Sport.values, help="sport for every file")
        parser.add_argument("--watch", type=Path, help="keep importing new files in this folder")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between looks (--watch)"
        )
        parser.add_argument(
            "--rounds", type=int, default=0, help="stop watching after N looks (0: never)"
        )
        parser.add_argument(
            "--sweep", action="store_true", help="also re-queue stuck import jobs for the worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from imas.accounts.selectors import user_by_email

        owner = user_by_email(options["email"])
        if owner is None:
            raise CommandError(f"no account with the email {options['email']}")
        if options["sweep"]:
            requeued = imports.import_jobs_sweep()
            self.stdout.write(f"re-queued {len(requeued)} stuck import job(s)")
        paths: list[Path] = options["paths"]
        watch: Path | None = options["watch"]
        if not paths and watch is None:
            if options["sweep"]:
                return
            raise CommandError("give files, folders or archives to import, or --watch DIR")
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"not found: {missing[0]}")
        tally = _Tally()
        if paths:
            self._import(owner, _files_under(paths), options["sport"], tally)
        if watch is not None:
            if not watch.is_dir():
                raise CommandError(f"not a folder: {watch}")
            try:
                self._watch(owner, watch, options, tally)
            except KeyboardInterrupt:
                self.stderr.write("\nstopped watching")
        self.stdout.write(tally.summary())
        if tally.failed and not watch:
            raise CommandError(f"{len(tally.failed)} file(s) could not be imported")

    def _import(self, owner: Any, files: list[Path], sport: str | None, tally: _Tally) -> None:
        archives = [f for f in files if _looks_like_zip(f)]
        singles = [f for f in files if f not in set(archives)]
        jobs: list[ImportJob] = []
        if singles:
            jobs.append(
                imports.import_job_create_files(
                    owner=owner, paths=singles, sport=sport, source=Source.IMPORT
                )
            )
        for archive in archives:
            try:
                data = archive.read_bytes()
            except OSError as exc:
                tally.failed.append((str(archive), f"cannot read the file: {exc.strerror}"))
                continue
            jobs.append(
                imports.import_job_create_archive(
                    owner=owner, data=data, filename=str(archive), sport=sport, enqueue=False
                )
            )
        progress = _Progress(self.stderr, sum(j.total or 0 for j in jobs))
        for job in jobs:
            done = imports.import_job_run(job.pk, progress=progress.step)
            if done is None:
                raise CommandError(f"import {job.pk} is being run by a worker; try again later")
            if job.kind == ImportJob.Kind.ARCHIVE and done.status == "failed":
                tally.failed.append((job.archive_name, done.error))
            tally.add(selectors.import_job_items(done), archive=job.archive_name)
        progress.close()

    def _watch(self, owner: Any, folder: Path, options: dict[str, Any], tally: _Tally) -> None:
        self.stderr.write(f"watching {folder} (Ctrl-C to stop)")
        seen: dict[Path, tuple[int, int]] = {}
        done: set[tuple[Path, int, int]] = set()
        rounds = 0
        while True:
            stable: list[Path] = []
            current: dict[Path, tuple[int, int]] = {}
            for path in _files_under([folder]):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                current[path] = (stat.st_size, stat.st_mtime_ns)
                # Import a file once it has stopped changing between two looks: a file that is
                # still being copied in would otherwise be read half-written.
                if seen.get(path) == current[path] and (path, *current[path]) not in done:
                    stable.append(path)
            for path in stable:
                done.add((path, *current[path]))
            if stable:
                self._import(owner, stable, options["sport"], tally)
            seen = current
            rounds += 1
            if options["rounds"] and rounds >= options["rounds"]:
                return
            time.sleep(max(options["interval"], 0.05))


def _files_under(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.parts)
                )
            )
        elif path.is_file():
            files.append(path)
    return files


def _looks_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return is_archive(handle.read(4))
    except OSError:
        return False


class _Tally:
    def __init__(self) -> None:
        self.created = 0
        self.duplicates = 0
        self.failed: list[tuple[str, str]] = []

    def add(self, items: Iterable[ImportItem], archive: str = "") -> None:
        for item in items:
            if item.status == ImportItemStatus.CREATED:
                self.created += 1
            elif item.status == ImportItemStatus.DUPLICATE:
                self.duplicates += 1
            elif item.status == ImportItemStatus.FAILED:
                name = f"{archive}:{item.name}" if archive else item.name
                self.failed.append((name, item.reason))

    def summary(self) -> str:
        lines = [
            f"{self.created} created, {self.duplicates} already there, {len(self.failed)} failed"
        ]
        lines.extend(f"  failed: {name}: {reason}" for name, reason in self.failed)
        return "\n".join(lines)


class _Progress:
    """A one-line progress bar on stderr (redrawn in place on a terminal)."""

    WIDTH = 30

    def __init__(self, stream: Any, total: int) -> None:
        self.stream = stream
        self.total = total
        self.done = 0
        self.tty = bool(getattr(sys.stderr, "isatty", lambda: False)())

    def step(self, job: ImportJob, item: ImportItem) -> None:
        self.done += 1
        total = max(self.total, job.total or 0, self.done)
        filled = self.WIDTH * self.done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        name = Path(item.name).name[:40]
        line = f"[{bar}] {self.done}/{total} {name}: {item.status}"
        if self.tty:
            self.stream.write(f"\r\x1b[K{line}", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def close(self) -> None:
        if self.tty and self.done:
            self.stream.write("")
