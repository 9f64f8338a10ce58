from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    """Segments (sections of road or trail), the efforts on them, and personal records."""

    name = "imas.segments"
    label = "segments"
    verbose_name = "Segments and records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery tasks, and subscribes to the activities' domain events.
        from imas.segments import receivers, tasks  # noqa: F401
