"""Segment pages: the list, a segment (map, elevation, your efforts, record, leaderboard),
creating one from an activity or a GPX route, editing and deleting; and the records page.

Views stay thin: reads through selectors (and api.segment_detail_data, which the JSON API
shares), writes through services. Segment URLs go through the selectors' access check, which
answers 404 alike for a missing id and for someone else's private segment.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from imas.activities.models import Activity, Sport
from imas.activities.page_data import user_zone
from imas.activities.selectors import activity_get_for_owner
from imas.activities.uploads import MULTIPART_OVERHEAD, content_length, install_capped_handler
from imas.segments import page_data, selectors, services
from imas.segments.models import RecordKind, Segment, SegmentVisibility
from imas.track.metrics.best_efforts import RUNNING_DISTANCES

SPORT_CHOICES = [(s.value, s.label) for s in Sport if s.value in services.SEGMENT_SPORTS]


def _units(user: Any) -> str:
    return "imperial" if getattr(user, "units", "") == "imperial" else "metric"


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("units", _units(request.user))
    with timezone.override(user_zone(request.user)):
        return render(request, template, context, status=status)


def map_config() -> dict[str, Any]:
    """Tiles through IMAS's own proxy (imas.tiles), as the activity pages use them."""
    from imas.tiles.cache import tiles_enabled

    on = tiles_enabled()
    return {
        "tileUrl": reverse("tiles:tile", args=[0, 0, 0]).replace("0/0/0", "{z}/{x}/{y}")
        if on
        else "",
        "attribution": str(getattr(settings, "IMAS_TILE_ATTRIBUTION", "")) if on else "",
        "maxZoom": int(getattr(settings, "IMAS_TILE_MAX_ZOOM", 19)),
    }


@login_required
@require_http_methods(["GET"])
def segment_list_page(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("show") != "all"
    search = (request.GET.get("q") or "").strip()[:100]
    segments = selectors.segments_shown(
        list(selectors.segment_list(viewer=request.user, mine=mine, search=search)[:200]),
        request.user,
    )
    return _render(
        request,
        "segments/list.html",
        {"segments": segments, "mine": mine, "q": search},
    )


@require_http_methods(["GET"])
def segment_detail_page(request: HttpRequest, segment_id: int) -> HttpResponse:
    try:
        segment = selectors.segment_get_for_viewer(request.user, segment_id)
    except Segment.DoesNotExist:
        raise Http404(_("No such segment.")) from None
    efforts = selectors.segment_efforts_of(segment, request.user)
    profile = page_data.elevation_profile(segment.points)
    config = {
        **map_config(),
        "points": [[p[0], p[1]] for p in segment.points],
        "labels": {"start": _("Start"), "finish": _("Finish")},
    }
    rows, mine = selectors.segment_leaderboard(segment, request.user)
    return _render(
        request,
        "segments/detail.html",
        {
            "segment": segment,
            "is_owner": request.user.is_authenticated and segment.owner_id == request.user.pk,
            "counts": selectors.segment_effort_counts(segment, request.user),
            "efforts": efforts,
            "record": min(efforts, key=lambda e: (e.elapsed_s, e.pk), default=None),
            "leaderboard": rows,
            "my_row": mine,
            "profile": page_data.profile_svg(profile),
            "efforts_chart": page_data.efforts_svg(efforts),
            "map_config": config,
            "visibility_choices": SegmentVisibility.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def segment_create_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Pick the start and end of a segment on one of your activities."""
    try:
        activity = activity_get_for_owner(request.user, activity_id)
    except Activity.DoesNotExist:
        raise Http404(_("No such activity.")) from None
    error: services.SegmentInvalid | None = None
    form = {
        "name": "",
        "sport": activity.sport,
        "visibility": SegmentVisibility.PRIVATE,
        "start_distance_m": "",
        "end_distance_m": "",
    }
    if request.method == "POST":
        form.update({k: request.POST.get(k, "") for k in form})
        try:
            segment = services.segment_create_from_activity(
                owner=request.user,
                activity_id=activity.pk,
                name=form["name"],
                sport=form["sport"],
                visibility=form["visibility"],
                start_distance_m=_float(form["start_distance_m"], "start_distance_m"),
                end_distance_m=_float(form["end_distance_m"], "end_distance_m"),
            )
        except services.SegmentInvalid as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Segment created. Your activities are being matched against it."),
            )
            return redirect("segments:detail", segment.pk)
    config = {
        **map_config(),
        "streamsUrl": f"/api/v1/activities/{activity.pk}/streams?resolution=2000",
        "distance": activity.distance_m,
        "units": _units(request.user),
        "labels": {"start": _("Start"), "finish": _("Finish")},
    }
    return _render(
        request,
        "segments/create.html",
        {
            "activity": activity,
            "form": form,
            "error": error,
            "sports": SPORT_CHOICES,
            "visibility_choices": SegmentVisibility.choices,
            "map_config": config,
        },
        status=422 if error else 200,
    )


def _float(value: str, field: str) -> float | None:
    if value in ("", None):
        return None
    try:
        return float(value)
    except ValueError:
        raise services.SegmentInvalid(field, _("Enter a number of metres.")) from None


@csrf_exempt  # checked below, once the upload is capped (the CSRF check reads the body)
@login_required
@require_http_methods(["GET", "POST"])
def segment_gpx_page(request: HttpRequest) -> HttpResponse:
    """A segment from a GPX route (drawn in a route planner) or track.

    The body is read through a capped handler, so an oversized upload is refused without
    being stored anywhere first."""
    handler = None
    if request.method == "POST":
        if content_length(request) > services.MAX_GPX_BYTES + MULTIPART_OVERHEAD:
            return _gpx_form(request, _too_large(), status=413)
        handler = install_capped_handler(request, services.MAX_GPX_BYTES)
    return _segment_gpx_checked(request, handler)


def _too_large() -> services.SegmentInvalid:
    return services.SegmentInvalid("file", _("The file is larger than 5 MB."), status=413)


@csrf_protect
def _segment_gpx_checked(request: HttpRequest, handler: Any) -> HttpResponse:
    if request.method != "POST":
        return _gpx_form(request, None)
    try:
        form = {k: request.POST.get(k, "") for k in _gpx_defaults(request)}
        upload = request.FILES.get("file")
    except Exception:  # a malformed multipart body
        error = services.SegmentInvalid("file", _("The upload cannot be read."))
        return _gpx_form(request, error)
    if handler is not None and handler.too_large:
        return _gpx_form(request, _too_large(), form=form)
    try:
        if upload is None:
            raise services.SegmentInvalid("file", _("Choose a GPX file."))
        if upload.size is not None and upload.size > services.MAX_GPX_BYTES:
            raise _too_large()
        segment = services.segment_create_from_gpx(
            owner=request.user,
            data=upload.read(services.MAX_GPX_BYTES + 1),
            name=form["name"] or None,
            sport=form["sport"],
            visibility=form["visibility"],
        )
    except services.SegmentInvalid as exc:
        return _gpx_form(request, exc, form=form)
    messages.success(request, _("Segment created from the route."))
    return redirect("segments:detail", segment.pk)


def _gpx_defaults(request: HttpRequest) -> dict[str, str]:
    return {
        "name": "",
        "sport": getattr(request.user, "activity_type", "") or "running",
        "visibility": SegmentVisibility.PRIVATE,
    }


def _gpx_form(
    request: HttpRequest,
    error: services.SegmentInvalid | None,
    *,
    form: dict[str, str] | None = None,
    status: int | None = None,
) -> HttpResponse:
    return _render(
        request,
        "segments/gpx.html",
        {
            "form": form or _gpx_defaults(request),
            "error": error,
            "sports": SPORT_CHOICES,
            "visibility_choices": SegmentVisibility.choices,
        },
        status=status or ((413 if error.status == 413 else 422) if error else 200),
    )


def _own_segment(request: HttpRequest, segment_id: int) -> Segment:
    try:
        return selectors.segment_get_for_owner(request.user, segment_id)
    except Segment.DoesNotExist:
        raise Http404(_("No such segment.")) from None


@login_required
@require_POST
def segment_edit(request: HttpRequest, segment_id: int) -> HttpResponse:
    segment = _own_segment(request, segment_id)
    try:
        services.segment_update(
            segment=segment,
            name=request.POST.get("name"),
            visibility=request.POST.get("visibility") or None,
        )
    except services.SegmentInvalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("segments:detail", segment.pk)


@login_required
@require_POST
def segment_delete(request: HttpRequest, segment_id: int) -> HttpResponse:
    segment = _own_segment(request, segment_id)
    services.segment_delete(segment=segment)
    messages.success(request, _("Segment deleted."))
    return redirect("segments:list")


_RECORD_KIND_ORDER = [
    RecordKind.LONGEST_DISTANCE,
    RecordKind.LONGEST_TIME,
    RecordKind.BIGGEST_CLIMB,
    RecordKind.BEST_EFFORT,
    RecordKind.BEST_POWER,
]


def _record_order(record: Any) -> tuple[int, float, str]:
    """Records in the order a person reads them: best efforts by distance and power by
    duration, shortest first (sorted as text, 10 km came before 1 km and 2 min before 15 s)."""
    kind = RecordKind(record.kind)
    key = str(record.key)
    size = float("inf")
    if kind == RecordKind.BEST_POWER and key.isdigit():
        size = float(key)
    elif kind == RecordKind.BEST_EFFORT:
        size = RUNNING_DISTANCES.get(key, size)
    return _RECORD_KIND_ORDER.index(kind), size, key


@login_required
@require_http_methods(["GET"])
def records_page(request: HttpRequest) -> HttpResponse:
    """Your standing personal records by sport, and the ones broken lately."""
    records = list(selectors.records_current(request.user))
    by_sport: dict[str, list[Any]] = {}
    for record in records:
        record.label = selectors.record_label(record)  # type: ignore[attr-defined]
        record.is_time = record.kind in (RecordKind.BEST_EFFORT, RecordKind.LONGEST_TIME)  # type: ignore[attr-defined]
        by_sport.setdefault(str(Sport(record.sport).label), []).append(record)
    for sport_records in by_sport.values():
        sport_records.sort(key=_record_order)
    recent = selectors.records_recent(request.user, days=90)
    for record in recent:
        record.label = selectors.record_label(record)  # type: ignore[attr-defined]
    return _render(
        request,
        "segments/records.html",
        {"by_sport": sorted(by_sport.items()), "recent": recent},
    )
