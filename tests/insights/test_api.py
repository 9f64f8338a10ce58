"""/api/v1/trends and its parts: the dashboard's data, totals, load, efforts, heat map,
records and a year in review; bounded input; only the caller's own activities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imas.accounts.models import User
from imas.accounts.services import token_create
from imas.activities.streams import polyline_encode
from tests.goals.helpers import activity

pytestmark = pytest.mark.django_db
URL = "/api/v1/trends"


def api_for(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")


@pytest.fixture
def ann(person: Callable[..., User]) -> User:
    owner = person("Europe/Vienna")
    now = timezone.now()
    route = polyline_encode([(48.2 + i * 0.001, 16.37 + i * 0.001) for i in range(20)])
    for i in range(12):
        activity(
            owner,
            now - dt.timedelta(days=i * 4, minutes=5),
            distance_m=10_000 + 100 * i,
            moving_s=3000 + 30 * i,  # slower the further back: pace improves over time
            avg_speed_mps=(10_000 + 100 * i) / (3000 + 30 * i),
            avg_hr=150 - i * 0.0,
            route_polyline=route,
        )
    activity(
        owner,
        now - dt.timedelta(days=1),
        sport="cycling",
        distance_m=40_000,
        avg_speed_mps=8.0,
        route_polyline="",
    )
    return owner


def error(response: Any, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.content[:300]
    body = response.json()["error"]
    assert body["message"]
    if field:
        assert body["field"] == field


def test_the_dashboard_data(ann: User, person: Callable[..., User]) -> None:
    activity(person("UTC"), timezone.now() - dt.timedelta(hours=1), distance_m=99_999)
    body = api_for(ann).get(URL).json()
    assert body["week_starts_on"] == "monday"
    assert body["time_zone"] == "Europe/Vienna"
    year = body["current"]["year"]
    assert year["count"] >= 2  # at least today's and yesterday's, whatever the date
    weekly = body["weekly"]
    assert len(weekly["labels"]) == 26
    assert set(weekly["sports"]) == {"running", "cycling"}
    total = sum(sum(s["distance_m"]) for s in weekly["sports"].values())
    assert total == pytest.approx(sum(10_000 + 100 * i for i in range(12)) + 40_000)
    assert len(body["load"]["days"]) == 180
    assert body["load"]["ctl"][-1] > 0
    assert body["efforts"]["sport"] == "running"
    assert body["records"] == []  # no records broken yet


def test_totals_and_their_bounds(ann: User) -> None:
    api = api_for(ann)
    body = api.get(f"{URL}/totals?period=month&sport=cycling").json()
    assert body["week_starts_on"] == "monday"
    assert [r["sport"] for r in body["results"]] == ["cycling"]
    assert body["results"][0]["distance_m"] == 40_000
    error(api.get(f"{URL}/totals?period=fortnight"), 422, "period")
    error(api.get(f"{URL}/totals?sport=chess"), 422, "sport")
    error(api.get(f"{URL}/totals?date_from=2025-02-01&date_to=2025-01-01"), 422, "date_to")
    error(api.get(f"{URL}/totals?date_from=1971-01-01&date_to=2025-01-01"), 422, "date_from")
    error(api.get(f"{URL}/totals?date_from=yesterday"), 422, "date_from")
    error(api.get(f"{URL}/totals?period=year&date_from=9999-01-01&date_to=9999-12-31"), 422)
    error(api.get(f"{URL}/totals?period=year&date_to=0001-01-01"), 422, "date_to")
    error(api.get(f"{URL}/load?date_to=9999-12-31"), 422, "date_to")
    error(api.get(f"{URL}/years/9999999999999999999999"), 404)
    error(api.get(f"{URL}/load?days=0"), 422, "days")
    error(api.get(f"{URL}/load?days=100000"), 422, "days")
    error(api.get(f"{URL}/load?date_to=1970-01-05"), 422, "date_to")
    error(api.get(f"{URL}/heatmap?limit=999999"), 422, "limit")
    error(api.get(f"{URL}/efforts?distance_m=-1"), 422, "distance_m")
    error(api.get(f"{URL}/efforts?tolerance=5"), 422, "tolerance")
    error(api.get(f"{URL}/years/99999"), 404)


def test_comparable_efforts_show_the_trend(ann: User) -> None:
    body = api_for(ann).get(f"{URL}/efforts?sport=running&distance_m=10500&tolerance=0.1").json()
    assert len(body["points"]) == 12
    assert [p["t"] for p in body["points"]] == sorted(p["t"] for p in body["points"])
    # Older runs were slower, so pace (seconds per km) falls over time.
    assert body["pace_trend"]["per_30_days"] < 0
    assert body["hr_trend"]["per_30_days"] == pytest.approx(0, abs=1e-6)
    narrow = api_for(ann).get(f"{URL}/efforts?sport=running&distance_m=10000&tolerance=0.01")
    assert len(narrow.json()["points"]) == 2  # 10.0 and 10.1 km
    assert narrow.json()["pace_trend"] is None  # too few points for a line


def test_heatmap_records_and_year(ann: User) -> None:
    api = api_for(ann)
    heat = api.get(f"{URL}/heatmap").json()
    assert heat["total"] == 12
    assert heat["shown"] == 12
    assert api.get(f"{URL}/heatmap?limit=5").json()["shown"] == 5
    assert api.get(f"{URL}/heatmap?sport=cycling").json()["total"] == 0
    assert api.get(f"{URL}/records").json() == {"results": []}
    year = timezone.now().year
    review = api.get(f"{URL}/years/{year}").json()
    assert review["year"] == year
    assert review["totals"]["count"] >= 1
    assert api.get(f"{URL}/years/1999").json()["totals"]["count"] == 0


def test_someone_else_sees_nothing_of_it(ann: User, person: Callable[..., User]) -> None:
    other = api_for(person("UTC"))
    body = other.get(URL).json()
    assert body["weekly"]["sports"] == {}
    assert body["efforts"] is None
    assert other.get(f"{URL}/heatmap").json()["total"] == 0
    assert Client().get(URL).status_code == 401
    assert Client().get(f"{URL}/heatmap").status_code == 401


def test_records_come_from_the_segments_app(person: Callable[..., User]) -> None:
    records = pytest.importorskip("imas.segments.records")
    owner = person("UTC")
    now = timezone.now()
    activity(owner, now - dt.timedelta(days=3), distance_m=10_000)
    longer = activity(owner, now - dt.timedelta(days=1), distance_m=21_100, name="Half")
    records.records_recompute(owner_id=owner.pk)
    found = api_for(owner).get(f"{URL}/records").json()["results"]
    longest = [r for r in found if r["kind"] == "longest_distance"]
    assert longest, found
    assert longest[0]["value"] == 21_100
    assert longest[0]["previous_value"] == 10_000
    assert longest[0]["activity_id"] == longer.pk
    client = Client()
    client.force_login(owner)
    page = client.get("/dashboard/", HTTP_HOST="127.0.0.1")
    assert b"21.1 km" in page.content


_params = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(
        [
            "week",
            "month",
            "year",
            "running",
            "2025-01-01",
            "0001-01-01",
            "9999-12-31",
            "1e400",
            "nan",
            "-0",
            "",
        ]
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(["", "/totals", "/load", "/efforts", "/heatmap", "/records"]),
    query=st.dictionaries(
        st.sampled_from(
            [
                "period",
                "sport",
                "date_from",
                "date_to",
                "days",
                "distance_m",
                "tolerance",
                "limit",
                "year",
            ]
        ),
        _params,
        max_size=4,
    ),
)
def test_any_query_gets_an_answer_or_a_clear_4xx(
    ann: User, path: str, query: dict[str, str]
) -> None:
    response = api_for(ann).get(f"{URL}{path}", query)
    assert response.status_code in (200, 422), (path, query, response.content[:300])
    if response.status_code == 422:
        assert response.json()["error"]["message"]
