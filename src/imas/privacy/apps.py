from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "imas.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, pre_delete

        from imas.privacy import ledger_guard, receivers, registry, tasks  # noqa: F401

        user_model = get_user_model()
        # Erasing an account is the one way its consent rows may go (see ledger_guard).
        pre_delete.connect(
            ledger_guard.on_user_pre_delete, sender=user_model, dispatch_uid="privacy-release"
        )
        post_delete.connect(
            ledger_guard.on_user_post_delete, sender=user_model, dispatch_uid="privacy-unrelease"
        )
        receivers.connect()
        registry.discover()
        checks.register(_every_app_has_privacy_hooks)


def _every_app_has_privacy_hooks(**kwargs: Any) -> list[checks.CheckMessage]:
    """An app keeping rows about a person must say how to export and erase them."""
    from imas.privacy.registry import apps_missing_hooks

    return [
        checks.Error(
            f"the {label} app keeps rows about people but registers no export and erasure",
            hint=f"add imas/{label}/privacy_hooks.py calling imas.privacy.registry.register()",
            id="imas.privacy.E001",
        )
        for label in apps_missing_hooks()
    ]
