"""The operators' usage trends: only people who consent to aggregate analytics are counted, no
cell resting on fewer than 10 people is shown, and only staff see the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from imas.accounts.models import User
from imas.insights.operators import MIN_PEOPLE, usage_trends
from imas.privacy.services import consent_grant, consent_withdraw
from imas.sharing.services import privacy_zone_create
from tests.goals.helpers import activity

NOW = dt.datetime(2026, 6, 17, 12, 0, tzinfo=dt.UTC)  # a Wednesday
THIS_WEEK = dt.date(2026, 6, 15)
LAST_WEEK = dt.date(2026, 6, 8)


@pytest.fixture
def people(make_user: Callable[..., User]) -> Callable[..., list[User]]:
    def make(n: int, *, consent: bool = True) -> list[User]:
        users = [make_user() for _ in range(n)]
        if consent:
            for user in users:
                consent_grant(user=user, purpose="aggregate_analytics")
        return users

    return make


def _runs(users: list[User], start: dt.datetime, sport: str, each: int = 1, **fields: Any) -> None:
    for user in users:
        for k in range(each):
            activity(user, start + dt.timedelta(minutes=k), sport=sport, **fields)


@pytest.mark.django_db
def test_only_consenting_people_count_and_small_cells_are_hidden(
    people: Callable[..., list[User]],
) -> None:
    runners = people(12)
    cyclists = people(9)
    swimmers = people(15, consent=False)
    withdrawn = people(1)
    consent_withdraw(user=withdrawn[0], purpose="aggregate_analytics")
    monday = dt.datetime(2026, 6, 15, 7, tzinfo=dt.UTC)
    _runs(runners, monday, "running", each=2)
    _runs(cyclists, monday, "cycling")
    _runs(swimmers, monday, "swimming")
    _runs(withdrawn, monday, "running")
    _runs(runners[:9], monday - dt.timedelta(days=7), "running", source="manual")

    trends = usage_trends(weeks=3, now=NOW)
    assert trends.weeks == [dt.date(2026, 6, 1), LAST_WEEK, THIS_WEEK]
    # 12 runners and 9 cyclists were active; the 15 swimmers and the withdrawn one are not
    # counted at all; last week's 9 people make a cell too small to show.
    assert trends.active_people == [None, None, 21]
    by_sport = {row.sport: row.per_week for row in trends.sports}
    assert by_sport == {"running": [None, None, 24]}  # cycling: 9 people, never shown
    sources = {row.key: row.value for row in trends.sources}
    assert sources == {"upload": 33, "manual": None}  # 21 people uploaded; 9 entered by hand
    features = {row.key: row.value for row in trends.features}
    assert features["manual"] is None
    assert features["zones"] is None


@pytest.mark.django_db
def test_feature_use_counts_people_not_rows(people: Callable[..., list[User]]) -> None:
    users = people(MIN_PEOPLE)
    lat, lon = 48.2, 16.37
    for user in users:
        privacy_zone_create(owner=user, lat=lat, lon=lon, radius_m=200)
        privacy_zone_create(owner=user, lat=lat + 0.1, lon=lon, radius_m=200)
    features = {row.key: row.value for row in usage_trends(now=NOW).features}
    assert features["zones"] == MIN_PEOPLE
    consent_withdraw(user=users[0], purpose="aggregate_analytics")
    features = {row.key: row.value for row in usage_trends(now=NOW).features}
    assert features["zones"] is None  # withdrawing counts at once, and 9 is too few


@pytest.mark.django_db
def test_the_page_is_for_staff_only(make_user: Callable[..., User]) -> None:
    member = make_user()
    staff = make_user()
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    url = "/staff/usage/"
    assert Client().get(url).status_code == 302
    client = Client()
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    page = client.get(url + "?weeks=oops")
    assert page.status_code == 200
    assert page.context["weeks"] == 12
    assert len(page.context["trends"].weeks) == 12
    assert client.get(url + "?weeks=100000").context["weeks"] == 104
