"""What the schemathesis run of the whole API needs: the app in-process, the error-shape check
and a person who owns real things for the fuzzer to reach.

The API is called through Django's real WSGI application (every middleware, the error-shape
middleware included), not through the test client, so what a client sees is what is checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.support.gpx_writer import GpxDocument, GpxTrack, gpx_bytes, synthetic_points


@contextmanager
def connections_kept_open() -> Iterator[None]:
    """Let WSGI requests run inside the test's transaction.

    Django closes "old" connections when a request starts and finishes; inside a test's
    transaction that marks the transaction for rollback. Django's own test client unhooks the
    same handler around each request for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def error_shape_problem(status: int, content_type: str, body: bytes) -> str | None:
    """Why a 4xx/5xx answer is not DESIGN §7's `{"error": {"code", "message", "field"}}`."""
    if status < 400:
        return None
    if not content_type.startswith("application/json"):
        return f"{status} answered with Content-Type {content_type!r}, not JSON"
    try:
        payload = json.loads(body)
    except ValueError:
        return f"{status} answered with a body that is not JSON: {body[:200]!r}"
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return f"{status} body has no 'error' object: {body[:200]!r}"
    if set(error) != {"code", "message", "field"}:
        return f"{status} error has keys {sorted(error)}, not code/message/field"
    if not isinstance(error["code"], str) or not error["code"]:
        return f"{status} error code is not a non-empty string: {error['code']!r}"
    if not isinstance(error["message"], str) or not error["message"]:
        return f"{status} error message is not a non-empty string: {error['message']!r}"
    if error["field"] is not None and not isinstance(error["field"], str):
        return f"{status} error field is neither a string nor null: {error['field']!r}"
    return None


@dataclass
class FuzzWorld:
    """Ids of real rows the fuzzer may aim at, by the path parameter that names them."""

    token: str
    ids: dict[str, list[int]] = field(default_factory=dict)


def small_gpx(seconds: int, *, start: float, seed: int) -> bytes:
    points = synthetic_points(seconds, start=start, seed=seed)
    return gpx_bytes(GpxDocument(tracks=[GpxTrack(segments=[points], type="cycling")]))


def build_world(make_user: Any) -> FuzzWorld:
    """A verified person with a token, three uploaded rides, a segment on the first, a goal, a
    privacy zone far from the rides, and another person."""
    from imas.accounts.services import token_create
    from imas.activities.services import activity_upload
    from imas.goals.services import goal_create
    from imas.segments.services import segment_create_from_activity
    from imas.sharing.services import privacy_zone_create

    owner = make_user(consents=("body_data", "health_data"))
    other = make_user()
    token_row, secret = token_create(user=owner, name="schemathesis")
    activity_ids = []
    for n in range(3):
        data = small_gpx(120 + 60 * n, start=1_700_000_000.0 + 86_400 * n, seed=n + 1)
        activity, _created = activity_upload(owner=owner, data=data, filename=f"ride{n}.gpx")
        activity_ids.append(int(activity.pk))
    segment = segment_create_from_activity(
        owner=owner, activity_id=activity_ids[0], name="Climb", start_index=10, end_index=100
    )
    goal = goal_create(owner=owner, period="week", metric="distance", target=50_000.0)
    zone = privacy_zone_create(owner=owner, lat=10.0, lon=10.0, radius_m=200)
    return FuzzWorld(
        token=secret,
        ids={
            "activity_id": activity_ids,
            "token_id": [int(token_row.pk)],
            "goal_id": [int(goal.pk)],
            "segment_id": [int(segment.pk)],
            "zone_id": [int(zone.pk)],
            "person_id": [int(other.pk), int(owner.pk)],
        },
    )


# Text no database can keep, though JSON can carry it: NUL (PostgreSQL's text columns refuse
# it) and a lone surrogate (no UTF-8 encoding exists). Sent apart, as a check that refuses one
# would hide the other. Only a JSON body can carry a lone surrogate (a URL or a multipart form
# is bytes).
NUL = "\x00"
HOSTILE_TEXTS = (NUL, "\ud800")


def _with_suffix(value: Any, suffix: str) -> Any:
    if isinstance(value, str):
        return value + suffix
    if isinstance(value, dict):
        return {key: _with_suffix(item, suffix) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_suffix(item, suffix) for item in value]
    return value


def _has_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, dict):
        return any(_has_text(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_text(item) for item in value)
    return False


def with_hostile_text(case: Any) -> list[Any]:
    """Copies of the request with each hostile text appended to every text value of its body
    and query; none when it has no text."""
    body = case.body if isinstance(case.body, (dict, list)) else None
    query = case.query if isinstance(case.query, dict) else None
    json_body = (case.media_type or "").startswith("application/json")
    copies = []
    for suffix in HOSTILE_TEXTS:
        in_query = suffix == NUL and _has_text(query)
        in_body = (suffix == NUL or json_body) and _has_text(body)
        if not in_query and not in_body:
            continue
        copies.append(
            case.operation.Case(
                method=case.method,
                path_parameters=case.path_parameters,
                headers=case.headers,
                query=_with_suffix(query, suffix) if in_query else query,
                body=_with_suffix(body, suffix) if in_body else case.body,
                media_type=case.media_type,
            )
        )
    return copies
