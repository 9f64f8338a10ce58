"""Every real activity file of the shared corpus either becomes activities or is refused with
our own error naming the problem: never a crash, never half-stored (skipped without corpus)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from imas.accounts.models import User
from imas.activities.models import Activity, ActivityStreams
from imas.activities.selectors import activity_streams
from imas.activities.services import UploadError, activity_upload_file
from imas.activities.streams import streams_payload
from tests.support.corpus import corpus_files, corpus_id


def _sample(paths: list[Path], per_kind: int = 3) -> list[Path]:
    """A few files per (source project, extension): every decoder path, in a few seconds.
    The decoders' own tests read every corpus file."""
    chosen: dict[tuple[str, str], list[Path]] = {}
    for path in paths:
        key = (corpus_id(path).split("/")[0], path.suffix.lower())
        bucket = chosen.setdefault(key, [])
        if len(bucket) < per_kind:
            bucket.append(path)
    return [p for bucket in chosen.values() for p in bucket]


FILES = _sample(corpus_files(".fit", ".gpx", ".tcx", ".gz"))
pytestmark = pytest.mark.corpus


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES, ids=[corpus_id(p) for p in FILES])
def test_corpus_file_uploads_or_is_refused_cleanly(alice: User, path: Path) -> None:
    data = path.read_bytes()
    refused: UploadError | None = None
    try:
        result = activity_upload_file(owner=alice, data=data, filename=path.name)
    except UploadError as exc:
        refused = exc
    if refused is not None:
        assert refused.code
        assert refused.message
        assert 400 <= refused.status < 500
        assert Activity.objects.count() == 0
        return
    assert result.created
    assert ActivityStreams.objects.count() == len(result.activities)
    for activity in result.activities:
        assert activity.start_time is not None
        assert activity.sport
        payload = streams_payload(activity_streams(activity), resolution=500)
        lengths = {len(values) for values in payload.values()}
        assert len(lengths) <= 1  # every stream has one value per sample
    again = activity_upload_file(owner=alice, data=data, filename="again")
    assert not again.created


@pytest.mark.django_db
def test_gzip_bomb_is_refused(alice: User) -> None:
    bomb = gzip.compress(b"<gpx>" + b" " * (200 * 1024 * 1024), compresslevel=9)
    with pytest.raises(UploadError) as info:
        activity_upload_file(owner=alice, data=bomb)
    assert info.value.status == 413
    assert Activity.objects.count() == 0
