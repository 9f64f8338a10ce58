"""A follower or visitor does not see the energy figure of someone else's activity (QA
finding: the page showed "Calories 317 kcal" to a follower, while the API hides
calories_kcal from everyone but the owner: it comes from body data or heart rate)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from imas.activities import services
from imas.activities.models import Activity, Visibility

pytestmark = pytest.mark.django_db


def test_calories_only_for_the_owner(make_user: Any) -> None:
    owner, visitor = make_user(), make_user()
    run = services.activity_create_manual(
        owner=owner,
        sport="running",
        start_time=dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC),
        duration_s=1800,
        distance_m=5000,
        visibility=Visibility.PUBLIC,
    )
    Activity.objects.filter(pk=run.pk).update(calories_kcal=317.0, calories_method="device")
    own, other = Client(), Client()
    own.force_login(owner)
    other.force_login(visitor)
    assert "317 kcal" in own.get(f"/activities/{run.pk}/").content.decode()
    page = other.get(f"/activities/{run.pk}/").content.decode()
    assert run.name in page
    assert "317" not in page
    assert "Calories" not in page
