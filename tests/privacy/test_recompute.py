"""Withdrawing body or health data consent recomputes the person's activities at once;
granting again brings the results back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from imas.activities.models import Activity
from imas.privacy.services import consent_record
from tests.privacy.conftest import bearer, signed_in

pytestmark = pytest.mark.django_db

BODY = {
    "birthday": dt.date(1985, 5, 1),
    "weight_kg": 70.0,
    "height_cm": 178.0,
    "gender": "female",
    "max_hr": 190,
    "resting_hr": 50,
}


def _has_hr_key(value: Any) -> bool:
    if isinstance(value, dict):
        return any(
            "hr" in str(k).lower().split("_") or "zone" in str(k) or _has_hr_key(v)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_hr_key(v) for v in value)
    return False


def test_body_data_withdrawn_then_granted(make_user: Any, upload: Any, commits: Any) -> None:
    user = make_user(consents=("body_data",), **BODY)
    activity = upload(user)
    assert activity.calories_kcal is not None
    first_method = activity.calories_method
    assert "unknown" not in first_method

    with commits(execute=True):
        consent_record(user=user, purpose="body_data", granted=False)
    activity.refresh_from_db()
    assert activity.calories_kcal is None
    assert activity.calories_method.startswith("unknown")  # says which value is missing
    page = signed_in(user).get(f"/activities/{activity.pk}/").content.decode()
    assert "with consent" in page  # the page says why there is no figure

    with commits(execute=True):
        consent_record(user=user, purpose="body_data", granted=True)
    activity.refresh_from_db()
    assert activity.calories_kcal is not None
    assert activity.calories_method == first_method


def test_health_data_withdrawn_removes_heart_rate_everywhere(
    make_user: Any, upload: Any, commits: Any
) -> None:
    user = make_user(consents=("body_data", "health_data"), **BODY)
    activity = upload(user)
    assert activity.avg_hr is not None
    assert activity.trimp is not None
    assert _has_hr_key(activity.analysis)
    api = bearer(user)
    streams = f"/api/v1/activities/{activity.pk}/streams"
    assert "heartrate" in api.get(streams).json()
    assert "Avg heart rate" in signed_in(user).get(f"/activities/{activity.pk}/").content.decode()

    with commits(execute=True):
        consent_record(user=user, purpose="health_data", granted=False)
    activity.refresh_from_db()
    assert (activity.avg_hr, activity.max_hr, activity.trimp) == (None, None, None)
    assert not _has_hr_key(activity.analysis)  # zones, lap and split heart rates gone
    assert "heartrate" not in api.get(streams).json()
    assert "<gpxtpx:hr>" not in api.get(f"/api/v1/activities/{activity.pk}/gpx").content.decode()
    page = signed_in(user).get(f"/activities/{activity.pk}/").content.decode()
    assert "Avg heart rate" not in page
    assert "you withdrew your consent to the use of health data" in page
    assert activity.distance_m is not None  # everything else stays

    with commits(execute=True):
        consent_record(user=user, purpose="health_data", granted=True)
    activity.refresh_from_db()
    assert activity.avg_hr is not None
    assert _has_hr_key(activity.analysis)
    assert "heartrate" in api.get(streams).json()


def test_new_uploads_after_withdrawal_have_no_heart_rate(
    make_user: Any, upload: Any, commits: Any
) -> None:
    user = make_user()
    with commits(execute=True):
        consent_record(user=user, purpose="health_data", granted=False)
    with commits(execute=True):
        activity = upload(user, seed=3)
    activity.refresh_from_db()
    assert activity.avg_hr is None
    assert not _has_hr_key(activity.analysis)


def test_a_recorded_decision_that_changes_nothing_recomputes_nothing(
    make_user: Any, upload: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user(consents=("health_data",))
    upload(user)
    with django_capture_on_commit_callbacks() as callbacks:
        consent_record(user=user, purpose="health_data", granted=True)
        consent_record(user=user, purpose="aggregate_analytics", granted=True)
    assert callbacks == []


def test_recompute_leaves_other_people_alone(make_user: Any, upload: Any, commits: Any) -> None:
    ann, bob = make_user(consents=("health_data",)), make_user(consents=("health_data",))
    upload(ann, seed=1)
    theirs = upload(bob, seed=2)
    with commits(execute=True):
        consent_record(user=ann, purpose="health_data", granted=False)
    assert Activity.objects.get(pk=theirs.pk).avg_hr is not None


def test_the_privacy_page_withdraws_and_grants_with_one_click(
    make_user: Any, upload: Any, commits: Any
) -> None:
    user = make_user(consents=("health_data",))
    activity = upload(user)
    client = signed_in(user)
    page = client.get("/privacy/settings/").content.decode()
    assert 'id="consent-health_data" data-granted="1"' in page
    with commits(execute=True):
        answer = client.post(
            "/privacy/settings/", {"purpose": "health_data", "granted": "0"}, follow=True
        )
    html = answer.content.decode()
    assert "Consent withdrawn" in html
    assert "heart rate is removed" in html
    assert 'id="consent-health_data" data-granted="0"' in html
    activity.refresh_from_db()
    assert activity.avg_hr is None
    with commits(execute=True):
        client.post("/privacy/settings/", {"purpose": "health_data", "granted": "1"})
    activity.refresh_from_db()
    assert activity.avg_hr is not None
    refused = client.post("/privacy/settings/", {"purpose": "privacy_policy", "granted": "0"})
    assert refused.status_code == 302
    assert activity.avg_hr is not None
