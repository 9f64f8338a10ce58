"""The activities API: /api/v1/activities... and /api/v1/imports/{id}.

Handlers validate input, call one service or selector, and shape the answer. Every URL with an
activity id goes through `activity_get_for_viewer` / `activity_get_for_owner`, which answer
404 alike for a missing id and for someone else's activity.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from imas.activities import selectors, services, storage
from imas.activities.export import activity_gpx
from imas.activities.imports import import_job_create_archive
from imas.activities.models import Activity, ImportJob, Source, Sport
from imas.activities.streams import streams_payload
from imas.activities.uploads import MULTIPART_OVERHEAD, content_length, install_capped_handler
from imas.api.auth import api_auth, request_user
from imas.api.errors import ApiError
from imas.sharing.auth import PUBLIC_READ_AUTH, request_viewer
from imas.sharing.zones import arrays_for_viewer, route_polyline_for_viewer

router = Router(tags=["activities"])
API_PREFIX = ""

NOT_FOUND = ApiError(404, "not_found", "No such activity.")
MAX_PAGE_SIZE = 200
MAX_RESOLUTION = 100_000


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class Links(Schema):
    self: str
    page: str
    streams: str
    original: str | None
    gpx: str


class ActivityOut(Schema):
    id: int
    name: str
    sport: str
    file_sport: str
    file_sub_sport: str
    start_time: dt.datetime
    start_utc_offset_s: int | None
    start_timezone: str
    elapsed_s: float | None
    moving_s: float | None
    distance_m: float | None
    ascent_m: float | None
    descent_m: float | None
    avg_speed_mps: float | None
    max_speed_mps: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None
    avg_power_w: float | None
    normalized_power_w: float | None
    calories_kcal: float | None
    calories_method: str
    steps: int | None
    trimp: float | None
    tss: float | None
    points: int
    device: str
    visibility: str
    source: str
    original_name: str
    route_polyline: str
    near_duplicate_of: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    links: Links


class ActivityDetailOut(ActivityOut):
    description: str
    analysis: dict[str, Any]
    near_duplicates: list[int]


class UploadOut(ActivityDetailOut):
    activity_ids: list[int] = Field(description="every activity in the file, in order")
    warnings: list[str]


class ActivityPageOut(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[ActivityOut]


class ActivityPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    sport: str | None = None
    description: str | None = None
    visibility: str | None = None


class SetIn(Schema):
    model_config = ConfigDict(extra="forbid")

    exercise: str
    repetitions: int | None = None
    weight_kg: float | None = None


class ManualIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sport: str
    start_time: dt.datetime
    duration_s: float
    distance_m: float | None = None
    name: str | None = None
    description: str = ""
    visibility: str = "private"
    sets: list[SetIn] = Field(default_factory=list, max_length=services.MAX_SETS)


class ImportItemOut(Schema):
    position: int
    name: str
    status: str
    reason: str
    activity_id: int | None


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    archive_name: str
    total: int | None
    processed: int
    counts: dict[str, int]
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    items: list[ImportItemOut]
    items_truncated: bool
    links: dict[str, str]


# --- shaping --------------------------------------------------------------------------------


def _links(activity: Activity, *, owner: bool) -> dict[str, Any]:
    base = f"/api/v1/activities/{activity.pk}"
    try:
        page = reverse("activities:detail", args=[activity.pk])
    except Exception:  # the pages may not be mounted (an API-only deployment)
        page = f"/activities/{activity.pk}/"
    return {
        "self": base,
        "page": page,
        "streams": f"{base}/streams",
        "original": f"{base}/original" if owner and activity.original_sha256 else None,
        "gpx": f"{base}/gpx",
    }


# Heart rate is health data, and energy is computed from body data: only the owner sees them,
# whatever the activity's visibility.
_HEALTH_FIELDS = ("avg_hr", "max_hr", "trimp", "tss", "calories_kcal")


def _summary(activity: Activity, viewer_id: int | None) -> dict[str, Any]:
    owner = activity.owner_id == viewer_id
    out = {name: getattr(activity, name) for name in ActivityOut.model_fields if name != "links"}
    out["near_duplicate_of"] = activity.near_duplicate_of_id if owner else None
    if not owner:
        for name in _HEALTH_FIELDS:
            out[name] = None
        out["original_name"] = ""
        # Others see the route preview without privacy zones and hidden ends (imas.sharing).
        out["route_polyline"] = route_polyline_for_viewer(activity, None)
    out["links"] = _links(activity, owner=owner)
    return out


def _detail(activity: Activity, viewer_id: int | None) -> dict[str, Any]:
    out = _summary(activity, viewer_id)
    owner = activity.owner_id == viewer_id
    out["description"] = activity.description
    analysis = activity.analysis or {}
    out["analysis"] = analysis if owner else _without_health(analysis)
    out["near_duplicates"] = (
        [a.pk for a in selectors.activity_near_duplicates(activity)] if owner else []
    )
    return out


def _is_health_key(key: str) -> bool:
    key = key.lower()
    words = key.split("_")
    return (
        "hr" in words
        or any(part in key for part in ("heart", "trimp", "zone", "calorie", "kcal"))
        or key == "methods"
    )


def _without_health(value: Any) -> Any:
    """The analysis as others may see it: heart-rate and energy figures removed at any depth
    (splits and laps carry their own heart-rate averages)."""
    if isinstance(value, dict):
        return {k: _without_health(v) for k, v in value.items() if not _is_health_key(str(k))}
    if isinstance(value, list):
        return [_without_health(v) for v in value]
    return value


def _user_id(request: HttpRequest) -> int:
    return int(request_user(request).pk)


def _viewer_id(request: HttpRequest) -> int | None:
    """The caller's id, or None for an anonymous reader of a public activity."""
    viewer = request_viewer(request)
    return int(viewer.pk) if viewer.is_authenticated else None


def _activity_for_viewer(request: HttpRequest, activity_id: int) -> Activity:
    try:
        return selectors.activity_get_for_viewer(request_viewer(request), activity_id)
    except Activity.DoesNotExist:
        raise NOT_FOUND from None


def _activity_for_owner(request: HttpRequest, activity_id: int) -> Activity:
    try:
        return selectors.activity_get_for_owner(request_user(request), activity_id)
    except Activity.DoesNotExist:
        raise NOT_FOUND from None


def _upload_error(exc: services.UploadError, field: str | None = "file") -> ApiError:
    return ApiError(exc.status, exc.code, exc.message, field)


def _invalid(exc: services.ActivityInvalid) -> ApiError:
    return ApiError(422, "invalid", exc.message, exc.field)


# --- upload ---------------------------------------------------------------------------------

_MULTIPART_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "sport": {"type": "string", "enum": list(Sport.values)},
                        "name": {"type": "string", "maxLength": 200},
                    },
                }
            }
        },
    }
}


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "file_too_large",
        services.too_large_message(limit),
        "file",
    )


def upload_guard(request: HttpRequest) -> None:
    """Runs before authentication on the upload endpoints (which may read the form for the
    session's CSRF check): refuses a body whose declared length is over the cap before
    anything reads it, and makes sure whatever reads it stops at the cap."""
    limit = services.upload_max_bytes()
    if content_length(request) > limit + MULTIPART_OVERHEAD:
        raise _too_large(limit)
    install_capped_handler(request, limit)
    return None  # not an authentication: the next method decides who is calling


UPLOAD_AUTH = [upload_guard, *api_auth]


def _uploaded_file(request: HttpRequest) -> tuple[Any, Any]:
    """The `file` part and the other form fields, read under the cap."""
    limit = services.upload_max_bytes()
    if request.content_type != "multipart/form-data":
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send the file as multipart/form-data in the field 'file'.",
        )
    handler = install_capped_handler(request, limit)
    try:
        upload = request.FILES.get("file")
        form = request.POST
    except (RequestDataTooBig, TooManyFieldsSent) as exc:
        raise ApiError(413, "too_large", "The form fields beside the file are too large.") from exc
    except Exception as exc:  # a malformed multipart body
        raise ApiError(400, "malformed_body", "The multipart body cannot be read.") from exc
    if handler is not None and handler.too_large:
        raise _too_large(limit)
    if upload is None:
        raise ApiError(400, "missing_file", "Attach the file in the field 'file'.", "file")
    if upload.size is not None and upload.size > limit:
        raise _too_large(limit)
    return upload, form


@router.post(
    "/activities",
    auth=UPLOAD_AUTH,
    response={
        200: UploadOut,
        201: UploadOut,
        202: ImportJobOut,
        400: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
    },
    openapi_extra=_MULTIPART_SCHEMA,
    summary="Upload an activity file (FIT, GPX, TCX, gzip) or an archive of them (zip)",
)
def activity_upload(request: HttpRequest) -> Any:
    user = request_user(request)
    try:
        services.upload_allowed(user)
    except services.UploadError as exc:
        raise _upload_error(exc, None) from exc
    upload, form = _uploaded_file(request)
    data = upload.read()
    bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    try:
        result = services.activity_upload_file(
            owner=user,
            data=data,
            filename=upload.name or "",
            sport=form.get("sport") or None,
            name=form.get("name"),
            source=Source.API if bearer else Source.UPLOAD,
            allow_archive=True,
        )
    except services.UploadError as exc:
        field = exc.code.removeprefix("invalid_") if exc.code.startswith("invalid_") else "file"
        raise _upload_error(exc, field) from exc
    if result.job is not None:
        return Status(202, _job_out(result.job))
    body = _detail(result.activity, int(user.pk))
    body["activity_ids"] = [a.pk for a in result.activities]
    body["warnings"] = result.warnings
    return Status(201 if result.created else 200, body)


@router.post(
    "/imports",
    auth=UPLOAD_AUTH,
    response={202: ImportJobOut, 400: ErrorOut, 403: ErrorOut, 413: ErrorOut, 415: ErrorOut},
    openapi_extra=_MULTIPART_SCHEMA,
    summary="Import an archive (zip) of activity files in the background",
)
def import_create(request: HttpRequest) -> Any:
    user = request_user(request)
    try:
        services.upload_allowed(user)
    except services.UploadError as exc:
        raise _upload_error(exc, None) from exc
    upload, _form = _uploaded_file(request)
    data = upload.read()
    if not services.is_archive(data):
        raise ApiError(415, "not_an_archive", "The file is not a zip archive.", "file")
    job = import_job_create_archive(owner=user, data=data, filename=upload.name or "")
    return Status(202, _job_out(job))


# --- manual entry -----------------------------------------------------------------------------


@router.post(
    "/activities/manual",
    response={201: ActivityDetailOut, 422: ErrorOut},
    summary="Enter an activity that no device recorded (gym sets, a swim, a walk)",
)
def activity_create_manual(request: HttpRequest, payload: ManualIn) -> Any:
    user = request_user(request)
    try:
        activity = services.activity_create_manual(
            owner=user,
            sport=payload.sport,
            start_time=payload.start_time,
            duration_s=payload.duration_s,
            distance_m=payload.distance_m,
            name=payload.name,
            description=payload.description,
            visibility=payload.visibility,
            sets=[s.model_dump() for s in payload.sets],
        )
    except services.ActivityInvalid as exc:
        raise _invalid(exc) from exc
    return Status(201, _detail(activity, int(user.pk)))


# --- list, detail, edit, delete ----------------------------------------------------------------


class ListFilters(Schema):
    sport: str | None = None
    date_from: dt.date | None = Field(None, description="first day, in your time zone")
    date_to: dt.date | None = Field(None, description="last day (inclusive), in your time zone")
    q: str | None = Field(None, max_length=200, description="search in name and description")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


def _local_midnight(day: dt.date, zone_name: str) -> dt.datetime:
    try:
        zone = zoneinfo.ZoneInfo(zone_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


@router.get("/activities", response={200: ActivityPageOut, 422: ErrorOut})
def activity_list(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    user = request_user(request)
    if filters.sport and filters.sport not in Sport.values:
        raise ApiError(422, "invalid", f"sport must be one of {', '.join(Sport.values)}.", "sport")
    zone = getattr(user, "time_zone", "UTC")
    qs = selectors.activity_list(
        owner=user,
        sport=filters.sport,
        start_from=_local_midnight(filters.date_from, zone) if filters.date_from else None,
        start_to=(
            _local_midnight(filters.date_to + dt.timedelta(days=1), zone)
            if filters.date_to
            else None
        ),
        search=filters.q,
    )
    count = qs.count()
    offset = (filters.page - 1) * filters.page_size
    rows = list(qs[offset : offset + filters.page_size])
    viewer_id = int(user.pk)

    def page_url(page: int) -> str:
        query = request.GET.copy()
        query["page"] = str(page)
        return f"{request.path}?{query.urlencode()}"

    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "next": page_url(filters.page + 1) if offset + len(rows) < count else None,
        "previous": page_url(filters.page - 1) if filters.page > 1 else None,
        "results": [_summary(a, viewer_id) for a in rows],
    }


@router.get(
    "/activities/{activity_id}",
    auth=PUBLIC_READ_AUTH,
    response={200: ActivityDetailOut, 404: ErrorOut},
)
def activity_detail(request: HttpRequest, activity_id: int) -> Any:
    return _detail(_activity_for_viewer(request, activity_id), _viewer_id(request))


@router.patch(
    "/activities/{activity_id}", response={200: ActivityDetailOut, 404: ErrorOut, 422: ErrorOut}
)
def activity_update(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> Any:
    activity = _activity_for_owner(request, activity_id)
    try:
        services.activity_update(activity=activity, **payload.model_dump(exclude_unset=True))
    except services.ActivityInvalid as exc:
        raise _invalid(exc) from exc
    return _detail(activity, _user_id(request))


@router.delete("/activities/{activity_id}", response={204: None, 404: ErrorOut})
def activity_delete(request: HttpRequest, activity_id: int) -> Any:
    services.activity_delete(activity=_activity_for_owner(request, activity_id))
    return Status(204, None)


@router.post(
    "/activities/{activity_id}/keep",
    response={200: ActivityDetailOut, 404: ErrorOut},
    summary="Of a near-duplicate pair, keep this activity and delete the other",
)
def activity_keep(request: HttpRequest, activity_id: int) -> Any:
    activity = _activity_for_owner(request, activity_id)
    services.activity_near_duplicate_keep(activity=activity)
    return _detail(activity, _user_id(request))


@router.post(
    "/activities/{activity_id}/not-duplicate",
    response={200: ActivityDetailOut, 404: ErrorOut},
    summary="Mark a near-duplicate pair as two different activities",
)
def activity_not_duplicate(request: HttpRequest, activity_id: int) -> Any:
    activity = _activity_for_owner(request, activity_id)
    services.activity_near_duplicate_dismiss(activity=activity)
    return _detail(activity, _user_id(request))


# --- streams, original, GPX --------------------------------------------------------------------


@router.get(
    "/activities/{activity_id}/streams",
    auth=PUBLIC_READ_AUTH,
    response={200: dict[str, list[Any]], 404: ErrorOut, 422: ErrorOut},
    summary="Per-point data, Strava stream names; ?resolution=N for about N points",
)
def activity_streams(
    request: HttpRequest,
    activity_id: int,
    resolution: int | None = None,
) -> HttpResponse:
    if resolution is not None and not 2 <= resolution <= MAX_RESOLUTION:
        raise ApiError(
            422, "invalid", f"resolution must be between 2 and {MAX_RESOLUTION}.", "resolution"
        )
    activity = _activity_for_viewer(request, activity_id)
    # Others get no heart rate (unless shared) and no sample in a privacy zone or hidden end.
    arrays = arrays_for_viewer(
        activity, request_viewer(request), selectors.activity_streams(activity)
    )
    body = json.dumps(streams_payload(arrays, resolution), separators=(",", ":"))
    return HttpResponse(body, content_type="application/json")


@router.get(
    "/activities/{activity_id}/original",
    response={200: bytes, 404: ErrorOut},
    summary="The file as uploaded (owner only)",
)
def activity_original(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity_for_owner(request, activity_id)
    if not activity.original_sha256:
        raise ApiError(404, "not_found", "This activity was entered by hand; it has no file.")
    try:
        data = storage.blob_read(storage.ORIGINALS, activity.original_sha256)
    except FileNotFoundError:
        raise ApiError(404, "not_found", "The original file is no longer stored.") from None
    filename = activity.original_name or f"activity-{activity.pk}.{activity.original_format}"
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = _attachment(filename)
    return response


@router.get(
    "/activities/{activity_id}/gpx",
    auth=PUBLIC_READ_AUTH,
    response={200: bytes, 404: ErrorOut},
    summary="The activity exported as GPX 1.1",
)
def activity_export_gpx(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity_for_viewer(request, activity_id)
    arrays = arrays_for_viewer(
        activity, request_viewer(request), selectors.activity_streams(activity)
    )
    data = activity_gpx(activity, arrays, with_hr=True)  # hr is only there if they may see it
    response = HttpResponse(data, content_type="application/gpx+xml")
    response["Content-Disposition"] = _attachment(f"activity-{activity.pk}.gpx")
    return response


def _attachment(filename: str) -> str:
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in filename)[:150] or "activity"
    return f'attachment; filename="{safe}"'


# --- imports ------------------------------------------------------------------------------------

MAX_ITEMS_SHOWN = 2000


def _job_out(job: ImportJob) -> dict[str, Any]:
    counts = selectors.import_job_counts(job)
    items = list(selectors.import_job_items(job)[: MAX_ITEMS_SHOWN + 1])
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "archive_name": job.archive_name,
        "total": job.total,
        "processed": sum(v for k, v in counts.items() if k != "pending"),
        "counts": counts,
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "items": [
            {
                "position": item.position,
                "name": item.name,
                "status": item.status,
                "reason": item.reason,
                "activity_id": item.activity_id,
            }
            for item in items[:MAX_ITEMS_SHOWN]
        ],
        "items_truncated": len(items) > MAX_ITEMS_SHOWN,
        "links": {"self": f"/api/v1/imports/{job.pk}"},
    }


class ImportJobSummaryOut(Schema):
    id: int
    kind: str
    status: str
    archive_name: str
    total: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    links: dict[str, str]


@router.get("/imports", response=list[ImportJobSummaryOut], summary="Your 50 latest imports")
def import_list(request: HttpRequest) -> Any:
    jobs = selectors.import_jobs_of(request_user(request))[:50]
    return [
        {
            "id": job.pk,
            "kind": job.kind,
            "status": job.status,
            "archive_name": job.archive_name,
            "total": job.total,
            "created_at": job.created_at,
            "finished_at": job.finished_at,
            "links": {"self": f"/api/v1/imports/{job.pk}"},
        }
        for job in jobs
    ]


@router.get("/imports/{job_id}", response={200: ImportJobOut, 404: ErrorOut})
def import_detail(request: HttpRequest, job_id: int) -> Any:
    try:
        job = selectors.import_job_get_for_viewer(request_user(request), job_id)
    except ImportJob.DoesNotExist:
        raise ApiError(404, "not_found", "No such import.") from None
    return _job_out(job)
