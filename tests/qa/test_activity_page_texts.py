"""The activity page says in words how zones and calories were worked out (QA findings).

A person saw "Zones: percent_max(tanaka_2001)" under their heart-rate zones, and under a GPX
walk "Calories: Not worked out: no MET value for generic at thi" (the method cut at its
stored 40 characters) followed by "Add your body data" although their body data was there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from imas.activities import services
from imas.activities.models import Activity
from imas.activities.page_data import zones_method_text
from imas.activities.views import calories_method_text
from tests.activities.files import gpx_run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (
            "percent_max(tanaka_2001)",
            "share of maximum heart rate, estimated from age (Tanaka 2001)",
        ),
        ("percent_max(profile)", "share of your maximum heart rate (Profile)"),
        (
            "karvonen(profile)",
            "share of heart-rate reserve (resting and maximum from your profile)",
        ),
        ("custom", "your own zones (Profile)"),
        ("", ""),
    ],
)
def test_zone_methods_read_as_words(method: str, expected: str) -> None:
    assert zones_method_text(method) == expected


def test_a_cut_no_met_method_reads_as_words() -> None:
    stored = "unknown: no MET value for generic at this speed"[:40]
    assert calories_method_text(stored) == (
        "no typical energy cost is known for this sport at this speed"
    )


def test_activity_page_shows_readable_methods_and_no_wrong_body_data_link(
    make_user: Any,
) -> None:
    owner = make_user(
        birthday="1990-03-04",
        weight_kg=62,
        height_cm=170,
        gender="female",
        consents=("body_data", "health_data"),
    )
    data = gpx_run(600, seed=3)
    activity, created = services.activity_upload(owner=owner, data=data, filename="run.gpx")
    assert created
    # What an unnamed-sport GPX walk stored before: the analysis knew no MET value.
    Activity.objects.filter(pk=activity.pk).update(
        calories_kcal=None, calories_method="unknown: no MET value for generic at this speed"[:40]
    )
    client = Client()
    client.force_login(owner)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "percent_max(" not in page
    assert "estimated from age (Tanaka 2001)" in page
    assert "no MET value" not in page
    assert "no typical energy cost is known for this sport at this speed" in page
    assert "Add your body data" not in page
