"""A damaged file keeps what it held before the damage, and the person is told so.

A watch that died mid-ride leaves a truncated FIT file. IMAS keeps the part before the cut
(the decoder's contract) and the upload answer carries the decoder's notes, which the upload
page shows beside the new activity rather than a plain "Added".
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.fit_writer import activity_file, synthetic_samples


def test_truncated_fit_is_kept_with_notes_in_the_answer(alice_api: Client) -> None:
    whole = activity_file(synthetic_samples(1200))
    cut = whole[: len(whole) * 2 // 3]

    response = alice_api.post("/api/v1/activities", {"file": SimpleUploadedFile("ride.fit", cut)})

    assert response.status_code == 201, response.content[:300]
    body = response.json()
    assert any("truncated" in note for note in body["warnings"])
    detail = alice_api.get(f"/api/v1/activities/{body['id']}").json()
    # Roughly the first two thirds of the ride survive the cut.
    assert 600 < detail["points"] < 1200


def test_whole_file_has_no_notes(alice_api: Client) -> None:
    response = alice_api.post(
        "/api/v1/activities",
        {"file": SimpleUploadedFile("ride.fit", activity_file(synthetic_samples(300)))},
    )

    assert response.status_code == 201
    assert response.json()["warnings"] == []
