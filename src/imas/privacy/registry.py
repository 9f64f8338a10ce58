"""Where each app says how to export and how to erase what it holds about a person.

`privacy` never imports the other apps: each `imas.*` app has a `privacy_hooks.py` that calls
`register(...)` when imported, and `discover()` (run from PrivacyConfig.ready) imports every
such module, the way the API assembles each app's `api.py`. `registry_check()` (a system
check and a test) fails when an app has a model pointing at the user and registered nothing,
so a new app cannot forget its part of export and erasure.

An exporter writes its parts through an ExportWriter; an eraser deletes the person's rows and
files of its app. Erasers run inside the erasing transaction, before the user row goes.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


class ExportWriter(Protocol):
    """What an exporter writes to: JSON documents and files inside the export zip."""

    def json(self, path: str, data: Any) -> None: ...

    def file(self, path: str, data: bytes) -> None: ...

    def wants(self, part: str) -> bool:
        """False for a part outside the scope of this export (a scoped legal disclosure)."""
        ...


Exporter = Callable[[Any, ExportWriter], None]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class DataHooks:
    app_label: str
    parts: tuple[str, ...]
    exporter: Exporter
    eraser: Eraser


_hooks: dict[str, DataHooks] = {}


def register(app_label: str, *, parts: tuple[str, ...], exporter: Exporter, eraser: Eraser) -> None:
    """Called once per app from its privacy_hooks.py."""
    _hooks[app_label] = DataHooks(app_label, tuple(parts), exporter, eraser)


def registered() -> list[DataHooks]:
    """Every app's hooks, in INSTALLED_APPS order."""
    from django.apps import apps

    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    return sorted(_hooks.values(), key=lambda h: order.get(h.app_label, len(order)))


def all_parts() -> list[str]:
    return [part for hooks in registered() for part in hooks.parts]


def discover() -> None:
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("imas."):
            continue
        module = f"{config.name}.privacy_hooks"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def apps_missing_hooks() -> list[str]:
    """Labels of our apps that keep rows pointing at a person but registered no hooks."""
    from django.apps import apps
    from django.conf import settings

    missing: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("imas.") or config.label in _hooks:
            continue
        for model in config.get_models():
            related = [
                getattr(f, "related_model", None)
                for f in model._meta.get_fields()
                if f.is_relation and f.concrete
            ]
            if any(r is not None and r._meta.label == settings.AUTH_USER_MODEL for r in related):
                missing.append(config.label)
                break
    return missing


def model_rows(queryset: Any, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Rows as plain dicts of their concrete fields (foreign keys as ids), for exporters."""
    model = queryset.model
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in exclude and f.attname not in exclude
    ]
    rows: list[dict[str, Any]] = []
    for row in queryset.values(*names):
        rows.append(
            {
                k: (bytes(v).hex() if isinstance(v, bytes | memoryview) else v)
                for k, v in row.items()
            }
        )
    return rows
