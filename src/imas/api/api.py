"""The JSON API at /api/v1, assembled from the apps.

Each app that offers endpoints has an `api.py` with `router = ninja.Router(...)` and optionally
`API_PREFIX = "/things"`; every `imas.*` app in INSTALLED_APPS with such a module is mounted here
in INSTALLED_APPS order, so adding an app's endpoints needs no edit of this file.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from ninja import NinjaAPI

from imas.api.auth import api_auth
from imas.api.errors import install_error_handlers
from imas.api.parser import StrictJsonParser


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="IMAS API",
        version="1",
        description=(
            "Personal activity data on your own server. Authenticate with the browser session "
            "(send the CSRF token for writes) or `Authorization: Bearer <personal access token>`. "
            'Errors are `{"error": {"code": ..., "message": ..., "field": ...}}`.'
        ),
        urls_namespace="api-1",
        auth=api_auth,
        parser=StrictJsonParser(),
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_error_handlers(api)
    for config in apps.get_app_configs():
        if not config.name.startswith("imas."):
            continue
        module_name = f"{config.name}.api"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "API_PREFIX", ""), router)
    return api


api = build_api()
