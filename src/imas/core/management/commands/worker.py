"""`imas worker`: run a Celery worker for IMAS background jobs (as many machines as needed)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from imas.core.management.parsers import OneLineErrorCommand


class Command(OneLineErrorCommand):
    help = "Run a background worker (Celery). Add --beat on exactly one machine for periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency",
            type=int,
            default=int(os.environ.get("IMAS_WORKER_CONCURRENCY", "2")),
            help="jobs run at the same time (default 2, or IMAS_WORKER_CONCURRENCY)",
        )
        parser.add_argument("--beat", action="store_true", help="also run periodic jobs")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args: Any, **options: Any) -> None:
        from imas.celery import app

        argv = [
            "worker",
            f"--loglevel={options['loglevel']}",
            f"--concurrency={max(1, options['concurrency'])}",
            "--without-gossip",
            "--without-mingle",
        ]
        if options["beat"]:
            argv += ["--beat", f"--schedule={settings.DATA_DIR / 'celerybeat-schedule'}"]
        app.worker_main(argv)
