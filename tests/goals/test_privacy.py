"""Goals in a person's export and erasure (the privacy registry's hooks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from imas.goals import privacy_hooks
from imas.goals.models import Goal, GoalAchievement
from imas.goals.services import goal_check, goal_create
from imas.insights import privacy_hooks as insights_hooks
from imas.insights.models import DailyTotal, TotalsState
from imas.insights.services import daily_totals_rebuild
from tests.goals.helpers import activity

pytestmark = pytest.mark.django_db


class Collect:
    """An ExportWriter that keeps what it is given."""

    def __init__(self, parts: tuple[str, ...] = ("goals",)) -> None:
        self.parts = parts
        self.documents: dict[str, Any] = {}

    def json(self, path: str, data: Any) -> None:
        self.documents[path] = data

    def file(self, path: str, data: bytes) -> None:
        raise AssertionError("goals have no files")

    def wants(self, part: str) -> bool:
        return part in self.parts


def test_goals_are_exported_with_their_reached_periods_and_erased(make_user: Any) -> None:
    owner, other = make_user(), make_user()
    goal = goal_create(owner=owner, period="week", metric="count", target=1, name="Once a week")
    goal_create(owner=other, period="week", metric="count", target=1)
    activity(owner, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    goal_check(goal=goal)
    writer = Collect()
    privacy_hooks.goals_export(owner, writer)
    [exported] = writer.documents["goals/goals.json"]
    assert exported["name"] == "Once a week"
    assert len(exported["reached"]) == 1
    assert exported["reached"][0]["value"] == 1
    outside = Collect(parts=())
    privacy_hooks.goals_export(owner, outside)
    assert outside.documents == {}

    daily_totals_rebuild(owner_id=owner.pk)
    assert DailyTotal.objects.filter(owner=owner).exists()
    privacy_hooks.goals_erase(owner)
    insights_hooks.insights_erase(owner)
    assert not Goal.objects.filter(owner=owner).exists()
    assert not GoalAchievement.objects.filter(goal__owner=owner).exists()
    assert not DailyTotal.objects.filter(owner=owner).exists()
    assert not TotalsState.objects.filter(owner=owner).exists()
    assert Goal.objects.filter(owner=other).count() == 1
