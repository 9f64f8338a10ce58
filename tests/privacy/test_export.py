"""The export: everything, in a documented and versioned zip, built in the background, no
secret in it, downloadable only by its owner, signed in, for 7 days."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from imas.accounts.models import PersonalAccessToken
from imas.privacy.exports import VERSION, SecretInExport, ZipExportWriter, export_request
from imas.privacy.models import ExportJob
from tests.privacy.conftest import bearer, signed_in
from tests.privacy.people import person_with_everything

pytestmark = pytest.mark.django_db


def _zip_of(response: Any) -> zipfile.ZipFile:
    data = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_export_holds_everything_and_no_secret(commits: Any, mailoutbox: list[Any]) -> None:
    from allauth.mfa.models import Authenticator

    person = person_with_everything(commits)
    user = person.user
    Authenticator.objects.create(
        user=user, type="totp", data={"secret": "JBSWY3DPEHPK3PXPSECRETTOTP"}
    )
    api = bearer(user)
    with commits(execute=True):
        asked = api.post("/api/v1/privacy/exports")
    assert asked.status_code == 202
    export_id = asked.json()["id"]
    status = api.get(f"/api/v1/privacy/exports/{export_id}").json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["download"]
    download = api.get(status["download"])
    assert download.status_code == 200
    archive = _zip_of(download)
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "imas-export"
    assert manifest["version"] == VERSION
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    for part in (
        "profile",
        "settings",
        "consents",
        "disclosures",
        "activities",
        "goals",
        "segments",
    ):
        assert part in manifest["parts"], part
    assert json.loads(archive.read("profile.json"))["email"] == user.email
    consents = json.loads(archive.read("consents.json"))
    assert {c["purpose"] for c in consents} >= {"privacy_policy", "body_data", "health_data"}
    assert all(len(c["text_hash"]) == 64 for c in consents)
    assert json.loads(archive.read("disclosures.json"))[0]["recipient"] == "Strava"
    for activity_id in person.activity_ids:
        original = archive.read(f"activities/{activity_id}/original.gpx")
        assert b"<gpx" in original
        assert b"Erin run" in original
        assert b"<trkpt" in archive.read(f"activities/{activity_id}/activity.gpx")
    assert any(n.startswith("segments/") or n == "segments.json" for n in names)
    assert any("goals" in n for n in names)

    # No secret: the password hash, a token (or its hash), the TOTP secret, the server key.
    from django.conf import settings

    secrets = [
        user.password,
        user.password.split("$")[-1],
        person.token,
        PersonalAccessToken.objects.filter(user=user).first().token_hash,  # type: ignore[union-attr]
        "JBSWY3DPEHPK3PXPSECRETTOTP",
        settings.SECRET_KEY,
    ]
    everything = b"".join(archive.read(n) for n in names)
    for secret in secrets:
        assert secret.encode() not in everything
    assert b"password" not in b"".join(archive.read(n) for n in names if n.endswith(".json"))
    # The person is emailed a link to the page that needs them signed in.
    ready = [m for m in mailoutbox if "export is ready" in m.subject]
    assert ready
    assert f"/privacy/exports/{export_id}/download/" in ready[-1].body


def test_the_download_needs_the_owner_signed_in_and_expires(make_user: Any, commits: Any) -> None:
    owner, other = make_user(), make_user()
    with commits(execute=True):
        job = export_request(user=owner)
    url = f"/privacy/exports/{job.pk}/download/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert signed_in(other).get(url).status_code == 404
    assert bearer(other).get(f"/api/v1/privacy/exports/{job.pk}").status_code == 404
    page = signed_in(owner).get(url)
    assert page.status_code == 200
    assert "manifest.json" in _zip_of(page).namelist()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert signed_in(owner).get(url).status_code == 404
    api = bearer(owner)
    assert api.get(f"/api/v1/privacy/exports/{job.pk}").json()["download"] is None
    assert api.get(f"/api/v1/privacy/exports/{job.pk}?download=1").status_code == 404


def test_the_link_lasts_seven_days(make_user: Any, commits: Any) -> None:
    with commits(execute=True):
        job = export_request(user=make_user())
    job.refresh_from_db()
    assert job.expires_at is not None
    assert job.finished_at is not None
    assert job.expires_at - job.finished_at == dt.timedelta(days=7)


def test_the_exports_page_shows_progress_and_builds_on_request(
    make_user: Any, commits: Any
) -> None:
    client = signed_in(make_user())
    with commits(execute=True):
        answer = client.post("/privacy/exports/", follow=True)
        html = answer.content.decode()
        assert "being built" in html
        assert "Queued" in html
    html = client.get("/privacy/exports/").content.decode()
    assert '<progress max="100" value="100">' in html
    assert "Download" in html


def test_an_exporter_writing_a_secret_fails_the_build() -> None:
    with zipfile.ZipFile(io.BytesIO(), "w") as archive:
        writer = ZipExportWriter(archive, None)
        with pytest.raises(SecretInExport):
            writer.json("profile.json", {"name": "x", "nested": [{"password": "hash"}]})
        with pytest.raises(ValueError, match="bad export path"):
            writer.file("../escape.txt", b"")


def test_a_failed_build_says_so(make_user: Any, commits: Any, monkeypatch: Any) -> None:
    from imas.privacy import registry

    def broken(user: Any, writer: Any) -> None:
        raise RuntimeError("disk full")

    hooks = registry._hooks["privacy"]
    monkeypatch.setitem(
        registry._hooks, "privacy", registry.DataHooks("privacy", hooks.parts, broken, hooks.eraser)
    )
    with commits(execute=True):
        job = export_request(user=make_user())
    job.refresh_from_db()
    assert job.status == "failed"
    assert "disk full" in job.error


def test_expired_export_files_are_removed(make_user: Any, commits: Any) -> None:
    from django.core.files.storage import default_storage

    from imas.privacy.exports import exports_expired_delete

    with commits(execute=True):
        job = export_request(user=make_user())
    job.refresh_from_db()
    assert default_storage.exists(job.file_name)
    assert exports_expired_delete() == 0
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert exports_expired_delete() == 1
    assert not default_storage.exists(job.file_name)
