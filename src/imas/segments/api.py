"""The segments API: /api/v1/segments... and personal records at /api/v1/segments/records.

Handlers validate input, call one service or selector, and shape the answer. Every URL with a
segment id goes through `segment_get_for_viewer` / `segment_get_for_owner`, which answer 404
alike for a missing id and for someone else's private segment. Efforts of other people appear
only in leaderboards, only from activities the caller may see, and never with heart rate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from imas.activities.models import Activity, Sport
from imas.activities.selectors import activity_get_for_viewer
from imas.activities.uploads import MULTIPART_OVERHEAD, content_length, install_capped_handler
from imas.api.auth import api_auth, request_user
from imas.api.errors import ApiError
from imas.segments import selectors, services
from imas.segments.models import PersonalRecord, Segment, SegmentEffort, SegmentVisibility
from imas.segments.page_data import elevation_profile

router = Router(tags=["segments"])
API_PREFIX = "/segments"

NOT_FOUND = ApiError(404, "not_found", "No such segment.")
MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000_000  # beyond any real list; larger numbers overflow the database's integers


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class SegmentLinks(Schema):
    self: str
    page: str


class SegmentOut(Schema):
    id: int
    name: str
    sport: str
    visibility: str
    source: str
    owner_name: str
    is_mine: bool
    length_m: float
    ascent_m: float | None
    descent_m: float | None
    start_latlng: list[float]
    end_latlng: list[float]
    route_polyline: str
    created_at: dt.datetime
    links: SegmentLinks


class EffortOut(Schema):
    id: int
    activity_id: int
    activity_name: str
    start_time: dt.datetime
    elapsed_s: float
    moving_s: float
    distance_m: float
    avg_speed_mps: float | None
    avg_hr: float | None
    avg_power_w: float | None
    start_index: int
    end_index: int
    personal_rank: int | None = None


class LeaderOut(Schema):
    rank: int
    athlete: str
    is_me: bool
    activity_id: int
    start_time: dt.datetime
    elapsed_s: float
    avg_speed_mps: float | None
    avg_power_w: float | None


class SegmentDetailOut(SegmentOut):
    points: list[list[float | None]]
    elevation_profile: list[list[float]]
    efforts: list[EffortOut]
    record: EffortOut | None
    leaderboard: list[LeaderOut]
    my_rank: LeaderOut | None
    effort_count: int
    athlete_count: int


class SegmentPageOut(Schema):
    count: int
    results: list[SegmentOut]


class SegmentCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    activity_id: int
    name: str
    start_index: int | None = None
    end_index: int | None = None
    start_distance_m: float | None = None
    end_distance_m: float | None = None
    sport: str | None = None
    visibility: str = SegmentVisibility.PRIVATE


class SegmentPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    visibility: str | None = None


class ListFilters(Schema):
    mine: bool = False
    sport: str | None = None
    q: str | None = Field(None, max_length=200)
    limit: int = 50
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ActivityEffortOut(EffortOut):
    segment_id: int
    segment_name: str
    segment_length_m: float
    attempts: int
    is_record: bool


class RecordOut(Schema):
    sport: str
    kind: str
    key: str
    label: str
    value: float
    previous_value: float | None
    activity_id: int
    activity_name: str
    achieved_at: dt.datetime


# --- shaping ------------------------------------------------------------------------------------


def _owner_name(segment: Segment) -> str:
    return selectors._display_name(segment.owner)


def _segment_out(segment: Segment, viewer_id: int) -> dict[str, Any]:
    return {
        "id": segment.pk,
        "name": segment.name,
        "sport": segment.sport,
        "visibility": segment.visibility,
        "source": segment.source,
        "owner_name": _owner_name(segment),
        "is_mine": segment.owner_id == viewer_id,
        "length_m": segment.length_m,
        "ascent_m": segment.ascent_m,
        "descent_m": segment.descent_m,
        "start_latlng": [segment.start_lat, segment.start_lon],
        "end_latlng": [segment.end_lat, segment.end_lon],
        "route_polyline": segment.route_polyline,
        "created_at": segment.created_at,
        "links": {
            "self": f"/api/v1/segments/{segment.pk}",
            "page": reverse("segments:detail", args=[segment.pk]),
        },
    }


def _speed(segment_length: float, elapsed: float) -> float | None:
    return round(segment_length / elapsed, 3) if elapsed > 0 else None


def _effort_out(effort: SegmentEffort, length_m: float, *, with_hr: bool) -> dict[str, Any]:
    return {
        "id": effort.pk,
        "activity_id": effort.activity_id,
        "activity_name": effort.activity.name,
        "start_time": effort.start_time,
        "elapsed_s": effort.elapsed_s,
        "moving_s": effort.moving_s,
        "distance_m": effort.distance_m,
        "avg_speed_mps": _speed(length_m, effort.elapsed_s),
        "avg_hr": effort.avg_hr if with_hr else None,
        "avg_power_w": effort.avg_power_w,
        "start_index": effort.start_index,
        "end_index": effort.end_index,
        "personal_rank": getattr(effort, "personal_rank", None),
    }


def _leader_out(row: selectors.LeaderRow, length_m: float) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "athlete": row.owner_name,
        "is_me": row.is_viewer,
        "activity_id": row.effort.activity_id,
        "start_time": row.effort.start_time,
        "elapsed_s": row.effort.elapsed_s,
        "avg_speed_mps": _speed(length_m, row.effort.elapsed_s),
        "avg_power_w": row.effort.avg_power_w,
    }


def segment_detail_data(segment: Segment, viewer: Any) -> dict[str, Any]:
    """Everything the segment page and GET /segments/{id} show (one place for both)."""
    viewer_id = int(viewer.pk)
    efforts = selectors.segment_efforts_of(segment, viewer)
    record = min(efforts, key=lambda e: (e.elapsed_s, e.start_time, e.pk), default=None)
    rows, mine = selectors.segment_leaderboard(segment, viewer)
    counts = selectors.segment_effort_counts(segment, viewer)
    length = segment.length_m
    return {
        **_segment_out(segment, viewer_id),
        "points": segment.points,
        "elevation_profile": elevation_profile(segment.points),
        "efforts": [_effort_out(e, length, with_hr=True) for e in efforts],
        "record": None if record is None else _effort_out(record, length, with_hr=True),
        "leaderboard": [_leader_out(r, length) for r in rows],
        "my_rank": None if mine is None else _leader_out(mine, length),
        "effort_count": counts["efforts"],
        "athlete_count": counts["people"],
    }


def _invalid(exc: services.SegmentInvalid) -> ApiError:
    code = {404: "not_found", 413: "file_too_large", 400: "bad_request"}.get(exc.status, "invalid")
    return ApiError(exc.status, code, exc.message, exc.field)


def _segment_for_viewer(request: HttpRequest, segment_id: int) -> Segment:
    try:
        return selectors.segment_get_for_viewer(request_user(request), segment_id)
    except Segment.DoesNotExist:
        raise NOT_FOUND from None


def _segment_for_owner(request: HttpRequest, segment_id: int) -> Segment:
    try:
        return selectors.segment_get_for_owner(request_user(request), segment_id)
    except Segment.DoesNotExist:
        raise NOT_FOUND from None


# --- records (declared before /{id} routes; their paths are literal) -------------------------


def _record_out(record: PersonalRecord) -> dict[str, Any]:
    return {
        "sport": record.sport,
        "kind": record.kind,
        "key": record.key,
        "label": selectors.record_label(record),
        "value": record.value,
        "previous_value": record.previous_value,
        "activity_id": record.activity_id,
        "activity_name": record.activity.name,
        "achieved_at": record.achieved_at,
    }


@router.get("/records", response={200: list[RecordOut], 422: ErrorOut})
def records_current(request: HttpRequest, sport: str | None = None) -> Any:
    """Your standing personal records (optionally of one sport), with their activities."""
    if sport is not None and sport not in Sport.values:
        raise ApiError(422, "invalid", f"sport must be one of {', '.join(Sport.values)}.", "sport")
    return [_record_out(r) for r in selectors.records_current(request_user(request), sport)]


@router.get("/records/recent", response={200: list[RecordOut], 422: ErrorOut})
def records_recent(request: HttpRequest, days: int = 30, limit: int = 10) -> Any:
    """Records you broke in the last `days` days, newest first (what the dashboard shows)."""
    if not 1 <= days <= 3660:
        raise ApiError(422, "invalid", "days must be between 1 and 3660.", "days")
    if not 1 <= limit <= 100:
        raise ApiError(422, "invalid", "limit must be between 1 and 100.", "limit")
    return [
        _record_out(r)
        for r in selectors.records_recent(request_user(request), days=days, limit=limit)
    ]


# --- segments ---------------------------------------------------------------------------------


@router.get("", response={200: SegmentPageOut, 422: ErrorOut})
def segment_list(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    """Segments you may see: your own and everyone's shared ones (`mine=true`: yours only)."""
    if filters.sport is not None and filters.sport not in Sport.values:
        raise ApiError(422, "invalid", f"sport must be one of {', '.join(Sport.values)}.", "sport")
    if not 1 <= filters.limit <= MAX_PAGE_SIZE:
        raise ApiError(422, "invalid", f"limit must be between 1 and {MAX_PAGE_SIZE}.", "limit")
    user = request_user(request)
    qs = selectors.segment_list(
        viewer=user, mine=filters.mine, sport=filters.sport, search=filters.q
    )
    page = selectors.segments_shown(list(qs[filters.offset : filters.offset + filters.limit]), user)
    return {"count": qs.count(), "results": [_segment_out(s, int(user.pk)) for s in page]}


@router.post("", response={201: SegmentDetailOut, 404: ErrorOut, 422: ErrorOut})
def segment_create(request: HttpRequest, payload: SegmentCreateIn) -> Any:
    """A segment from part of one of your activities: sample indices of its streams
    (`start_index`, `end_index`) or distances along it (`start_distance_m`, `end_distance_m`).
    Your other activities, and everyone's when shared, are matched against it in the background.
    """
    user = request_user(request)
    try:
        segment = services.segment_create_from_activity(owner=user, **payload.model_dump())
    except services.SegmentInvalid as exc:
        raise _invalid(exc) from exc
    segment = selectors.segment_get_for_viewer(user, segment.pk)
    return Status(201, segment_detail_data(segment, user))


def gpx_guard(request: HttpRequest) -> None:
    """Before authentication: refuse an oversized body before anything reads it."""
    if content_length(request) > services.MAX_GPX_BYTES + MULTIPART_OVERHEAD:
        raise ApiError(413, "file_too_large", "The file is larger than 5 MB.", "file")
    install_capped_handler(request, services.MAX_GPX_BYTES)


@router.post(
    "/gpx",
    auth=[gpx_guard, *api_auth],
    response={201: SegmentDetailOut, 400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
)
def segment_create_gpx(request: HttpRequest) -> Any:
    """A segment from a GPX route or track: multipart with `file`, `name` (optional: the
    route's own name), `sport`, `visibility`."""
    user = request_user(request)
    if request.content_type != "multipart/form-data":
        raise ApiError(
            415, "unsupported_media_type", "Send multipart/form-data with the GPX in 'file'."
        )
    handler = install_capped_handler(request, services.MAX_GPX_BYTES)
    try:
        upload = request.FILES.get("file")
        form = request.POST
    except Exception as exc:  # a malformed multipart body
        raise ApiError(400, "malformed_body", "The multipart body cannot be read.") from exc
    if handler is not None and handler.too_large:
        raise ApiError(413, "file_too_large", "The file is larger than 5 MB.", "file")
    if upload is None:
        raise ApiError(400, "missing_file", "Attach the GPX file in the field 'file'.", "file")
    try:
        segment = services.segment_create_from_gpx(
            owner=user,
            data=upload.read(services.MAX_GPX_BYTES + 1),
            name=form.get("name") or None,
            sport=form.get("sport") or "",
            visibility=form.get("visibility") or SegmentVisibility.PRIVATE,
        )
    except services.SegmentInvalid as exc:
        raise _invalid(exc) from exc
    segment = selectors.segment_get_for_viewer(user, segment.pk)
    return Status(201, segment_detail_data(segment, user))


@router.get("/{int:segment_id}", response={200: SegmentDetailOut, 404: ErrorOut})
def segment_detail(request: HttpRequest, segment_id: int) -> Any:
    """The segment with its path and elevation profile, your efforts and record, and the
    leaderboard of the efforts you may see."""
    return segment_detail_data(_segment_for_viewer(request, segment_id), request_user(request))


@router.patch("/{int:segment_id}", response={200: SegmentDetailOut, 404: ErrorOut, 422: ErrorOut})
def segment_update(request: HttpRequest, segment_id: int, payload: SegmentPatch) -> Any:
    segment = _segment_for_owner(request, segment_id)
    try:
        services.segment_update(segment=segment, **payload.model_dump(exclude_unset=True))
    except services.SegmentInvalid as exc:
        raise _invalid(exc) from exc
    user = request_user(request)
    return segment_detail_data(selectors.segment_get_for_viewer(user, segment_id), user)


@router.delete("/{int:segment_id}", response={204: None, 404: ErrorOut})
def segment_delete(request: HttpRequest, segment_id: int) -> Any:
    services.segment_delete(segment=_segment_for_owner(request, segment_id))
    return Status(204, None)


@router.get(
    "/activities/{int:activity_id}/efforts",
    response={200: list[ActivityEffortOut], 404: ErrorOut},
)
def activity_efforts(request: HttpRequest, activity_id: int) -> Any:
    """The segments an activity crossed, in order, with each effort's place among its
    owner's efforts on that segment (`is_record`: the owner's best of several)."""
    user = request_user(request)
    try:
        activity = activity_get_for_viewer(user, activity_id)
    except Activity.DoesNotExist:
        raise ApiError(404, "not_found", "No such activity.") from None
    owner = activity.owner_id == user.pk
    out = []
    for item in selectors.activity_efforts(activity, user):
        effort = item.effort
        effort.activity = activity
        out.append(
            {
                **_effort_out(effort, item.segment.length_m, with_hr=owner),
                "personal_rank": item.personal_rank,
                "segment_id": item.segment.pk,
                "segment_name": item.segment.name,
                "segment_length_m": item.segment.length_m,
                "attempts": item.attempts,
                "is_record": item.is_record,
            }
        )
    return out
