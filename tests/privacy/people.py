"""A person with data in every app, for the export and erasure tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

from imas.accounts.models import User
from imas.accounts.services import device_seen, token_create, user_create
from tests.activities.files import gpx_run, zip_of
from tests.conftest import PASSWORD

# A distinctive id, so that a scan for it finds this person and not a stray "3".
PERSON_ID = 987_654_321
PERSON_EMAIL = "erase.me.completely@example.org"


def next_user_id_is(user_id: int) -> None:
    """Make the next account get `user_id` (SQLite: AUTOINCREMENT; PostgreSQL: the sequence)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %s)", [user_id - 1]
            )
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'accounts_user'")
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('accounts_user', %s)",
                [user_id - 1],
            )


@dataclass
class Person:
    user: User
    token: str
    activity_ids: list[int]
    original_shas: list[str]


def person_with_everything(commits: Any) -> Person:
    """Profile, consents, a token, a known browser, activities (with original files and an
    archive import), a segment with an effort and a record, a goal reached, daily totals,
    a disclosure, an export, a follow and a privacy zone."""
    from imas.activities.services import activity_upload_file
    from imas.goals.services import goal_create
    from imas.privacy.disclosures import disclosure_record
    from imas.privacy.exports import export_request
    from imas.segments.services import segment_create_from_activity

    next_user_id_is(PERSON_ID)
    with commits(execute=True):
        user = user_create(
            email=PERSON_EMAIL,
            password=PASSWORD,
            name="Erin Erasable",
            verified=True,
            consents=("body_data", "health_data"),
            birthday=dt.date(1990, 1, 2),
            weight_kg=61.0,
            height_cm=170.0,
            gender="female",
            activity_type="running",
        )
    assert user.pk == PERSON_ID
    _row, token = token_create(user=user, name="my watch script")
    device_seen(user=user, user_agent="Mozilla/5.0 (Erin's phone)")
    ids, shas = [], []
    with commits(execute=True):
        for seed in (1, 2):
            result = activity_upload_file(
                owner=user,
                data=gpx_run(900, seed=seed, name=f"Erin run {seed}"),
                filename=f"erin-{seed}.gpx",
            )
            ids.append(result.activity.pk)
            shas.append(result.activity.original_sha256)
    with commits(execute=True):
        segment = segment_create_from_activity(
            owner=user, activity_id=ids[0], name="Erin's hill", start_index=100, end_index=400
        )
    with commits(execute=True):
        # Matching the second run (same route shape) against the segment makes an effort.
        activity_upload_file(
            owner=user, data=gpx_run(900, seed=1, start=1_717_315_200.0), filename="erin-3.gpx"
        )
        goal_create(owner=user, period="week", metric="count", target=1, name="Erin weekly")
        archive = zip_of({"a.gpx": gpx_run(300, seed=9, start=1_717_401_600.0)})
        activity_upload_file(owner=user, data=archive, filename="erin.zip", allow_archive=True)
    with commits(execute=True):
        disclosure_record(user=user, recipient="Strava", basis="request", scope="Erin run 1 (GPX)")
        export_request(user=user)
    try:
        from imas.sharing.services import privacy_zone_create

        privacy_zone_create(owner=user, lat=48.2, lon=16.37, radius_m=300, name="Erin's home")
    except ImportError:
        pass
    assert segment.pk
    return Person(user=user, token=token, activity_ids=ids, original_shas=shas)
