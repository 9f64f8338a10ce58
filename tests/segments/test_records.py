"""Personal records: rebuilt on every activity event, with the activity that set each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from imas.activities.models import Activity
from imas.activities.services import activity_delete, activity_update
from imas.segments import selectors
from imas.segments.models import PersonalRecord, RecordKind
from imas.segments.records import records_compute
from tests.segments.routes import START, STREET, path, recording

pytestmark = pytest.mark.django_db

DAY = 86_400.0


def current(user: Any, kind: str, key: str = "", sport: str = "running") -> PersonalRecord:
    return selectors.records_current(user, sport).get(kind=kind, key=key)


def test_records_follow_the_activities(alice: Any, upload: Callable[..., Activity]) -> None:
    slow = upload(alice, recording(*STREET, speed=3.0, start=START))
    fast = upload(alice, recording(*STREET, speed=4.0, start=START + DAY))
    long_ = upload(alice, recording(*path((0, 0), (4000, 0)), speed=2.5, start=START + 2 * DAY))

    km = current(alice, RecordKind.BEST_EFFORT, "1km")
    assert km.activity_id == fast.pk
    assert km.value == pytest.approx(250.0, abs=2.0)  # 1000 m at 4 m/s
    assert km.previous_value == pytest.approx(1000 / 3.0, abs=2.0)
    longest = current(alice, RecordKind.LONGEST_DISTANCE)
    assert longest.activity_id == long_.pk
    assert longest.value == pytest.approx(4000.0, rel=0.02)
    # The chain keeps history: the slow run set the first 1 km value, then lost it.
    chain = PersonalRecord.objects.filter(owner=alice, kind=RecordKind.BEST_EFFORT, key="1km")
    assert [(r.activity_id, r.is_current) for r in chain.order_by("achieved_at")] == [
        (slow.pk, False),
        (fast.pk, True),
    ]
    marks = selectors.records_for_activity(fast)
    assert {(r.kind, r.key) for r in marks} >= {(RecordKind.BEST_EFFORT, "1km")}
    assert selectors.records_for_activity(slow) == []  # first values broke nothing


def test_deleting_the_record_activity_restores_the_previous_record(
    alice: Any, upload: Callable[..., Activity], django_capture_on_commit_callbacks: Any
) -> None:
    slow = upload(alice, recording(*STREET, speed=3.0, start=START))
    fast = upload(alice, recording(*STREET, speed=4.0, start=START + DAY))
    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(activity=fast)
    km = current(alice, RecordKind.BEST_EFFORT, "1km")
    assert km.activity_id == slow.pk
    assert km.previous_value is None


def test_a_sport_edit_moves_the_records(
    alice: Any, upload: Callable[..., Activity], django_capture_on_commit_callbacks: Any
) -> None:
    run = upload(alice, recording(*STREET, speed=3.0))
    assert current(alice, RecordKind.LONGEST_DISTANCE).activity_id == run.pk
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(activity=run, sport="walking")
    assert not selectors.records_current(alice, "running").exists()
    assert current(alice, RecordKind.LONGEST_DISTANCE, sport="walking").activity_id == run.pk


def test_power_records_per_duration(alice: Any, upload: Callable[..., Activity]) -> None:
    upload(alice, recording(*STREET, speed=8.0, sport="cycling", power=200.0))
    second = upload(
        alice, recording(*STREET, speed=8.0, sport="cycling", power=260.0, start=START + DAY)
    )
    five_s = current(alice, RecordKind.BEST_POWER, "5", sport="cycling")
    assert five_s.activity_id == second.pk
    assert five_s.value == pytest.approx(260.0)
    assert five_s.previous_value == pytest.approx(200.0)
    assert selectors.record_label(five_s) == "Best power 5 s"


def test_records_recent_is_for_the_dashboard(
    alice: Any, bob: Any, upload: Callable[..., Activity]
) -> None:
    upload(alice, recording(*STREET, speed=3.0, start=START))
    fast = upload(alice, recording(*STREET, speed=4.0, start=START + DAY))
    upload(bob, recording(*STREET, speed=5.0, start=START + DAY))
    when = dt.datetime.fromtimestamp(START + 2 * DAY, tz=dt.UTC)
    recent = selectors.records_recent(alice, days=7, now=when)
    assert recent
    assert {r.activity_id for r in recent} == {fast.pk}
    assert all(r.owner_id == alice.pk for r in recent)
    assert selectors.records_recent(alice, days=7, now=when + dt.timedelta(days=30)) == []


def test_ties_do_not_break_records_and_bad_values_are_ignored() -> None:
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    rows = [
        {
            "id": i,
            "sport": "running",
            "start_time": t0 + dt.timedelta(days=i),
            "distance_m": value,
            "moving_s": None,
            "ascent_m": float("nan"),
            "best_efforts": {"5km": {"time_s": -3}} if i == 3 else None,
            "power_curve": "garbage",
        }
        for i, value in enumerate([5000.0, 5000.0, 6000.0, 0.0])
    ]
    records = records_compute(rows, owner_id=1)
    assert [(r.activity_id, r.value, r.previous_value) for r in records] == [
        (0, 5000.0, None),
        (2, 6000.0, 5000.0),
    ]
    assert [r.is_current for r in records] == [False, True]


def test_rebuilds_are_coalesced_and_a_lost_one_is_retried(
    alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from imas.segments import records
    from imas.segments.models import RecordsState

    queued: list[int] = []
    monkeypatch.setattr(
        "imas.segments.tasks.records_recompute_task.apply_async",
        lambda args, countdown: queued.append(args[0]),
    )
    assert records.records_request(owner_id=alice.pk) is True
    # A burst of events while the rebuild waits: nothing more is queued.
    for _ in range(5):
        assert records.records_request(owner_id=alice.pk) is False
    assert queued == [alice.pk]
    # The rebuild clears the flag before reading: the next event queues again.
    records.records_recompute(owner_id=alice.pk)
    assert records.records_request(owner_id=alice.pk) is True
    # A pending rebuild whose task was lost is asked for again after a while.
    RecordsState.objects.filter(owner=alice).update(
        pending_since=dt.datetime.now(dt.UTC) - records.PENDING_STALE - dt.timedelta(seconds=1)
    )
    assert records.records_request(owner_id=alice.pk) is True
    assert queued == [alice.pk] * 3
