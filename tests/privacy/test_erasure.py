"""Erasure: after the password again, the person and everything of theirs is gone at once.

The scan reads every table of every model (apps.get_models()), every text, char and JSON
column for the person's id and email, every column that points at a user for their id, and
every file under the storage folder for their email and their originals. Only what ALLOWED
names, with a reason, may remain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client

from imas.privacy.erasure import WrongPassword, account_erase
from imas.privacy.registry import apps_missing_hooks
from tests.conftest import PASSWORD
from tests.privacy.conftest import bearer, signed_in
from tests.privacy.people import PERSON_EMAIL, PERSON_ID, person_with_everything

pytestmark = pytest.mark.django_db

# (table, column): why the person's id or email may remain there after erasure.
ALLOWED: dict[tuple[str, str], str] = {
    ("privacy_disclosure", "recorded_by_name"): (
        "a disclosure of someone else's data keeps the name of the staff member who recorded "
        "it: that person's record must say who gave their data away (the link to the account "
        "itself is cleared)"
    ),
}

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.EmailField)


def leftovers(user_id: int, email: str) -> list[str]:
    found: list[str] = []
    needle_id, needle_email = str(user_id), email.lower()
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed:
            continue
        table = model._meta.db_table
        for field in model._meta.concrete_fields:
            key = (table, field.column)
            if key in ALLOWED:
                continue
            related = getattr(field, "related_model", None)
            if related is not None and related._meta.label == settings.AUTH_USER_MODEL:
                if model._default_manager.filter(**{field.attname: user_id}).exists():
                    found.append(f"{table}.{field.column} points at the person")
                continue
            if isinstance(field, models.IntegerField | models.BigIntegerField) and (
                "user" in (field.column or "") or "owner" in (field.column or "")
            ):
                if model._default_manager.filter(**{field.attname: user_id}).exists():
                    found.append(f"{table}.{field.column} holds the id")
                continue
            if not isinstance(field, TEXT_FIELDS):
                continue
            for value in model._default_manager.values_list(field.attname, flat=True):
                text = value if isinstance(value, str) else json.dumps(value)
                if text and (needle_id in text or needle_email in text.lower()):
                    found.append(f"{table}.{field.column} mentions the person: {text[:80]!r}")
    return found


def files_mentioning(root: Path, email: str, names: list[str]) -> list[str]:
    found = []
    for path in root.rglob("*") if root.exists() else []:
        if not path.is_file():
            continue
        if any(name in str(path) for name in names):
            found.append(f"{path} is one of the person's files")
        elif email.encode() in path.read_bytes():
            found.append(f"{path} mentions the email")
    return found


def test_every_app_registered_its_export_and_erasure() -> None:
    assert apps_missing_hooks() == []


def test_erasure_leaves_nothing_of_the_person(make_user: Any, commits: Any, client: Client) -> None:
    other = make_user()
    person = person_with_everything(commits)
    user = person.user
    # As staff, the person once recorded a legal disclosure of someone else's data.
    from imas.privacy.disclosures import disclosure_record

    recorded = disclosure_record(
        user=other,
        recipient="Court",
        basis="legal_obligation",
        reference="Order 1",
        scope="profile",
        recorded_by=user,
        not_told_reason="The order forbids it.",
    )
    session_client = signed_in(user)
    token_client = Client(HTTP_AUTHORIZATION=f"Bearer {person.token}")
    assert token_client.get("/api/v1/me").status_code == 200
    before = leftovers(PERSON_ID, PERSON_EMAIL)  # the scan does find the living person
    apps_with_data = {line.split("_", 1)[0] for line in before}
    assert apps_with_data >= {"accounts", "privacy", "activities", "segments", "goals", "insights"}
    media = Path(settings.MEDIA_ROOT)
    assert files_mentioning(media, PERSON_EMAIL, person.original_shas)

    wrong = token_client.delete("/api/v1/me", {"password": "not it at all"}, "application/json")
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "wrong_password"
    with commits(execute=True):
        erased = token_client.delete("/api/v1/me", {"password": PASSWORD}, "application/json")
    assert erased.status_code == 204

    # Sessions and tokens die at once.
    assert token_client.get("/api/v1/me").status_code == 401
    assert session_client.get("/api/v1/me").status_code == 401
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(PERSON_ID) for s in Session.objects.all()
    )
    # Nothing in any table, nothing in the storage folder.
    assert leftovers(PERSON_ID, PERSON_EMAIL) == []
    assert files_mentioning(media, PERSON_EMAIL, person.original_shas) == []
    # Someone else is untouched; the disclosure they are owed still names who recorded it.
    assert bearer(other).get("/api/v1/me").json()["email"] == other.email
    recorded.refresh_from_db()
    assert recorded.recorded_by is None
    assert recorded.recorded_by_name == PERSON_EMAIL


def test_a_wrong_password_erases_nothing(make_user: Any) -> None:
    user = make_user()
    with pytest.raises(WrongPassword):
        account_erase(user=user, password="")
    with pytest.raises(WrongPassword):
        account_erase(user=user, password="a long enough passphrase 43")
    user.refresh_from_db()


def test_the_page_asks_for_the_password_again(make_user: Any, commits: Any) -> None:
    user = make_user()
    client = signed_in(user)
    refused = client.post("/privacy/delete-account/", {"password": "nope"})
    assert refused.status_code == 400
    assert "nothing was deleted" in refused.content.decode()
    with commits(execute=True):
        done = client.post("/privacy/delete-account/", {"password": PASSWORD}, follow=True)
    assert "have been deleted" in done.content.decode()
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert client.get("/privacy/settings/").status_code == 302  # signed out


@pytest.mark.parametrize(
    ("body", "status"),
    [({}, 422), ({"password": 5}, 422), ({"password": "x", "more": 1}, 422)],
)
def test_api_erasure_refuses_bad_bodies(make_user: Any, body: Any, status: int) -> None:
    user = make_user()
    assert bearer(user).delete("/api/v1/me", body, "application/json").status_code == status
    assert type(user).objects.filter(pk=user.pk).exists()
