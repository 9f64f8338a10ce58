from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Trends across a person's activities: totals, training load, comparable efforts, heat map,
    year in review, and the dashboard that shows them."""

    name = "imas.insights"
    label = "insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from imas.insights import receivers, tasks  # noqa: F401  (registers the Celery tasks)

        receivers.connect()
