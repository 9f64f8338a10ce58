"""The activity page's segment table scrolls inside its card (QA finding: on a 390 px phone the
segments table made the whole activity page 416 px wide, scrolling sideways)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from imas.activities.models import Activity
from imas.segments import services
from tests.segments.conftest import alice, media_root, upload  # noqa: F401  (fixtures)
from tests.segments.routes import START, STREET, recording

pytestmark = pytest.mark.django_db


def test_segment_efforts_table_is_in_a_scrolling_wrapper(
    alice: Any,  # noqa: F811
    upload: Callable[..., Activity],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = upload(alice, recording(*STREET, speed=4.0))
    second = upload(alice, recording(*STREET, speed=4.5, start=START + 86_400))
    with django_capture_on_commit_callbacks(execute=True):
        services.segment_create_from_activity(
            owner=alice,
            activity_id=first.pk,
            name="High street",
            start_distance_m=500,
            end_distance_m=1500,
        )
    client = Client()
    client.force_login(alice)
    html = client.get(f"/activities/{second.pk}/").content.decode()
    block = html[html.index('id="activity-segments"') :]
    assert "High street" in block
    assert block.index('<div class="table-wrap"><table class="num-table">') < block.index(
        "High street"
    )
