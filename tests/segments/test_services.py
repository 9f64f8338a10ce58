"""Segments in the platform: creation, matching both ways through the cell tables, events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from imas.activities.models import Activity
from imas.activities.services import activity_delete, activity_update
from imas.segments import selectors, services
from imas.segments.models import (
    ActivityCell,
    ActivityMatchState,
    Segment,
    SegmentCell,
    SegmentEffort,
)
from imas.segments.services import SegmentInvalid
from tests.segments.routes import (
    BLOCK,
    LOOP,
    START,
    STREET,
    STREET_BACK,
    path,
    recording,
    route_gpx,
)

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def make_segment(django_capture_on_commit_callbacks: Any) -> Callable[..., Segment]:
    def make(**kw: Any) -> Segment:
        with django_capture_on_commit_callbacks(execute=True):
            return services.segment_create_from_activity(**kw)

    return make


def street_segment(
    alice: Any, activity: Activity, make_segment: Callable[..., Segment], **kw: Any
) -> Segment:
    return make_segment(
        owner=alice,
        activity_id=activity.pk,
        name="Middle kilometre",
        start_distance_m=500.0,
        end_distance_m=1500.0,
        **kw,
    )


def test_segment_from_an_activity_matches_it_with_the_right_time(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    run = upload(alice, recording(*STREET, speed=4.0, power=250.0))
    segment = street_segment(alice, run, make_segment)
    assert segment.length_m == pytest.approx(1000.0, rel=0.01)
    assert segment.sport == "running"
    assert segment.cell_count == SegmentCell.objects.filter(segment=segment).count() > 0
    efforts = list(SegmentEffort.objects.filter(segment=segment))
    assert len(efforts) == 1
    e = efforts[0]
    assert e.activity_id == run.pk
    assert e.owner_id == alice.pk
    # 1000 m at 4 m/s.
    assert e.elapsed_s == pytest.approx(250.0, abs=1.5)
    assert e.moving_s == pytest.approx(250.0, abs=1.5)
    assert e.avg_hr == pytest.approx(150.0)
    assert e.avg_power_w == pytest.approx(250.0)
    assert 120 <= e.start_index < e.end_index <= 380
    assert e.start_time.timestamp() == pytest.approx(START + 125.0, abs=1.5)


def test_a_later_activity_is_matched_when_uploaded_and_reverse_is_not(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    first = upload(alice, recording(*STREET, speed=4.0))
    segment = street_segment(alice, first, make_segment)
    faster = upload(alice, recording(*STREET, speed=5.0, start=START + 86_400))
    back = upload(alice, recording(*STREET_BACK, speed=5.0, start=START + 2 * 86_400))
    assert SegmentEffort.objects.filter(segment=segment, activity=faster).count() == 1
    assert not SegmentEffort.objects.filter(activity=back).exists()
    state = ActivityMatchState.objects.get(activity=faster)
    assert state.efforts == 1
    assert state.cells == ActivityCell.objects.filter(activity=faster).count() > 0
    efforts = selectors.segment_efforts_of(segment, alice)
    assert [e.personal_rank for e in efforts] == [2, 1]  # type: ignore[attr-defined]
    assert selectors.segment_best_of(segment, alice).activity_id == faster.pk  # type: ignore[union-attr]


def test_two_laps_give_two_efforts_and_a_detour_none(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    base = upload(alice, recording(*STREET))
    segment = street_segment(alice, base, make_segment)
    laps = upload(alice, recording(*path(*BLOCK, *BLOCK[1:]), start=START + 86_400))
    assert SegmentEffort.objects.filter(segment=segment, activity=laps).count() == 2
    detour = path((0, 0), (800, 0), (800, 200), (1100, 200), (1100, 0), (2000, 0))
    around = upload(alice, recording(*detour, start=START + 2 * 86_400))
    assert not SegmentEffort.objects.filter(activity=around).exists()
    partial = upload(
        alice, recording(*path((0, 0), (1200, 0), (1200, 500)), start=START + 3 * 86_400)
    )
    assert not SegmentEffort.objects.filter(activity=partial).exists()


def test_loop_segment_from_a_gpx_route(
    alice: Any, upload: Callable[..., Activity], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        loop = services.segment_create_from_gpx(
            owner=alice, data=route_gpx(*path(*LOOP), name="Park loop"), name=None, sport="running"
        )
    assert loop.name == "Park loop"
    assert loop.source == "gpx"
    assert loop.length_m == pytest.approx(1400.0, rel=0.01)
    three = upload(alice, recording(*path(*LOOP, *LOOP[1:], *LOOP[1:]), speed=3.5))
    efforts = list(
        SegmentEffort.objects.filter(segment=loop, activity=three).order_by("start_time")
    )
    assert len(efforts) == 3
    for e in efforts:
        assert e.elapsed_s == pytest.approx(400.0, abs=2.0)
    reverse = upload(alice, recording(*path(*reversed(LOOP)), start=START + 86_400))
    assert not SegmentEffort.objects.filter(activity=reverse).exists()


def test_private_segments_match_only_their_owner_and_sports_stay_apart(
    alice: Any, bob: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    base = upload(alice, recording(*STREET))
    private = street_segment(alice, base, make_segment)
    shared = street_segment(alice, base, make_segment, visibility="shared")
    bobs = upload(bob, recording(*STREET, start=START + 3600))
    assert not SegmentEffort.objects.filter(segment=private, activity=bobs).exists()
    assert SegmentEffort.objects.filter(segment=shared, activity=bobs).count() == 1
    ride = upload(bob, recording(*STREET, speed=9.0, sport="cycling", start=START + 7200))
    assert not SegmentEffort.objects.filter(activity=ride).exists()


def test_sharing_later_backfills_other_peoples_activities(
    alice: Any,
    bob: Any,
    upload: Callable[..., Activity],
    make_segment: Callable[..., Segment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    base = upload(alice, recording(*STREET))
    bobs = upload(bob, recording(*STREET, start=START + 3600))
    segment = street_segment(alice, base, make_segment)
    assert not SegmentEffort.objects.filter(segment=segment, activity=bobs).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.segment_update(segment=segment, visibility="shared")
    assert SegmentEffort.objects.filter(segment=segment, activity=bobs).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.segment_update(segment=segment, visibility="private")
    assert not SegmentEffort.objects.filter(segment=segment, activity=bobs).exists()
    assert SegmentEffort.objects.filter(segment=segment, activity=base).count() == 1


def test_sport_edit_rematches_and_delete_removes_efforts(
    alice: Any,
    upload: Callable[..., Activity],
    make_segment: Callable[..., Segment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    base = upload(alice, recording(*STREET))
    segment = street_segment(alice, base, make_segment)
    other = upload(alice, recording(*STREET, start=START + 86_400))
    assert SegmentEffort.objects.filter(segment=segment).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        activity_update(activity=other, sport="walking")
    assert not SegmentEffort.objects.filter(activity=other).exists()
    with django_capture_on_commit_callbacks(execute=True):
        activity_delete(activity=base)
    assert not SegmentEffort.objects.filter(segment=segment).exists()
    assert not ActivityCell.objects.filter(activity_id=base.pk).exists()
    segment.refresh_from_db()  # the segment outlives the activity it came from
    assert segment.source_activity_id is None


def test_activities_from_before_the_index_are_picked_up(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    base = upload(alice, recording(*STREET))
    old = upload(alice, recording(*STREET, start=START + 86_400))
    # As if `old` had been uploaded before the segments app existed.
    ActivityCell.objects.filter(activity=old).delete()
    ActivityMatchState.objects.filter(activity=old).delete()
    segment = street_segment(alice, base, make_segment)
    assert not SegmentEffort.objects.filter(segment=segment, activity=old).exists()
    assert services.activities_unmatched_match() == 1
    assert SegmentEffort.objects.filter(segment=segment, activity=old).count() == 1
    assert services.activities_unmatched_match() == 0


def test_matching_is_idempotent(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    base = upload(alice, recording(*STREET))
    segment = street_segment(alice, base, make_segment)
    cells = ActivityCell.objects.filter(activity=base).count()
    for _ in range(2):
        services.activity_match_segments(activity_id=base.pk)
        services.segment_backfill(segment_id=segment.pk)
    assert SegmentEffort.objects.filter(segment=segment).count() == 1
    assert ActivityCell.objects.filter(activity=base).count() == cells
    assert services.activity_match_segments(activity_id=10**9) == 0


def test_activity_without_positions_matches_nothing(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from imas.activities.services import activity_create_manual

    with django_capture_on_commit_callbacks(execute=True):
        manual = activity_create_manual(
            owner=alice,
            sport="running",
            start_time=dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC),
            duration_s=1800,
            distance_m=5000,
        )
    state = ActivityMatchState.objects.get(activity=manual)
    assert state.cells == 0
    assert state.efforts == 0


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"start_distance_m": 1500.0, "end_distance_m": 500.0}, "end_distance_m"),
        ({"start_index": 10, "end_index": 10**6}, "end_index"),
        ({"start_index": 10}, "end_index"),
        ({}, "start_index"),
        ({"start_index": 100, "end_index": 110}, "points"),  # 40 m: too short
        ({"start_index": 0, "end_index": 400, "name": " "}, "name"),
        ({"start_index": 0, "end_index": 400, "sport": "gym"}, "sport"),
        ({"start_index": 0, "end_index": 400, "visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_segment_requests_name_the_field(
    alice: Any, upload: Callable[..., Activity], kw: dict[str, Any], field: str
) -> None:
    run = upload(alice, recording(*STREET))
    kw.setdefault("name", "A segment")
    with pytest.raises(SegmentInvalid) as info:
        services.segment_create_from_activity(owner=alice, activity_id=run.pk, **kw)
    assert info.value.field == field
    assert not Segment.objects.exists()


def test_someone_elses_activity_cannot_be_cut(
    alice: Any, bob: Any, upload: Callable[..., Activity]
) -> None:
    run = upload(alice, recording(*STREET), visibility="public")
    with pytest.raises(SegmentInvalid) as info:
        services.segment_create_from_activity(
            owner=bob, activity_id=run.pk, name="Mine now", start_index=0, end_index=400
        )
    assert info.value.status == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00" * 100, "cannot be read"),
        (
            b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1"></gpx>',
            "cannot be read",
        ),
        (recording(*STREET)[:500], "cannot be read"),
    ],
)
def test_bad_gpx_files_get_a_clear_answer(alice: Any, data: bytes, message: str) -> None:
    with pytest.raises(SegmentInvalid) as info:
        services.segment_create_from_gpx(owner=alice, data=data, name="x", sport="running")
    assert info.value.field == "file"
    assert message in info.value.message


def test_gpx_entities_are_never_expanded(alice: Any) -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><rte><name>&x;</name>'
        b'<rtept lat="48.2" lon="16.37"/><rtept lat="48.21" lon="16.37"/></rte></gpx>'
    )
    try:
        segment = services.segment_create_from_gpx(
            owner=alice, data=xxe, name=None, sport="running"
        )
    except SegmentInvalid as exc:
        message = exc.message
    else:
        message = segment.name
    assert "root:" not in message


def test_too_large_gpx_is_refused_before_parsing(alice: Any) -> None:
    with pytest.raises(SegmentInvalid) as info:
        services.segment_create_from_gpx(
            owner=alice, data=b"<" * (services.MAX_GPX_BYTES + 1), name="x", sport="running"
        )
    assert info.value.status == 413


def test_segment_points_are_thinned_and_elevation_measured(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    # 3 m/s over 2 km with a steady 5 % climb: 100 m up over the segment's kilometre... (the
    # segment spans 500-1500 m, so 50 m of climbing).
    run = upload(alice, recording(*STREET, speed=3.0, climb_per_m=0.05))
    segment = street_segment(alice, run, make_segment)
    assert segment.ascent_m == pytest.approx(50.0, abs=3.0)
    assert segment.descent_m == pytest.approx(0.0, abs=1.0)
    assert len(segment.points) <= services.MAX_STORED_POINTS
    lat = np.array([p[0] for p in segment.points])
    assert np.all(np.isfinite(lat))


def test_backfill_command_indexes_old_activities(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    import io

    from django.core.management import call_command

    base = upload(alice, recording(*STREET))
    old = upload(alice, recording(*STREET, start=START + 86_400))
    ActivityCell.objects.filter(activity=old).delete()
    ActivityMatchState.objects.filter(activity=old).delete()
    segment = street_segment(alice, base, make_segment)
    out = io.StringIO()
    call_command("segments_backfill", stdout=out)
    assert "matched 1 activities (1 efforts)" in out.getvalue()
    assert SegmentEffort.objects.filter(segment=segment, activity=old).count() == 1
    out = io.StringIO()
    call_command("segments_backfill", stdout=out)
    assert "matched 0 activities" in out.getvalue()


def test_a_track_too_long_to_index_is_skipped_not_crashed(monkeypatch: pytest.MonkeyPatch) -> None:
    from imas.track import geoindex

    # Around the globe's equator in 2 km hops: fine to analyse, but densified to 20 m steps it
    # exceeds the index's bound (made small here so that the test stays quick).
    monkeypatch.setattr(geoindex, "MAX_DENSE_POINTS", 10_000)
    n = 600
    arrays = {
        "time": 1_700_000_000.0 + 60.0 * np.arange(n, dtype=float),
        "lat": np.full(n, 0.5),
        "lon": -170.0 + 0.018 * np.arange(n),
    }
    with pytest.raises(ValueError, match="too long to index"):
        geoindex.densify(arrays["lat"], arrays["lon"])
    assert services.activity_prepare(Activity(sport="cycling"), arrays) is None


def test_a_gps_spike_inside_the_segment_does_not_lose_the_effort(
    alice: Any, upload: Callable[..., Activity], make_segment: Callable[..., Segment]
) -> None:
    base = upload(alice, recording(*STREET))
    segment = street_segment(alice, base, make_segment)
    # The same run again with one fix thrown 300 m north in the middle of the segment.
    data = recording(*STREET, start=START + 86_400).decode()
    rows = data.split("<trkpt ")
    head, tail = rows[250].split('" lon="', 1)
    lat = float(head.split('lat="', 1)[1]) + 300 / 111_132.0
    rows[250] = f'lat="{lat:.7f}" lon="{tail}'
    spiky = upload(alice, "<trkpt ".join(rows).encode())
    assert SegmentEffort.objects.filter(segment=segment, activity=spiky).count() == 1
