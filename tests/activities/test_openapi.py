"""The activities endpoints are described in the OpenAPI document that clients read."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_openapi_lists_every_activities_endpoint(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/v1/activities",
        "/api/v1/activities/manual",
        "/api/v1/activities/{activity_id}",
        "/api/v1/activities/{activity_id}/streams",
        "/api/v1/activities/{activity_id}/original",
        "/api/v1/activities/{activity_id}/gpx",
        "/api/v1/imports",
        "/api/v1/imports/{job_id}",
    ):
        assert path in paths, path
    upload = paths["/api/v1/activities"]["post"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert {"200", "201", "202", "413", "415"} <= set(upload["responses"])
    assert set(paths["/api/v1/activities/{activity_id}"]) == {"get", "patch", "delete"}
