from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    """Uploads, imports, storage of originals and streams, and analysis results."""

    name = "imas.activities"
    label = "activities"
    verbose_name = "Activities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery tasks with the app, so a worker that loads Django finds them.
        from imas.activities import tasks  # noqa: F401
