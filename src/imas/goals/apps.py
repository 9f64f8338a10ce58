from django.apps import AppConfig


class GoalsConfig(AppConfig):
    """Goals per week, month, year or custom span, their progress and reached notes."""

    name = "imas.goals"
    label = "goals"
    verbose_name = "Goals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from imas.goals import receivers, tasks  # noqa: F401  (registers the Celery tasks)

        receivers.connect()
