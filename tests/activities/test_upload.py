"""activity_upload: the way of an upload, duplicates, bad input, consent, events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from imas.accounts.models import User
from imas.activities import storage
from imas.activities.events import activity_created
from imas.activities.models import Activity, ActivityStreams, Source
from imas.activities.selectors import activity_streams
from imas.activities.services import (
    UploadError,
    activity_upload,
    activity_upload_file,
    analysis_profile,
)
from imas.activities.streams import polyline_decode
from tests.activities.files import CORRUPT_GPX, RANDOM_BYTES, XXE_GPX, gpx_run

START = dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.UTC)


def _stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.django_db
def test_upload_creates_summary_streams_and_keeps_the_original(
    alice: User, media_root: Path
) -> None:
    data = gpx_run(600)
    activity, created = activity_upload(owner=alice, data=data, filename="dir/Morning.gpx")
    assert created
    assert activity.sport == "running"
    assert activity.file_sport == "running"
    assert activity.start_time == START
    assert activity.points == 600
    assert activity.elapsed_s == pytest.approx(599, abs=1)
    # The generator steps ~2.97 m/s; smoothing and jitter filtering keep the total within a few %.
    assert activity.distance_m is not None
    assert 1650 < activity.distance_m < 1850
    assert activity.avg_hr is not None
    assert 120 <= activity.avg_hr <= 150
    assert activity.source == Source.UPLOAD
    assert activity.original_name == "Morning.gpx"
    assert activity.original_sha256 == storage.sha256_hex(data)
    assert activity.visibility == "private"
    assert activity.analysis["distance_m"] == activity.distance_m
    assert "splits_km" in activity.analysis

    arrays = activity_streams(activity)
    assert {"time", "lat", "lon", "alt", "hr", "dist", "speed"} <= set(arrays)
    assert arrays["time"].shape == (600,)
    # The derived distance stream ends at the summary's distance.
    assert float(np.nanmax(arrays["dist"])) == pytest.approx(activity.distance_m, abs=0.01)

    route = polyline_decode(activity.route_polyline)
    assert 2 <= len(route) <= 100
    assert route[0] == pytest.approx((float(arrays["lat"][0]), float(arrays["lon"][0])), abs=1e-5)

    assert storage.blob_read(storage.ORIGINALS, activity.original_sha256) == data
    assert len(_stored_files(media_root)) == 1


@pytest.mark.django_db
def test_same_file_again_answers_the_existing_activity(alice: User) -> None:
    data = gpx_run(120)
    first, created = activity_upload(owner=alice, data=data)
    again, created_again = activity_upload(owner=alice, data=data, filename="renamed.gpx")
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Activity.objects.count() == 1


@pytest.mark.django_db
def test_same_file_by_two_people_makes_two_activities_and_one_stored_file(
    alice: User, bob: User, media_root: Path
) -> None:
    data = gpx_run(120)
    a, _ = activity_upload(owner=alice, data=data)
    b, created = activity_upload(owner=bob, data=data)
    assert created
    assert a.pk != b.pk
    assert b.owner == bob
    assert len(_stored_files(media_root)) == 1


@pytest.mark.django_db
def test_a_file_with_several_activities_makes_several(alice: User) -> None:
    result = activity_upload_file(owner=alice, data=gpx_run(120, tracks=3), name="Intervals")
    assert result.created
    assert [a.file_index for a in result.activities] == [0, 1, 2]
    assert [a.name for a in result.activities] == [
        "Intervals (1)",
        "Intervals (2)",
        "Intervals (3)",
    ]
    starts = [a.start_time for a in result.activities]
    assert starts == sorted(starts)
    assert starts[1] - starts[0] == dt.timedelta(hours=1)
    # The same file again answers all of them, creating nothing.
    again = activity_upload_file(owner=alice, data=gpx_run(120, tracks=3))
    assert not again.created
    assert [a.pk for a in again.activities] == [a.pk for a in result.activities]
    assert ActivityStreams.objects.count() == 3


@pytest.mark.django_db
def test_sport_and_name_from_the_uploader_win(alice: User) -> None:
    activity, _ = activity_upload(owner=alice, data=gpx_run(60), sport="hiking", name=" Hill ")
    assert activity.sport == "hiking"
    assert activity.name == "Hill"
    assert activity.file_sport == "running"


@pytest.mark.django_db
def test_default_name_says_time_of_day_in_the_owners_zone(make_user: Callable[..., User]) -> None:
    tokyo = make_user(time_zone="Asia/Tokyo")  # 08:00 UTC is 17:00 in Tokyo
    activity, _ = activity_upload(owner=tokyo, data=gpx_run(60))
    assert activity.name == "Afternoon running"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        (b"", "empty_file", 400),
        (RANDOM_BYTES, "unsupported_format", 415),
        (b"just some text, not an activity", "unsupported_format", 415),
        (CORRUPT_GPX, "corrupt_file", 422),
        (XXE_GPX, "hostile_input", 422),
    ],
    ids=["empty", "random", "text", "corrupt", "xxe"],
)
def test_bad_files_are_refused_with_a_reason_and_nothing_is_stored(
    alice: User, media_root: Path, data: bytes, code: str, status: int
) -> None:
    with pytest.raises(UploadError) as info:
        activity_upload(owner=alice, data=data, filename="bad.gpx")
    assert info.value.code == code
    assert info.value.status == status
    assert info.value.message
    assert "root:" not in info.value.message  # the XXE did not read a local file
    assert Activity.objects.count() == 0
    assert ActivityStreams.objects.count() == 0
    assert _stored_files(media_root) == []


@pytest.mark.django_db
def test_size_cap(alice: User, settings: Any, media_root: Path) -> None:
    data = gpx_run(60)
    settings.IMAS_UPLOAD_MAX_BYTES = len(data) - 1
    with pytest.raises(UploadError) as info:
        activity_upload(owner=alice, data=data)
    assert (info.value.code, info.value.status) == ("file_too_large", 413)
    assert _stored_files(media_root) == []
    settings.IMAS_UPLOAD_MAX_BYTES = len(data)
    assert activity_upload(owner=alice, data=data)[1]


@pytest.mark.django_db
def test_unknown_sport_is_refused(alice: User) -> None:
    with pytest.raises(UploadError) as info:
        activity_upload(owner=alice, data=gpx_run(60), sport="quidditch")
    assert info.value.code == "invalid_sport"


@pytest.mark.django_db
def test_archive_is_refused_where_only_single_files_go(alice: User) -> None:
    from tests.activities.files import zip_of

    with pytest.raises(UploadError) as info:
        activity_upload(owner=alice, data=zip_of({"a.gpx": gpx_run(60)}))
    assert info.value.code == "archive_not_allowed"


@pytest.mark.django_db
def test_near_duplicates_are_flagged(alice: User) -> None:
    first, _ = activity_upload(owner=alice, data=gpx_run(300, seed=1))
    close, _ = activity_upload(owner=alice, data=gpx_run(300, seed=2, start=START.timestamp() + 45))
    later, _ = activity_upload(
        owner=alice, data=gpx_run(300, seed=3, start=START.timestamp() + 110)
    )
    other_sport, _ = activity_upload(
        owner=alice, data=gpx_run(300, seed=4, start=START.timestamp() + 10), sport="cycling"
    )
    assert close.near_duplicate_of_id == first.pk
    assert later.near_duplicate_of_id is None
    assert other_sport.near_duplicate_of_id is None
    assert first.near_duplicate_of_id is None


@pytest.mark.django_db
def test_created_event_fires_once_per_activity_after_commit(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    activity_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            result = activity_upload_file(owner=alice, data=gpx_run(60, tracks=2))
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert sorted(r["activity_id"] for r in received) == sorted(a.pk for a in result.activities)
        assert all(r["owner_id"] == alice.pk for r in received)
        received.clear()
        with django_capture_on_commit_callbacks(execute=True):
            activity_upload_file(owner=alice, data=gpx_run(60, tracks=2))  # a duplicate
        assert received == []
    finally:
        activity_created.disconnect(receiver)


@pytest.mark.django_db
def test_body_data_reaches_the_analysis_only_with_consent(make_user: Callable[..., User]) -> None:
    body = {
        "birthday": dt.date(1990, 5, 1),
        "gender": "male",
        "weight_kg": 72.0,
        "height_cm": 180.0,
        "max_hr": 190,
        "resting_hr": 50,
    }
    without = make_user(**body)
    with_consent = make_user(consents=("body_data",), **body)

    profile = analysis_profile(without)
    assert (profile.birthday, profile.sex, profile.weight_kg, profile.height_cm) == (None,) * 4
    assert (profile.max_hr, profile.resting_hr) == (190, 50)  # the person's own HR settings
    profile = analysis_profile(with_consent)
    assert profile.weight_kg == 72.0
    assert profile.sex == "male"
    assert profile.birthday == dt.date(1990, 5, 1)

    data = gpx_run(1800)
    plain, _ = activity_upload(owner=without, data=data)
    assert plain.calories_kcal is None
    assert plain.calories_method.startswith("unknown")
    assert plain.trimp is None
    full, _ = activity_upload(owner=with_consent, data=data)
    assert full.calories_kcal is not None
    assert full.calories_kcal > 0
    assert full.trimp is not None
    assert full.trimp > 0


@pytest.mark.django_db
def test_erasing_a_person_removes_their_files_but_not_shared_ones(
    make_user: Callable[..., User], media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from imas.activities.imports import import_job_create_archive
    from tests.activities.files import zip_of

    leaving, staying = make_user(), make_user()
    shared = gpx_run(60, seed=1)
    own = gpx_run(60, seed=2, start=START.timestamp() + 86_400)
    activity_upload(owner=leaving, data=shared)
    activity_upload(owner=staying, data=shared)
    mine, _ = activity_upload(owner=leaving, data=own)
    job = import_job_create_archive(owner=leaving, data=zip_of({"a.gpx": own}), enqueue=False)
    assert len(_stored_files(media_root)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        leaving.delete()  # account erasure: everything goes by cascade
    assert not storage.blob_exists(storage.ORIGINALS, mine.original_sha256)
    assert not storage.blob_exists(storage.ARCHIVES, job.archive_sha256)
    assert storage.blob_exists(storage.ORIGINALS, storage.sha256_hex(shared))
    assert len(_stored_files(media_root)) == 1


@pytest.mark.django_db
def test_originals_go_to_whichever_storage_backend_is_configured(
    alice: User, settings: Any, media_root: Path
) -> None:
    # S3-compatible storage (django-storages) plugs in the same way: a STORAGES entry.
    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.IMAS_ORIGINALS_STORAGE = "originals"
    data = gpx_run(60)
    activity, _ = activity_upload(owner=alice, data=data)
    assert storage.blob_read(storage.ORIGINALS, activity.original_sha256) == data
    assert _stored_files(media_root) == []  # nothing went to the local folder


@pytest.mark.django_db
def test_without_health_consent_heart_rate_is_neither_analysed_nor_kept(
    make_user: Callable[..., User],
) -> None:
    from imas.privacy.models import Purpose
    from imas.privacy.services import consent_record

    person = make_user(max_hr=190, resting_hr=50)
    consent_record(user=person, purpose=Purpose.HEALTH_DATA, granted=False)
    activity, _ = activity_upload(owner=person, data=gpx_run(600))
    assert activity.avg_hr is None
    assert activity.max_hr is None
    assert activity.trimp is None
    assert "hr_zones" not in activity.analysis
    assert "hr" not in activity_streams(activity)
    assert activity.distance_m is not None  # everything else is analysed as usual


@pytest.mark.django_db
def test_in_a_request_events_wait_for_the_response_to_be_sent(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    received: list[int] = []

    def receiver(sender: Any, activity_id: int, **kwargs: Any) -> None:
        received.append(activity_id)

    activity_created.connect(receiver)
    # As Django's test client does: the test's transaction must outlive the fake request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
        with django_capture_on_commit_callbacks(execute=True):
            activity, _ = activity_upload(owner=alice, data=gpx_run(60))
        assert received == []  # committed, but the answer is not out yet
        request_finished.send(sender=None)
        assert received == [activity.pk]
    finally:
        activity_created.disconnect(receiver)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
