"""The daily totals cache follows the activities through the real services and events, and is
rebuilt when the person's time zone changes; until it is ready, pages sum the activities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from imas.accounts.models import User
from imas.activities.services import activity_create_manual, activity_delete, activity_update
from imas.insights import selectors
from imas.insights.models import DailyTotal, TotalsState
from imas.insights.services import daily_totals_rebuild, daily_totals_refresh, ensure_daily_totals
from tests.goals.helpers import activity, local

pytestmark = pytest.mark.django_db


def cached(owner: User) -> list[tuple[dt.date, str, int, float]]:
    return [
        (r.day, r.sport, r.count, r.distance_m)
        for r in DailyTotal.objects.filter(owner=owner).order_by("day", "sport")
    ]


def live(owner: User, first: dt.date, last: dt.date) -> list[tuple[dt.date, str, int, float]]:
    return [
        (r["period"], r["sport"], r["count"], r["distance_m"])
        for r in selectors.totals_by_period(
            owner=owner, period="day", first=first, last=last, source="live"
        )
    ]


def test_created_edited_and_deleted_activities_update_the_cache(
    person: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    owner = person("UTC")
    daily_totals_rebuild(owner_id=owner.pk)  # an empty, complete cache
    now = timezone.now()
    today = now.date()
    with django_capture_on_commit_callbacks(execute=True):
        run = activity_create_manual(
            owner=owner,
            sport="running",
            start_time=now - dt.timedelta(minutes=3),
            duration_s=1200,
            distance_m=4000,
        )
        activity_create_manual(
            owner=owner,
            sport="running",
            start_time=now - dt.timedelta(minutes=2),
            duration_s=600,
            distance_m=2000,
        )
    assert cached(owner) == [(today, "running", 2, 6000.0)]

    with django_capture_on_commit_callbacks(execute=True):
        activity_update(activity=run, sport="walking")
    assert cached(owner) == [(today, "running", 1, 2000.0), (today, "walking", 1, 4000.0)]

    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(activity=run)
    assert cached(owner) == [(today, "running", 1, 2000.0)]
    assert cached(owner) == live(owner, today, today)


def test_a_refresh_is_idempotent_and_a_missing_cache_is_rebuilt(
    person: Callable[..., User],
) -> None:
    owner = person("Europe/Vienna")
    start = local("Europe/Vienna", 2025, 3, 30, 23, 30)
    activity(owner, start, distance_m=1000)
    activity(owner, local("Europe/Vienna", 2025, 4, 2, 7, 0), distance_m=3000)
    assert not selectors.daily_totals_ready(owner)
    daily_totals_refresh(owner_id=owner.pk, instants=[start])  # no cache yet: builds it all
    assert selectors.daily_totals_ready(owner)
    expected = [
        (dt.date(2025, 3, 30), "running", 1, 1000.0),
        (dt.date(2025, 4, 2), "running", 1, 3000.0),
    ]
    assert cached(owner) == expected
    for _ in range(3):
        daily_totals_refresh(owner_id=owner.pk, instants=[start, start])
    assert cached(owner) == expected


def test_a_new_time_zone_makes_the_cache_unusable_until_rebuilt(
    person: Callable[..., User],
) -> None:
    owner = person("Europe/Vienna")
    activity(owner, local("Europe/Vienna", 2025, 3, 30, 23, 30), distance_m=1000)
    daily_totals_rebuild(owner_id=owner.pk)
    assert cached(owner)[0][0] == dt.date(2025, 3, 30)
    owner.time_zone = "UTC"
    owner.save(update_fields=["time_zone"])
    assert not selectors.daily_totals_ready(owner)
    # Meanwhile the pages sum the activities: in UTC the run was on Sunday 21:30.
    rows = selectors.totals_by_period(
        owner=owner, period="day", first=dt.date(2025, 3, 29), last=dt.date(2025, 3, 31)
    )
    assert [r["period"] for r in rows] == [dt.date(2025, 3, 30)]
    ensure_daily_totals(owner)  # queues the rebuild (run at once here: tasks are eager)
    assert selectors.daily_totals_ready(owner)
    assert TotalsState.objects.get(owner=owner).time_zone == "UTC"


def test_deleting_a_person_takes_their_cache_without_a_refresh_per_activity(
    person: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    owner = person("UTC")
    for i in range(3):
        activity(owner, local("UTC", 2025, 1, 1 + i, 8, 0))
    daily_totals_rebuild(owner_id=owner.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owner.delete()
    assert callbacks == []
    assert not DailyTotal.objects.exists()
    assert not TotalsState.objects.exists()


def test_a_bulk_delete_queues_one_refresh_per_person(
    person: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    owner = person("UTC")
    for i in range(5):
        activity(owner, local("UTC", 2025, 1, 1 + i, 8, 0), distance_m=1000.0 * (i + 1))
    daily_totals_rebuild(owner_id=owner.pk)
    from django.db import transaction

    from imas.activities.models import Activity

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        Activity.objects.filter(owner=owner, distance_m__lte=3000).delete()
    assert len(callbacks) == 1
    assert cached(owner) == [
        (dt.date(2025, 1, 4), "running", 1, 4000.0),
        (dt.date(2025, 1, 5), "running", 1, 5000.0),
    ]


def test_a_rolled_back_delete_leaves_no_stale_batch(
    person: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    owner = person("UTC")
    first = activity(owner, local("UTC", 2025, 1, 1, 8, 0))
    second = activity(owner, local("UTC", 2025, 1, 2, 8, 0))
    daily_totals_rebuild(owner_id=owner.pk)
    from django.db import transaction

    class Undo(Exception):
        pass

    def delete_then_undo() -> None:
        with transaction.atomic():
            first.delete()
            raise Undo

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Undo):
            delete_then_undo()
        with transaction.atomic():
            second.delete()
    assert len(callbacks) == 1
    assert cached(owner) == [(dt.date(2025, 1, 1), "running", 1, 10_000.0)]
