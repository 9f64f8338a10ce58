"""The goals page: list with progress bars, the form (in the person's units), edit, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from imas.accounts.models import User
from imas.goals.models import Goal
from imas.goals.services import goal_create
from tests.goals.helpers import activity

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_adding_a_goal_in_miles(person: Any) -> None:
    owner: User = person("America/New_York", units="imperial")
    client = signed_in(owner)
    page = client.get("/goals/")
    assert page.status_code == 200
    assert b"Weeks run Monday to Sunday" in page.content
    response = client.post(
        "/goals/",
        {
            "metric": "distance",
            "target": "20",
            "sport": "running",
            "period": "week",
            "recurring": "on",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(owner=owner)
    assert goal.target == pytest.approx(20 * 1609.344)
    activity(owner, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1), distance_m=1609.344 * 5)
    listed = client.get("/goals/").content.decode()
    assert "5.0 mi" in listed
    assert "20.0 mi" in listed
    assert 'role="progressbar"' in listed
    assert 'aria-valuenow="25"' in listed


def test_the_form_names_what_is_wrong(person: Any) -> None:
    client = signed_in(person())
    response = client.post(
        "/goals/",
        {
            "metric": "distance",
            "target": "5",
            "period": "custom",
            "start_date": "2025-05-02",
            "end_date": "2025-05-01",
        },
    )
    assert response.status_code == 400
    assert b"The end date must be on or after the start date." in response.content
    response = client.post("/goals/", {"metric": "distance", "target": "-1", "period": "week"})
    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_edit_and_delete_only_ones_own(person: Any) -> None:
    owner, other = person(), person()
    goal = goal_create(owner=owner, period="month", metric="time", target=36_000)
    client = signed_in(owner)
    page = client.get(f"/goals/{goal.pk}/")
    assert page.status_code == 200
    assert b'value="10.0"' in page.content  # hours
    response = client.post(
        f"/goals/{goal.pk}/", {"metric": "time", "target": "12", "period": "month"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.target == 12 * 3600
    intruder = signed_in(other)
    assert intruder.get(f"/goals/{goal.pk}/").status_code == 404
    assert intruder.post(f"/goals/{goal.pk}/delete/").status_code == 404
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert client.post(f"/goals/{goal.pk}/delete/").status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_pages_need_signing_in() -> None:
    assert Client().get("/goals/").status_code == 302


def test_a_recurring_goal_shows_its_last_eight_periods(person: Any) -> None:
    owner: User = person("UTC")
    today = dt.datetime.now(dt.UTC).date()
    goal_create(
        owner=owner,
        period="week",
        metric="count",
        target=1,
        recurring=True,
        start_date=today - dt.timedelta(weeks=12),
    )
    for weeks_back in (1, 3):  # two earlier weeks reached
        day = today - dt.timedelta(weeks=weeks_back)
        activity(owner, dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
    html = signed_in(owner).get("/goals/").content.decode()
    chart = html[html.index('<svg class="goal-history"') :].split("</svg>", 1)[0]
    assert chart.count('<rect class="goal-history-bar') == 8
    assert chart.count("is-reached") == 2
