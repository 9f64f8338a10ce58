"""The segments app's part of export and erasure, and the privacy-zone hook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from imas.activities.models import Activity
from imas.segments import privacy_hooks, selectors, services
from imas.segments.models import PersonalRecord, Segment, SegmentEffort
from tests.segments.routes import START, STREET, recording

pytestmark = pytest.mark.django_db


class Collect:
    def __init__(self, parts: tuple[str, ...] = ("segments",)) -> None:
        self.parts = parts
        self.documents: dict[str, Any] = {}

    def json(self, path: str, data: Any) -> None:
        self.documents[path] = data

    def file(self, path: str, data: bytes) -> None:
        self.documents[path] = data

    def wants(self, part: str) -> bool:
        return part in self.parts


@pytest.fixture
def shared_street(
    alice: Any,
    bob: Any,
    upload: Callable[..., Activity],
    django_capture_on_commit_callbacks: Any,
) -> Segment:
    base = upload(alice, recording(*STREET), visibility="public")
    upload(bob, recording(*STREET, start=START + 3600), visibility="public")
    with django_capture_on_commit_callbacks(execute=True):
        return services.segment_create_from_activity(
            owner=alice,
            activity_id=base.pk,
            name="Shared street",
            start_distance_m=500,
            end_distance_m=1500,
            visibility="shared",
        )


def test_export_and_erase(alice: Any, bob: Any, shared_street: Segment) -> None:
    writer = Collect()
    privacy_hooks.segments_export(bob, writer)
    assert writer.documents["segments/segments.json"] == []
    [effort] = writer.documents["segments/efforts.json"]
    assert effort["segment_id"] == shared_street.pk
    assert writer.documents["segments/records.json"]
    outside = Collect(parts=())
    privacy_hooks.segments_export(bob, outside)
    assert outside.documents == {}

    privacy_hooks.segments_erase(bob)
    assert not SegmentEffort.objects.filter(owner=bob).exists()
    assert not PersonalRecord.objects.filter(owner=bob).exists()
    assert SegmentEffort.objects.filter(owner=alice).count() == 1
    privacy_hooks.segments_erase(alice)
    assert not Segment.objects.exists()


def test_privacy_zones_hide_people_from_leaderboards_and_block_sharing(
    alice: Any, bob: Any, shared_street: Segment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bob has a zone over the whole street (the privacy app will provide zones; this is the
    # hook it will fill).
    def hidden(owner_id: int, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return np.full(np.asarray(lat).shape, owner_id == bob.pk)

    monkeypatch.setattr(privacy_hooks, "points_hidden", hidden)
    monkeypatch.setattr(selectors, "points_hidden", hidden)
    monkeypatch.setattr(services, "points_hidden", hidden)
    rows, _mine = selectors.segment_leaderboard(shared_street, alice)
    assert {r.owner_id for r in rows} == {alice.pk}
    rows, _mine = selectors.segment_leaderboard(shared_street, bob)
    assert {r.owner_id for r in rows} == {alice.pk, bob.pk}  # Bob still sees himself
    bobs = Activity.objects.get(owner=bob)
    # Bob's public activity does not tell Alice that it crossed the street in his zone.
    assert selectors.activity_efforts(bobs, alice) == []
    assert len(selectors.activity_efforts(bobs, bob)) == 1
    with pytest.raises(services.SegmentInvalid) as info:
        services.segment_create_from_activity(
            owner=bob,
            activity_id=bobs.pk,
            name="Past my house",
            start_distance_m=500,
            end_distance_m=1500,
            visibility="shared",
        )
    assert info.value.field == "visibility"
    private = services.segment_create_from_activity(
        owner=bob, activity_id=bobs.pk, name="Mine", start_distance_m=500, end_distance_m=1500
    )
    with pytest.raises(services.SegmentInvalid):
        services.segment_update(segment=private, visibility="shared")


def test_a_shared_segment_later_inside_its_owners_zone_is_hidden(
    alice: Any, bob: Any, shared_street: Segment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hidden(owner_id: int, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return np.full(np.asarray(lat).shape, owner_id == alice.pk)

    monkeypatch.setattr(selectors, "points_hidden", hidden)
    with pytest.raises(Segment.DoesNotExist):
        selectors.segment_get_for_viewer(bob, shared_street.pk)
    assert selectors.segment_get_for_viewer(alice, shared_street.pk) == shared_street
    listed = list(selectors.segment_list(viewer=bob))
    assert selectors.segments_shown(listed, bob) == []
    assert selectors.segments_shown(listed, alice) == listed
