"""The goals app's part of a person's data export and erasure (imas.privacy.registry).

Export: every goal as set, and every period in which one was reached (with when the email went
out). Erasure: the goals; their achievements go with them (cascade).
"""

from __future__ import annotations

from typing import Any

from imas.goals.models import Goal, GoalAchievement

PARTS = ("goals",)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def goals_export(user: Any, writer: Any) -> None:
    if not writer.wants("goals"):
        return
    goals = Goal.objects.filter(owner=user).order_by("created_at", "id")
    writer.json(
        "goals/goals.json",
        [
            {
                "id": g.pk,
                "name": g.name,
                "period": g.period,
                "sport": g.sport,
                "metric": g.metric,
                "target": g.target,
                "start_date": _plain(g.start_date),
                "end_date": _plain(g.end_date),
                "recurring": g.recurring,
                "notify_email": g.notify_email,
                "created_at": _plain(g.created_at),
                "reached": [
                    {
                        "period_first": _plain(a.period_first),
                        "period_last": _plain(a.period_last),
                        "value": a.value,
                        "reached_at": _plain(a.reached_at),
                        "emailed_at": _plain(a.emailed_at),
                    }
                    for a in GoalAchievement.objects.filter(goal=g).order_by("period_first")
                ],
            }
            for g in goals
        ],
    )


def goals_erase(user: Any) -> None:
    Goal.objects.filter(owner=user).delete()


def _register() -> None:
    try:
        from imas.privacy.registry import register
    except ImportError:  # a platform without the privacy app
        return
    register("goals", parts=PARTS, exporter=goals_export, eraser=goals_erase)


_register()
