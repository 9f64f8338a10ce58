"""Personal access tokens through the API: stored hashed, listed and revocable by the owner."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from imas.accounts.models import PersonalAccessToken, token_hash
from imas.accounts.services import token_create

pytestmark = pytest.mark.django_db


def test_create_list_and_revoke(api: Client, ann: Any) -> None:
    created = api.post(
        "/api/v1/tokens", json.dumps({"name": "watch sync"}), content_type="application/json"
    )
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("imas_pat_")
    row = PersonalAccessToken.objects.get(pk=created.json()["id"])
    assert row.token_hash == token_hash(secret)
    assert row.user == ann
    listed = api.get("/api/v1/tokens").json()
    assert {t["name"] for t in listed} == {"tests", "watch sync"}
    assert all("token" not in t for t in listed)  # never shown again
    new_client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert new_client.get("/api/v1/me").status_code == 200
    assert api.delete(f"/api/v1/tokens/{row.pk}").status_code == 204
    assert new_client.get("/api/v1/me").status_code == 401
    assert api.delete(f"/api/v1/tokens/{row.pk}").status_code == 404


def test_someone_elses_token_is_not_found(api: Client, make_user: Any) -> None:
    bob = make_user()
    bob_row, bob_secret = token_create(user=bob, name="bob's")
    assert api.delete(f"/api/v1/tokens/{bob_row.pk}").status_code == 404
    assert Client(HTTP_AUTHORIZATION=f"Bearer {bob_secret}").get("/api/v1/me").status_code == 200
    names = [t["name"] for t in api.get("/api/v1/tokens").json()]
    assert "bob's" not in names


def test_last_used_is_recorded(api: Client, ann: Any) -> None:
    api.get("/api/v1/me")
    assert PersonalAccessToken.objects.get(user=ann).last_used_at is not None


def test_token_name_is_required(api: Client) -> None:
    response = api.post("/api/v1/tokens", json.dumps({"name": ""}), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "name"


def test_openapi_and_docs(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/me" in paths
    assert "/api/v1/tokens" in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn." not in html
    assert "https://" not in html
