from django.apps import AppConfig


class TilesConfig(AppConfig):
    """The map tile proxy: /tiles/{z}/{x}/{y}.png from the configured upstream, cached."""

    name = "imas.tiles"
    label = "tiles"
    verbose_name = "Map tiles"
    default_auto_field = "django.db.models.BigAutoField"
