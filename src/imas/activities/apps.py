from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    """Uploads, imports, storage of originals and streams, and analysis results."""

    name = "imas.activities"
    label = "activities"
    verbose_name = "Activities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery tasks with the app, so a worker that loads Django finds them.
        from django.db.models.signals import post_delete

        from imas.activities import tasks  # noqa: F401
        from imas.activities.models import Activity, ImportJob
        from imas.activities.services import files_follow_rows

        # Stored files follow their rows, however the rows go (see files_follow_rows).
        for model in (Activity, ImportJob):
            post_delete.connect(files_follow_rows, sender=model, dispatch_uid=f"files-{model}")
