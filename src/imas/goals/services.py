"""Writes of goals: create, change, delete, and noting (once per period) that one is reached.

Reaching a goal is recorded as a GoalAchievement row whose (goal, period) pair is unique, so
however many times progress is recomputed (every upload, edit and delete triggers it, tasks may
be redelivered) the note appears once and the email goes out once.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from imas.accounts.models import User
from imas.activities.models import Sport
from imas.goals import periods, selectors
from imas.goals.formatting import format_amount
from imas.goals.models import Goal, GoalAchievement, Metric, Period

logger = logging.getLogger(__name__)

# Upper bounds that no real goal comes near; they keep absurd input out of the sums and pages.
MAX_TARGET = {
    Metric.DISTANCE: 10_000_000.0,  # 10,000 km
    Metric.TIME: 3_600.0 * 5_000,  # 5,000 hours
    Metric.COUNT: 10_000.0,
    Metric.ELEVATION: 1_000_000.0,  # 1,000 km of climbing
    Metric.ENERGY: 10_000_000.0,
}
FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)
FIELDS = (
    "name",
    "period",
    "sport",
    "metric",
    "target",
    "start_date",
    "end_date",
    "recurring",
    "notify_email",
)


def goal_validate(goal: Goal) -> None:
    """Raise ValidationError naming the first field that is wrong."""
    errors: dict[str, str] = {}
    if goal.period not in Period.values:
        errors["period"] = _("Choose one of: %s.") % ", ".join(Period.values)
    if goal.metric not in Metric.values:
        errors["metric"] = _("Choose one of: %s.") % ", ".join(Metric.values)
    if goal.sport and goal.sport not in Sport.values:
        errors["sport"] = _("Choose one of: %s, or leave it empty for all.") % ", ".join(
            Sport.values
        )
    target = goal.target
    if not isinstance(target, int | float) or isinstance(target, bool) or not math.isfinite(target):
        errors["target"] = _("The target must be a number.")
    elif target <= 0:
        errors["target"] = _("The target must be above zero.")
    elif goal.metric in MAX_TARGET and target > MAX_TARGET[Metric(goal.metric)]:
        errors["target"] = _("The target is larger than any goal can be.")
    elif goal.metric == Metric.COUNT and target != int(target):
        errors["target"] = _("A number of activities is a whole number.")
    if not isinstance(goal.start_date, dt.date) or not (FIRST_DATE <= goal.start_date <= LAST_DATE):
        errors["start_date"] = _("Give a start date between 1970 and 2200.")
    if goal.period == Period.CUSTOM:
        if goal.end_date is None:
            errors["end_date"] = _("A custom span needs an end date.")
        elif "start_date" not in errors and goal.end_date < goal.start_date:
            errors["end_date"] = _("The end date must be on or after the start date.")
        elif "start_date" not in errors and (
            (goal.end_date - goal.start_date).days + 1 > periods.MAX_CUSTOM_DAYS
        ):
            errors["end_date"] = _("A custom span can be at most ten years long.")
    elif goal.end_date is not None:
        errors["end_date"] = _("Only a custom span has an end date.")
    if len(goal.name or "") > 120:
        errors["name"] = _("The name is longer than 120 characters.")
    if errors:
        raise ValidationError(errors)


def _normalise(goal: Goal) -> None:
    goal.name = (goal.name or "").strip()
    goal.sport = goal.sport or ""
    if goal.period in (Period.WEEK, Period.MONTH, Period.YEAR):
        # A week/month/year goal starts with the calendar period that holds its start date.
        goal.start_date = periods.calendar_period(goal.period, goal.start_date).first


def goal_create(*, owner: User, **fields: Any) -> Goal:
    """A new goal for `owner`; fields as in Goal (target in SI units)."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This is not a field of a goal.")})
    if fields.get("start_date") is None:
        fields["start_date"] = periods.local_today(timezone.now(), periods.zone_of(owner.time_zone))
    goal = Goal(owner=owner, **fields)
    goal_validate(goal)
    _normalise(goal)
    with transaction.atomic():
        goal.full_clean()
        goal.save()
    _check_after_commit(goal.pk)
    return goal


# Changing any of these makes it another goal: what was reached before no longer says it.
DEFINING_FIELDS = ("period", "sport", "metric", "target", "start_date", "end_date")


def goal_update(*, goal: Goal, **fields: Any) -> Goal:
    """Change a goal; fields not given stay as they are.

    When what the goal asks changes, notes of reaching it in the periods that have not ended
    are dropped, so reaching the new goal is noted (and emailed) in its turn; notes of periods
    that are over stay as the record of what was reached then."""
    before = {name: getattr(goal, name) for name in DEFINING_FIELDS}
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValidationError({name: _("This is not a field of a goal.")})
        setattr(goal, name, value)
    if fields.get("period") and goal.period != Period.CUSTOM and "end_date" not in fields:
        goal.end_date = None  # switching away from a custom span drops its end
    goal_validate(goal)
    _normalise(goal)
    redefined = any(getattr(goal, name) != value for name, value in before.items())
    today = periods.local_today(timezone.now(), periods.zone_of(goal.owner.time_zone))
    with transaction.atomic():
        goal.full_clean()
        goal.save()
        if redefined:
            GoalAchievement.objects.filter(goal=goal, period_last__gte=today).delete()
    _check_after_commit(goal.pk)
    return goal


def goal_delete(*, goal: Goal) -> None:
    with transaction.atomic():
        goal.delete()


def _check_after_commit(goal_id: int) -> None:
    from imas.goals.tasks import goal_check_task

    transaction.on_commit(lambda: goal_check_task.delay(goal_id))


def goal_check(*, goal: Goal, now: dt.datetime | None = None) -> GoalAchievement | None:
    """Record that a goal is reached in its current period, once; the new row, else None.

    When the person asked for email, the message is queued after the row is committed.
    """
    now = now or timezone.now()
    progress = selectors.goal_progress(goal, now=now)
    if not progress.reached or progress.state == "upcoming":
        return None
    try:
        with transaction.atomic():
            achievement, created = GoalAchievement.objects.get_or_create(
                goal=goal,
                period_first=progress.period.first,
                defaults={
                    "period_last": progress.period.last,
                    "value": progress.done,
                    "reached_at": now,
                },
            )
    except IntegrityError:  # another worker recorded it at the same moment
        return None
    if not created:
        return None
    logger.info("goal %s reached for the period from %s", goal.pk, progress.period.first)
    if goal.notify_email:
        from imas.goals.tasks import achievement_email_task

        transaction.on_commit(lambda: achievement_email_task.delay(achievement.pk))
    return achievement


def goals_check_for_owner(*, owner_id: int, now: dt.datetime | None = None) -> list[int]:
    """Check every goal of a person (after an activity changed); ids of new achievements."""
    try:
        owner = User.objects.get(pk=owner_id)
    except User.DoesNotExist:
        return []
    found = []
    for goal in Goal.objects.filter(owner_id=owner_id):
        goal.owner = owner
        achievement = goal_check(goal=goal, now=now)
        if achievement is not None:
            found.append(achievement.pk)
    return found


def achievement_email_send(*, achievement_id: int) -> bool:
    """Email the person that a goal is reached; True when this call sent it.

    The row is claimed first (emailed_at set where it was empty), so a redelivered task or two
    workers at once send one message; if sending fails the claim is released for a retry.
    """
    claimed = GoalAchievement.objects.filter(pk=achievement_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    achievement = GoalAchievement.objects.select_related("goal", "goal__owner").get(
        pk=achievement_id
    )
    goal = achievement.goal
    owner = goal.owner
    context = {
        "user": owner,
        "goal": goal,
        "achievement": achievement,
        "goal_title": goal_title(goal),
        "amount": format_amount(goal.metric, achievement.value, owner.units),
        "target": format_amount(goal.metric, goal.target, owner.units),
        "site_name": settings.IMAS_SITE_NAME,
    }
    subject = render_to_string("goals/email/reached_subject.txt", context).strip()
    body = render_to_string("goals/email/reached_message.txt", context)
    try:
        send_mail(subject, body, None, [owner.email])
    except Exception:
        GoalAchievement.objects.filter(pk=achievement_id).update(emailed_at=None)
        raise
    return True


def goal_title(goal: Goal) -> str:
    """The goal's own name, or one made from what it is: 'Running · distance per week'."""
    if goal.name:
        return goal.name
    sport = Sport(goal.sport).label if goal.sport else _("All sports")
    what = Metric(goal.metric).label
    if goal.period == Period.CUSTOM:
        return _("%(sport)s · %(what)s, %(first)s to %(last)s") % {
            "sport": sport,
            "what": what,
            "first": goal.start_date.isoformat(),
            "last": goal.end_date.isoformat() if goal.end_date else "?",
        }
    per = {"week": _("per week"), "month": _("per month"), "year": _("per year")}[goal.period]
    if not goal.recurring:
        first = goal.start_date
        per = {
            "week": _("in the week of %s") % first.isoformat(),
            "month": _("in %s") % first.strftime("%Y-%m"),
            "year": _("in %d") % first.year,
        }[goal.period]
    return f"{sport} · {what} {per}"
