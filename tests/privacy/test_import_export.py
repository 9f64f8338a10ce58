"""`imas import-export FILE --email E`: an export restored as a new account."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from imas.accounts.models import User
from imas.activities.models import Activity
from imas.goals.models import Goal
from imas.privacy.exports import export_request
from imas.privacy.selectors import consent_states
from tests.privacy.people import person_with_everything

pytestmark = pytest.mark.django_db


def _export_bytes(user: Any, commits: Any) -> bytes:
    with commits(execute=True):
        job = export_request(user=user)
    job.refresh_from_db()
    with default_storage.open(job.file_name, "rb") as handle:
        return bytes(handle.read())


def test_an_export_comes_back_as_a_new_account(commits: Any, tmp_path: Path, capsys: Any) -> None:
    person = person_with_everything(commits)
    Activity.objects.filter(pk=person.activity_ids[0]).update(
        name="Renamed by Erin", visibility="public", description="hills"
    )
    path = tmp_path / "export.zip"
    path.write_bytes(_export_bytes(person.user, commits))
    with commits(execute=True):
        call_command("import-export", str(path), "--email", "erin@elsewhere.example")
    restored = User.objects.get(email="erin@elsewhere.example")
    assert not restored.has_usable_password()
    assert (restored.name, restored.weight_kg, restored.birthday) == (
        person.user.name,
        person.user.weight_kg,
        person.user.birthday,
    )
    assert consent_states(restored)["health_data"] is True
    theirs = Activity.objects.filter(owner=person.user).count()
    assert Activity.objects.filter(owner=restored).count() == theirs
    again = Activity.objects.get(owner=restored, name="Renamed by Erin")
    assert again.visibility == "public"
    assert again.description == "hills"
    assert Goal.objects.filter(owner=restored, name="Erin weekly").exists()
    assert "Restored account erin@elsewhere.example" in capsys.readouterr().out


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "not a zip"),
        (_zip({"profile.json": b"{}"}), "manifest.json is missing"),
        (_zip({"manifest.json": b'{"format": "other"}'}), "does not describe"),
        (_zip({"manifest.json": b'{"format": "imas-export", "version": 99}'}), "version 99"),
        (
            _zip(
                {
                    "manifest.json": json.dumps(
                        {
                            "format": "imas-export",
                            "version": 1,
                            "files": [{"path": "profile.json", "sha256": "0" * 64}],
                        }
                    ).encode(),
                    "profile.json": b'{"name": "X"}',
                }
            ),
            "checksum",
        ),
    ],
)
def test_a_bad_archive_is_refused_with_a_reason(
    make_user: Any, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import-export", str(path), "--email", "new@example.org")
    assert not User.objects.filter(email="new@example.org").exists()


def test_an_address_in_use_is_refused(make_user: Any, commits: Any, tmp_path: Path) -> None:
    taken = make_user()
    path = tmp_path / "export.zip"
    path.write_bytes(_export_bytes(taken, commits))
    with pytest.raises(CommandError, match="email"):
        call_command("import-export", str(path), "--email", taken.email)


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import-export", str(tmp_path / "nope.zip"), "--email", "a@example.org")
