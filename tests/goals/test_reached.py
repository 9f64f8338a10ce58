"""A goal reached is noted once per period, and emailed once when the person asked for it;
goals follow the activities as they are added, edited and deleted (through the real events)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from imas.accounts.models import User
from imas.activities.services import activity_create_manual, activity_delete, activity_update
from imas.goals import selectors, services
from imas.goals.models import Goal, GoalAchievement
from tests.goals.helpers import activity, local

pytestmark = pytest.mark.django_db


def subjects(outbox: list[Any]) -> list[str]:
    return [m.subject for m in outbox]


def around_today(owner: User, **fields: Any) -> Goal:
    """A custom span from three days ago to three days ahead: 'now' is always inside it."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "period": "custom",
        "metric": "distance",
        "target": 10_000.0,
        "start_date": today - dt.timedelta(days=3),
        "end_date": today + dt.timedelta(days=3),
        "notify_email": True,
        "name": "Ten k this week",
    }
    values.update(fields)
    return services.goal_create(owner=owner, **values)


def run(owner: User, km: float, sport: str = "running") -> Any:
    return activity_create_manual(
        owner=owner,
        sport=sport,
        start_time=timezone.now() - dt.timedelta(minutes=5),
        duration_s=1800,
        distance_m=km * 1000,
    )


@pytest.fixture
def utc_person(make_user: Any) -> User:
    user: User = make_user()
    user.time_zone = "UTC"
    user.save(update_fields=["time_zone"])
    return user


def test_reaching_a_goal_notes_it_once_and_emails_once(
    utc_person: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        goal = around_today(utc_person)
    with django_capture_on_commit_callbacks(execute=True):
        first = run(utc_person, 6)
    assert not GoalAchievement.objects.filter(goal=goal).exists()
    assert subjects(mailoutbox) == []

    with django_capture_on_commit_callbacks(execute=True):
        run(utc_person, 5)
    achievement = GoalAchievement.objects.get(goal=goal)
    assert achievement.value == 11_000
    assert achievement.emailed_at is not None
    assert subjects(mailoutbox) == ["Goal reached: Ten k this week"]
    assert mailoutbox[0].to == [utc_person.email]
    assert "11.0 km of 10.0 km" in mailoutbox[0].body

    # More activities, recomputation, a delete below the target and reaching it again: the
    # period already has its note and its email.
    with django_capture_on_commit_callbacks(execute=True):
        run(utc_person, 3)
    services.goals_check_for_owner(owner_id=utc_person.pk)
    services.goals_check_for_owner(owner_id=utc_person.pk)
    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(activity=first)
    with django_capture_on_commit_callbacks(execute=True):
        run(utc_person, 7)
    assert GoalAchievement.objects.filter(goal=goal).count() == 1
    assert len(subjects(mailoutbox)) == 1


def test_without_the_email_flag_the_note_is_kept_but_no_mail_goes_out(
    utc_person: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        goal = around_today(utc_person, notify_email=False, target=1_000.0)
        run(utc_person, 2)
    achievement = GoalAchievement.objects.get(goal=goal)
    assert achievement.emailed_at is None
    assert subjects(mailoutbox) == []


def test_each_period_of_a_recurring_goal_is_noted_once(
    make_user: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    owner: User = make_user()
    owner.time_zone = "Europe/Vienna"
    owner.save(update_fields=["time_zone"])
    goal = services.goal_create(
        owner=owner,
        period="week",
        metric="count",
        target=2,
        start_date=dt.date(2025, 3, 17),
        recurring=True,
        notify_email=True,
    )
    for day in (17, 18, 24, 30):
        activity(owner, local("Europe/Vienna", 2025, 3, day, 23, 30))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # checks repeated, as redelivered tasks would
            services.goal_check(goal=goal, now=local("Europe/Vienna", 2025, 3, 19, 9, 0))
            services.goal_check(goal=goal, now=local("Europe/Vienna", 2025, 3, 26, 9, 0))
            services.goal_check(goal=goal, now=local("Europe/Vienna", 2025, 3, 30, 23, 45))
    rows = list(GoalAchievement.objects.filter(goal=goal).order_by("period_first"))
    assert [(r.period_first, r.period_last) for r in rows] == [
        (dt.date(2025, 3, 17), dt.date(2025, 3, 23)),
        (dt.date(2025, 3, 24), dt.date(2025, 3, 30)),
    ]
    assert len(subjects(mailoutbox)) == 2


def test_the_email_is_claimed_before_sending_so_a_second_send_does_nothing(
    utc_person: User, mailoutbox: list[Any]
) -> None:
    goal = around_today(utc_person, target=1_000.0)
    activity(utc_person, timezone.now() - dt.timedelta(minutes=1), distance_m=5_000)
    achievement = services.goal_check(goal=goal)
    assert achievement is not None
    assert services.achievement_email_send(achievement_id=achievement.pk) is True
    assert services.achievement_email_send(achievement_id=achievement.pk) is False
    assert len(subjects(mailoutbox)) == 1


def test_a_failed_send_releases_the_claim_for_a_retry(
    utc_person: User, settings: Any, mailoutbox: list[Any]
) -> None:
    goal = around_today(utc_person, target=1_000.0)
    activity(utc_person, timezone.now() - dt.timedelta(minutes=1), distance_m=5_000)
    achievement = services.goal_check(goal=goal)
    assert achievement is not None
    # A mail server that is not there (nothing listens on the discard port here).
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(ConnectionRefusedError):
        services.achievement_email_send(achievement_id=achievement.pk)
    achievement.refresh_from_db()
    assert achievement.emailed_at is None
    settings.EMAIL_BACKEND = backend
    assert services.achievement_email_send(achievement_id=achievement.pk) is True


def test_goals_follow_edits_and_deletes_through_the_activity_events(
    utc_person: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        goal = around_today(utc_person, sport="running", target=5_000.0)
        ride = run(utc_person, 8, sport="cycling")
    assert selectors.goal_progress(goal).done == 0
    assert not GoalAchievement.objects.filter(goal=goal).exists()

    # Editing the sport makes it a run: the updated event rechecks the goal, which is reached.
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(activity=ride, sport="running")
    assert selectors.goal_progress(goal).done == 8_000
    assert GoalAchievement.objects.filter(goal=goal).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(activity=ride)
    progress = selectors.goal_progress(goal)
    assert (progress.done, progress.reached) == (0, False)


def test_a_goal_already_met_when_created_is_noted_at_once(
    utc_person: User, django_capture_on_commit_callbacks: Any
) -> None:
    activity(utc_person, timezone.now() - dt.timedelta(minutes=1), distance_m=12_000)
    with django_capture_on_commit_callbacks(execute=True):
        goal = around_today(utc_person, notify_email=False)
    assert GoalAchievement.objects.filter(goal=goal).count() == 1


def test_a_deleted_goal_or_person_leaves_nothing_to_check(
    utc_person: User, django_capture_on_commit_callbacks: Any
) -> None:
    goal = around_today(utc_person)
    services.goal_delete(goal=goal)
    from imas.goals.tasks import goal_check_task

    goal_check_task.delay(goal.pk or 999_999)
    assert services.goals_check_for_owner(owner_id=999_999) == []


def test_raising_the_target_lets_the_new_target_be_noted_and_emailed(
    utc_person: User, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        goal = around_today(utc_person, target=5_000.0)
        run(utc_person, 6)
    assert GoalAchievement.objects.filter(goal=goal).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_update(goal=goal, target=10_000.0)
    assert not GoalAchievement.objects.filter(goal=goal).exists()  # 6 km is short of 10
    with django_capture_on_commit_callbacks(execute=True):
        run(utc_person, 5)
    assert GoalAchievement.objects.get(goal=goal).value == 11_000
    assert len(mailoutbox) == 2
    # Renaming it or turning the email off changes nothing that was reached.
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_update(goal=goal, name="Renamed", notify_email=False)
    assert GoalAchievement.objects.filter(goal=goal).count() == 1
    assert len(mailoutbox) == 2
