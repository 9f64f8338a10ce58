"""The disclosure ledger: recorded with a basis, the person told (or why not), every
disclosure shown to them, and a legal disclosure recorded by staff with its scoped export."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from imas.privacy.disclosures import disclosure_record
from imas.privacy.models import Disclosure
from tests.privacy.conftest import signed_in, staff_client

pytestmark = pytest.mark.django_db


def test_a_disclosure_is_recorded_and_the_person_told(
    make_user: Any, commits: Any, mailoutbox: list[Any]
) -> None:
    user = make_user()
    with commits(execute=True):
        row = disclosure_record(
            user=user, recipient="Strava", basis="request", scope="Morning run (GPX)"
        )
    row.refresh_from_db()
    assert row.person_told_at is not None
    told = [m for m in mailoutbox if m.to == [user.email]]
    assert len(told) == 1
    assert "Strava" in told[0].subject
    assert "Morning run" in told[0].body


def test_a_disclosure_the_person_may_not_be_told_of_says_why(
    make_user: Any, commits: Any, mailoutbox: list[Any]
) -> None:
    user = make_user()
    with commits(execute=True):
        row = disclosure_record(
            user=user,
            recipient="Vienna police",
            basis="legal_obligation",
            reference="Court order 12 Cg 34/26",
            scope="Activities of May 2026",
            not_told_reason="The order forbids telling the person for 90 days.",
        )
    row.refresh_from_db()
    assert row.person_told_at is None
    assert mailoutbox == []
    page = signed_in(user).get("/privacy/disclosures/").content.decode()
    assert "Vienna police" in page
    assert "forbids telling the person" in page
    assert "Court order 12 Cg 34/26" in page


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"recipient": " "}, "recipient"),
        ({"basis": "because"}, "basis"),
        ({"scope": ""}, "scope"),
        ({"basis": "legal_obligation", "reference": ""}, "reference"),
        ({"scope_parts": ["passwords"]}, "scope_parts"),
    ],
)
def test_a_disclosure_needs_recipient_basis_scope_and_for_the_law_a_reference(
    make_user: Any, fields: dict[str, Any], bad: str
) -> None:
    base = {"recipient": "Garmin", "basis": "consent", "scope": "activities", "reference": ""}
    with pytest.raises(ValidationError) as caught:
        disclosure_record(user=make_user(), **{**base, **fields})
    assert bad in caught.value.message_dict


def test_each_person_sees_only_their_own_disclosures(make_user: Any) -> None:
    ann, bob = make_user(), make_user()
    disclosure_record(user=ann, recipient="Strava", basis="request", scope="one run")
    assert "Strava" in signed_in(ann).get("/privacy/disclosures/").content.decode()
    page = signed_in(bob).get("/privacy/disclosures/").content.decode()
    assert "Strava" not in page
    assert "never been given" in page


def test_staff_record_a_legal_disclosure_and_imas_builds_the_scoped_export(
    make_user: Any, commits: Any, mailoutbox: list[Any], upload: Any
) -> None:
    person = make_user()
    upload(person)
    staff = make_user()
    client = staff_client(staff)
    form = {
        "user": person.pk,
        "recipient": "Vienna police",
        "basis": "legal_obligation",
        "reference": "",
        "scope": "Profile and activities",
        "scope_parts": '["profile", "activities"]',
        "not_told_reason": "",
    }
    refused = client.post("/admin/privacy/disclosure/add/", form)
    assert refused.status_code == 200
    assert "needs the order" in refused.content.decode()
    with commits(execute=True):
        done = client.post("/admin/privacy/disclosure/add/", {**form, "reference": "Order 7/26"})
    assert done.status_code == 302
    row = Disclosure.objects.get(user=person)
    assert row.recorded_by == staff
    assert row.reference == "Order 7/26"
    assert row.export is not None
    assert row.export.status == "done"
    assert row.export.for_disclosure  # not offered to the person as their own export
    with default_storage.open(row.export.file_name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["parts"] == ["profile", "activities"]
    assert "profile.json" in archive.namelist()
    assert "consents.json" not in archive.namelist()  # outside the scope
    assert any(m.to == [person.email] and "Vienna police" in m.subject for m in mailoutbox)
    change = client.get(f"/admin/privacy/disclosure/{row.pk}/change/")
    assert change.status_code == 200
    assert "Download the export" in change.content.decode()
    fetched = client.get(f"/admin/privacy/disclosure/{row.pk}/export/")
    assert fetched.status_code == 200
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(fetched.getvalue())).namelist()
    assert signed_in(person).get(f"/admin/privacy/disclosure/{row.pk}/export/").status_code == 302
