"""`imas serve`: the web server (waitress) and, beside it, a background worker process.

This is the embedded, one-machine way to run IMAS. At scale, run `imas serve --no-worker`
(or any WSGI server on imas.wsgi) on web machines and `imas worker` on worker machines.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from typing import Any

from django.core.management.base import CommandError, CommandParser

from imas.core.management.parsers import OneLineErrorCommand

logger = logging.getLogger(__name__)


class WorkerProcess:
    """A child `imas worker`, started again if it dies, stopped with the server."""

    def __init__(self, beat: bool) -> None:
        self.command = [sys.executable, "-m", "imas.cli", "worker"]
        if beat:
            self.command.append("--beat")
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="imas-worker-watch", daemon=True)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)  # noqa: S603  (our own interpreter)
        self.thread.start()

    def _watch(self) -> None:
        delay = 1.0
        while not self.stopping.is_set():
            assert self.process is not None
            code = self.process.poll()
            if code is not None and not self.stopping.is_set():
                logger.warning("background worker exited with %s; starting it again", code)
                self.stopping.wait(delay)
                delay = min(delay * 2, 60.0)
                if not self.stopping.is_set():
                    self.process = subprocess.Popen(self.command)  # noqa: S603
            self.stopping.wait(1.0)

    def stop(self) -> None:
        self.stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()  # Celery's warm shutdown: finish the current job, then exit
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _proxy_options() -> dict[str, Any]:
    """Waitress drops X-Forwarded-* headers from peers it does not trust, so behind a TLS proxy
    (IMAS_TRUST_X_FORWARDED_PROTO, Django's SECURE_PROXY_SSL_HEADER) it must pass the proxy's
    X-Forwarded-Proto on; otherwise every request would be redirected to https for ever."""
    from django.conf import settings

    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return {}
    return {"trusted_proxy": "*", "trusted_proxy_headers": {"x-forwarded-proto"}}


class Command(OneLineErrorCommand):
    help = "Serve IMAS over HTTP and run the background worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("IMAS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("IMAS_PORT", "8000")))
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("IMAS_WEB_THREADS", "8"))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="web only (workers run elsewhere)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress

        from imas.wsgi import application

        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {options['port']}")
        worker = None if options["no_worker"] else WorkerProcess(beat=True)

        def on_term(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, on_term)
        try:
            server = waitress.create_server(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                **_proxy_options(),
            )
        except OSError as exc:
            address = f"{options['host']}:{options['port']}"
            raise CommandError(f"cannot listen on {address}: {exc}") from exc
        if worker is not None:
            worker.start()
        self.stdout.write(f"IMAS is serving at http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
            if worker is not None:
                worker.stop()
