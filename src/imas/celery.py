"""The Celery application: `imas worker` and the worker that `imas serve` starts run it.

Configuration comes from Django settings (the CELERY_* names). Tasks are found in each app's
tasks.py. Enqueue after the transaction commits: `some_task.delay_on_commit(pk)`, so a worker
never looks for a row that is not yet visible.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imas.settings")

app = Celery("imas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
