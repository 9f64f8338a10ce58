"""Celery tasks for activities (filled in below)."""
