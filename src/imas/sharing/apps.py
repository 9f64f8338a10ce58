from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    """Who sees what: followers, blocks, activity sharing options, profiles, privacy zones."""

    name = "imas.sharing"
    label = "sharing"
    verbose_name = _("Sharing and privacy zones")
    default_auto_field = "django.db.models.BigAutoField"
