"""Goal progress from the activities, with period edges in the person's own time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from imas.accounts.models import User
from imas.goals import selectors, services
from imas.goals.models import Goal
from tests.goals.helpers import activity, local

pytestmark = pytest.mark.django_db


def week_goal(owner: User, **fields: object) -> Goal:
    values: dict[str, object] = {
        "period": "week",
        "metric": "distance",
        "target": 30_000.0,
        "start_date": dt.date(2025, 3, 24),
    }
    values.update(fields)
    return services.goal_create(owner=owner, **values)


def test_an_activity_at_2330_on_sunday_counts_for_that_week(vienna: User) -> None:
    goal = week_goal(vienna)
    # Sunday 23:30 in Vienna is 21:30 UTC in summer time: the same local week.
    activity(vienna, local("Europe/Vienna", 2025, 3, 30, 23, 30), distance_m=12_000)
    # Monday 00:30 local is still Sunday in UTC, but it is the next week here.
    activity(vienna, local("Europe/Vienna", 2025, 3, 31, 0, 30), distance_m=5_000)
    now = local("Europe/Vienna", 2025, 3, 30, 23, 59)
    progress = selectors.goal_progress(goal, now=now)
    assert progress.period.first == dt.date(2025, 3, 24)
    assert progress.done == 12_000
    later = selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 4, 1, 12, 0))
    assert later.state == "ended"  # a one-off goal keeps its own week


def test_west_of_utc_a_sunday_evening_is_monday_in_utc_and_still_counts(
    person: Callable[..., User],
) -> None:
    la = person("America/Los_Angeles")
    goal = week_goal(la, recurring=True)
    start = local("America/Los_Angeles", 2025, 3, 30, 23, 30)
    assert start.astimezone(dt.UTC).weekday() == 0  # Monday 06:30 UTC
    activity(la, start, distance_m=7_000)
    progress = selectors.goal_progress(goal, now=local("America/Los_Angeles", 2025, 3, 30, 23, 50))
    assert progress.done == 7_000
    assert progress.period.last == dt.date(2025, 3, 30)


def test_the_same_instant_counts_in_different_weeks_for_people_in_different_zones(
    person: Callable[..., User],
) -> None:
    instant = dt.datetime(2025, 3, 31, 0, 30, tzinfo=dt.UTC)  # Monday UTC
    tokyo, hawaii = person("Asia/Tokyo"), person("Pacific/Honolulu")
    for owner in (tokyo, hawaii):
        activity(owner, instant, distance_m=1_000)
    now = dt.datetime(2025, 3, 31, 1, 0, tzinfo=dt.UTC)
    # Tokyo: Monday 09:30, a new week. Honolulu: Sunday 14:30, the old week.
    assert selectors.goal_progress(week_goal(tokyo, recurring=True), now=now).done == 1_000
    assert selectors.goal_progress(week_goal(hawaii, recurring=True), now=now).done == 1_000
    assert selectors.goal_progress(
        week_goal(tokyo, recurring=True), now=now
    ).period.first == dt.date(2025, 3, 31)
    assert selectors.goal_progress(
        week_goal(hawaii, recurring=True), now=now
    ).period.first == dt.date(2025, 3, 24)


def test_a_week_over_the_autumn_change_takes_the_repeated_hour(vienna: User) -> None:
    goal = week_goal(vienna, start_date=dt.date(2025, 10, 20))
    # 02:30 happens twice on 26 October in Vienna; both runs count, as does Sunday 23:59.
    first = dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
    second = dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC)  # 02:30 CET
    late = local("Europe/Vienna", 2025, 10, 26, 23, 59)
    for start in (first, second, late):
        activity(vienna, start, distance_m=1_000)
    activity(vienna, local("Europe/Vienna", 2025, 10, 27, 0, 0), distance_m=50_000)
    progress = selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 10, 26, 23, 59, 30))
    assert progress.done == 3_000
    assert progress.ends - progress.starts == dt.timedelta(hours=169)


def test_custom_span_counts_its_first_and_last_local_days(vienna: User) -> None:
    goal = services.goal_create(
        owner=vienna,
        period="custom",
        metric="time",
        target=10 * 3600.0,
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2025, 4, 30),
    )
    activity(vienna, local("Europe/Vienna", 2025, 3, 31, 23, 59), moving_s=3600)  # before
    activity(vienna, local("Europe/Vienna", 2025, 4, 1, 0, 0), moving_s=1800)  # first day
    activity(vienna, local("Europe/Vienna", 2025, 4, 30, 23, 59), moving_s=600)  # last day
    activity(vienna, local("Europe/Vienna", 2025, 5, 1, 0, 0), moving_s=3600)  # after
    # Time is moving time, or elapsed time where a file has no moving time.
    activity(vienna, local("Europe/Vienna", 2025, 4, 15, 9, 0), moving_s=None, elapsed_s=900)
    progress = selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 4, 20, 12, 0))
    assert progress.done == 1800 + 600 + 900
    assert progress.days_left == 11  # 20 April to 30 April, today included
    assert progress.per_day == pytest.approx((36_000 - 3_300) / 11)
    assert progress.per_week == pytest.approx((36_000 - 3_300) / 11 * 7)


def test_recurring_custom_span_and_history(vienna: User) -> None:
    goal = services.goal_create(
        owner=vienna,
        period="custom",
        metric="count",
        target=2,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 1, 14),
        recurring=True,
    )
    activity(vienna, local("Europe/Vienna", 2025, 1, 3, 8, 0))
    activity(vienna, local("Europe/Vienna", 2025, 1, 16, 8, 0))
    activity(vienna, local("Europe/Vienna", 2025, 1, 20, 8, 0))
    activity(vienna, local("Europe/Vienna", 2025, 1, 30, 8, 0))
    now = local("Europe/Vienna", 2025, 2, 2, 8, 0)
    history = selectors.goal_history(goal, count=10, now=now)
    assert [(p.period.first, p.done) for p in history] == [
        (dt.date(2025, 1, 29), 1),
        (dt.date(2025, 1, 15), 2),
        (dt.date(2025, 1, 1), 1),
    ]
    assert [p.reached for p in history] == [False, True, False]


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("distance", 22_000.0),
        ("time", 3000.0 + 4000.0),
        ("count", 2),
        ("elevation", 50.0 + 300.0),
        ("energy", 700.0 + 1200.0),
    ],
)
def test_each_metric_sums_its_own_column(vienna: User, metric: str, expected: float) -> None:
    goal = services.goal_create(
        owner=vienna, period="month", metric=metric, target=1, start_date=dt.date(2025, 6, 1)
    )
    activity(vienna, local("Europe/Vienna", 2025, 6, 3, 7, 0))
    activity(
        vienna,
        local("Europe/Vienna", 2025, 6, 4, 7, 0),
        distance_m=12_000,
        moving_s=4000,
        ascent_m=300,
        calories_kcal=1200,
    )
    assert selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 6, 5, 7, 0)).done == (
        expected
    )


def test_a_sport_goal_ignores_other_sports_and_other_people(
    vienna: User, person: Callable[..., User]
) -> None:
    goal = services.goal_create(
        owner=vienna,
        period="year",
        sport="cycling",
        metric="distance",
        target=1000_000,
        start_date=dt.date(2025, 1, 1),
    )
    activity(vienna, local("Europe/Vienna", 2025, 5, 1, 9, 0), sport="cycling", distance_m=40_000)
    activity(vienna, local("Europe/Vienna", 2025, 5, 2, 9, 0), sport="running")
    activity(person(), local("Europe/Vienna", 2025, 5, 2, 9, 0), sport="cycling")
    progress = selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 5, 3, 0, 0))
    assert progress.done == 40_000
    assert progress.percent == 4.0


def test_expected_pace_and_on_track(vienna: User) -> None:
    goal = week_goal(vienna, target=70_000.0)
    activity(vienna, local("Europe/Vienna", 2025, 3, 24, 8, 0), distance_m=10_000)
    # Wednesday noon: 60 of this week's 167 hours (the spring change) have passed.
    now = local("Europe/Vienna", 2025, 3, 26, 12, 0)
    progress = selectors.goal_progress(goal, now=now)
    assert progress.expected_by_now == pytest.approx(70_000 * 60 / 167)
    assert progress.on_track is False
    assert progress.days_left == 5
    assert progress.per_day == pytest.approx(60_000 / 5)
    assert progress.remaining == 60_000


def test_states_upcoming_active_ended(vienna: User) -> None:
    goal = week_goal(vienna, start_date=dt.date(2025, 3, 24))
    before = selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 3, 20, 9, 0))
    assert before.state == "upcoming"
    assert before.days_left == 7
    during = selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 3, 30, 23, 0))
    assert (during.state, during.days_left) == ("active", 1)
    after = selectors.goal_progress(goal, now=local("Europe/Vienna", 2025, 3, 31, 0, 0))
    assert (after.state, after.days_left, after.per_day) == ("ended", 0, None)


def test_a_week_goal_starts_on_the_monday_of_its_start_date(vienna: User) -> None:
    goal = week_goal(vienna, start_date=dt.date(2025, 3, 27))
    assert goal.start_date == dt.date(2025, 3, 24)
