from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _sqlite_tuning(sender: Any, connection: Any, **kwargs: Any) -> None:
    """WAL lets the worker write while the web server reads; foreign keys are enforced."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=20000")


class CoreConfig(AppConfig):
    """Shared infrastructure: page layout, stylesheet, home page, email helpers, commands."""

    name = "imas.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        connection_created.connect(_sqlite_tuning, dispatch_uid="imas_sqlite_tuning")
        # Loading the Celery app here lets every @shared_task enqueue through it.
        import imas.celery  # noqa: F401
