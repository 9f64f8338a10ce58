"""Celery tasks of the activities app: thin wrappers that take ids and call services.

Tasks are idempotent (a job is claimed with a lease, each file's outcome is recorded with it),
so a redelivered or re-queued message does no harm.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

logger = logging.getLogger(__name__)

SWEEP_EVERY_S = 60.0


@shared_task(name="activities.import_job_run", ignore_result=True)  # type: ignore[untyped-decorator]
def import_job_run_task(job_id: int) -> None:
    from imas.activities.imports import import_job_run

    import_job_run(int(job_id))


@shared_task(name="activities.import_jobs_sweep", ignore_result=True)  # type: ignore[untyped-decorator]
def import_jobs_sweep_task() -> None:
    from imas.activities.imports import import_jobs_sweep

    import_jobs_sweep()


@worker_ready.connect  # type: ignore[untyped-decorator]
def _sweep_when_a_worker_starts(**_kwargs: Any) -> None:
    # A worker starting is often one coming back after a crash: pick up what the dead one left,
    # now and once more when a lease it held must have run out (beat sweeps every minute too,
    # but a lone `imas worker` may run without beat).
    try:
        from imas.activities.imports import import_jobs_sweep, lease_seconds

        import_jobs_sweep()
        import_jobs_sweep_task.apply_async(countdown=lease_seconds() + 1)
    except Exception:  # a sweep failing must not stop the worker from starting
        logger.exception("sweeping import jobs at worker start failed")


def _register_periodic_sweep() -> None:
    # Beat (the embedded worker's or a separate one) runs the sweep every minute.
    from imas.celery import app

    schedule = dict(app.conf.beat_schedule or {})
    schedule["activities-import-sweep"] = {
        "task": "activities.import_jobs_sweep",
        "schedule": SWEEP_EVERY_S,
    }
    app.conf.beat_schedule = schedule


_register_periodic_sweep()
