"""Celery tasks of the goals app: they take ids, call a service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="goals.check_for_owner", ignore_result=True)  # type: ignore[untyped-decorator]
def goals_check_for_owner_task(owner_id: int) -> None:
    from imas.goals.services import goals_check_for_owner

    goals_check_for_owner(owner_id=int(owner_id))


@shared_task(name="goals.check", ignore_result=True)  # type: ignore[untyped-decorator]
def goal_check_task(goal_id: int) -> None:
    from imas.goals.models import Goal
    from imas.goals.services import goal_check

    goal = Goal.objects.select_related("owner").filter(pk=int(goal_id)).first()
    if goal is not None:  # deleted meanwhile: nothing to do
        goal_check(goal=goal)


@shared_task(  # type: ignore[untyped-decorator]
    name="goals.achievement_email",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def achievement_email_task(achievement_id: int) -> None:
    from imas.goals.services import achievement_email_send

    achievement_email_send(achievement_id=int(achievement_id))
