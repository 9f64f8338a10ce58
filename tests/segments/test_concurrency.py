"""Matching one activity from several workers at once (the event's task and the periodic sweep
can meet) leaves one consistent set of cells and efforts.

PostgreSQL only: the SQLite test database lives in memory with a shared cache, where a second
writer fails at once instead of waiting (the platform's SQLite file waits, and serialises
writes anyway).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from imas.activities.services import activity_upload
from imas.segments import services
from imas.segments.models import ActivityCell, ActivityMatchState, SegmentEffort
from tests.segments.routes import START, STREET, recording

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_matchings_of_one_activity(make_user: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite (set DATABASE_URL to a PostgreSQL server)")
    owner = make_user()
    base, _ = activity_upload(owner=owner, data=recording(*STREET))
    other, _ = activity_upload(owner=owner, data=recording(*STREET, start=START + 86_400))
    services.segment_create_from_activity(
        owner=owner, activity_id=base.pk, name="s", start_distance_m=500, end_distance_m=1500
    )
    services.segment_backfill(segment_id=owner.segments.get().pk)
    cells = ActivityCell.objects.filter(activity=other).count()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                services.activity_match_segments(activity_id=other.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [], f"{connection.vendor}: {errors!r}"
    assert ActivityCell.objects.filter(activity=other).count() == cells
    assert SegmentEffort.objects.filter(activity=other).count() == 1
    assert ActivityMatchState.objects.get(activity=other).efforts == 1


def test_concurrent_record_rebuilds_never_duplicate(make_user: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite (set DATABASE_URL to a PostgreSQL server)")
    from imas.segments.models import PersonalRecord
    from imas.segments.records import records_recompute

    owner = make_user()
    for k in range(3):
        activity_upload(
            owner=owner, data=recording(*STREET, speed=3.0 + k, start=START + k * 86_400)
        )
    expected = records_recompute(owner_id=owner.pk)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                records_recompute(owner_id=owner.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert PersonalRecord.objects.filter(owner=owner).count() == expected
