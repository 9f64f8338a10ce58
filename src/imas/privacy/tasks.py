"""Celery tasks of the privacy app: thin, take ids, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="privacy.activities_recompute", ignore_result=True)  # type: ignore[untyped-decorator]
def activities_recompute_task(user_id: int) -> None:
    from imas.privacy.recompute import activities_recompute

    activities_recompute(user_id=int(user_id))


@shared_task(name="privacy.activity_recompute", ignore_result=True)  # type: ignore[untyped-decorator]
def activity_recompute_task(activity_id: int) -> None:
    """A new activity of a person who withdrew health data loses its heart rate at once."""
    from imas.activities.models import Activity
    from imas.privacy.recompute import activity_recompute

    activity = Activity.objects.select_related("owner").filter(pk=activity_id).first()
    if activity is not None:
        activity_recompute(activity_id=activity.pk, owner=activity.owner, with_health=False)


@shared_task(name="privacy.policy_mailing_run", ignore_result=True)  # type: ignore[untyped-decorator]
def policy_mailing_task(policy_id: int) -> None:
    from imas.privacy.policies import policy_mailing_run

    policy_mailing_run(policy_id=int(policy_id))


@shared_task(name="privacy.export_build", ignore_result=True)  # type: ignore[untyped-decorator]
def export_build_task(export_id: int) -> None:
    from imas.privacy.exports import export_build

    export_build(export_id=int(export_id))


@shared_task(name="privacy.exports_expired_delete", ignore_result=True)  # type: ignore[untyped-decorator]
def exports_expired_delete_task() -> None:
    from imas.privacy.exports import exports_expired_delete

    exports_expired_delete()


def _register_periodic() -> None:
    # Beat removes export files once their 7 days are over (hourly is soon enough).
    from imas.celery import app

    schedule = dict(app.conf.beat_schedule or {})
    schedule["privacy-exports-expired"] = {
        "task": "privacy.exports_expired_delete",
        "schedule": 3600.0,
    }
    app.conf.beat_schedule = schedule


_register_periodic()
