"""Activity pages: list, calendar, upload, manual entry, the activity itself, edit and delete.

Views stay thin: they read through selectors and page_data, write through services, and render
in the person's time zone and units. Every activity URL goes through the selectors' single
access check, which answers 404 alike for a missing id and for someone else's activity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imas.activities import page_data, selectors, services
from imas.activities.models import Activity, Sport
from imas.activities.page_forms import (
    ActivityEditForm,
    ExerciseFormSet,
    ListFilterForm,
    ManualEntryForm,
    sets_from_exercises,
)
from imas.activities.templatetags import activity_format as fmt
from imas.sharing.zones import route_polyline_for_viewer

PAGE_SIZE = 30
CHART_RESOLUTION = 1200  # points per chart: finer than a wide screen's pixels, ~60 kB of JSON


def _units(user: Any) -> str:
    return "imperial" if getattr(user, "units", "") == "imperial" else "metric"


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render in the person's time zone and with their units."""
    context.setdefault("units", _units(request.user))
    with timezone.override(page_data.user_zone(request.user)):
        return render(request, template, context, status=status)


def _own_activity(request: HttpRequest, activity_id: int) -> Activity:
    try:
        return selectors.activity_get_for_owner(request.user, activity_id)
    except Activity.DoesNotExist:
        raise Http404(_("No such activity.")) from None


# --- list ------------------------------------------------------------------------------------


@login_required
def activity_list_page(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # the readable filters apply; the others are named on the page
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    zone = page_data.user_zone(request.user)
    qs = selectors.activity_list(
        owner=request.user,
        sport=filters.get("sport"),
        start_from=page_data.local_midnight(filters["date_from"], zone)
        if "date_from" in filters
        else None,
        start_to=page_data.local_midnight(filters["date_to"] + dt.timedelta(days=1), zone)
        if "date_to" in filters
        else None,
        search=filters.get("q"),
    )
    paginator = Paginator(qs, PAGE_SIZE)
    # Totals of a filtered selection answer "how far in May?"; over a whole history of
    # thousands they would cost a full scan on every visit, so the unfiltered list counts only
    # (the count reads the owner/start index alone).
    totals = page_data.totals_of(qs) if filters else page_data.Totals(count=qs.count())
    paginator.__dict__["count"] = totals.count  # counted once, not again by the paginator
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "activities/list.html",
        {
            "form": form,
            "page": page,
            "cards": page_data.cards(page.object_list),
            "totals": totals,
            "filtered": bool(filters),
            "query": query.urlencode(),
        },
    )


# --- calendar --------------------------------------------------------------------------------


@login_required
def calendar_page(
    request: HttpRequest, year: int | None = None, month: int | None = None
) -> HttpResponse:
    today = timezone.now().astimezone(page_data.user_zone(request.user)).date()
    year = year or today.year
    month = month or today.month
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404(_("No such month."))
    data = page_data.calendar_month(request.user, year, month)
    return _render(
        request,
        "activities/calendar.html",
        {"cal": data, "today": today, "sports": Sport},
    )


# --- upload and manual entry ------------------------------------------------------------------


@login_required
def upload_page(request: HttpRequest) -> HttpResponse:
    from imas.accounts.selectors import user_email_verified

    max_bytes = services.upload_max_bytes()
    labels = {
        "waiting": _("Waiting"),
        "uploading": _("Uploading"),
        "analysing": _("Analysing"),
        "created": _("Added"),
        "duplicate": _("Already there"),
        "failed": _("Failed"),
        "pending": _("Waiting"),
        "importing": _("Importing"),
        "imported": _("Imported"),
        "moreInFile": _("and %(n)s more from this file"),
        "warnings": _(
            "Read with notes (the file is damaged; what it held before the damage was kept):"
        ),
        "tooLarge": _("The file is larger than %(mb)s MB, the most IMAS accepts."),
        "networkError": _("IMAS could not be reached. Check the connection and try again."),
        "serverError": _("The server answered %(status)s. Try again later."),
        "importProgress": _(
            "%(done)s of %(total)s files: %(created)s added, %(duplicate)s already there, "
            "%(failed)s failed"
        ),
        "summaryCreated": _("%(n)s added"),
        "summaryDuplicate": _("%(n)s already there"),
        "summaryFailed": _("%(n)s failed"),
        "summaryImporting": _("%(n)s archive(s) importing"),
        "seeAll": _("See your activities"),
        "listUrl": reverse("activities:list"),
        "maxBytes": max_bytes,
        "imperial": _units(request.user) == "imperial",
        "timeZone": page_data.user_zone(request.user).key,
        "locale": translation.get_language() or "en",
        "maxMb": max_bytes // 1_000_000,  # decimal MB, as the setting is given
    }
    return _render(
        request,
        "activities/upload.html",
        {
            "max_mb": max_bytes // 1_000_000,  # decimal MB, as the setting is given
            "verified": user_email_verified(request.user),  # type: ignore[arg-type]
            "sports": Sport.choices,
            "upload_labels": labels,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manual_entry_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    zone = page_data.user_zone(user)
    imperial = _units(user) == "imperial"
    now = timezone.now().astimezone(zone)
    try:  # the calendar links a day here as ?date=YYYY-MM-DD
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = now.date()
    initial = {
        "date": day,
        "time": now.time().replace(second=0, microsecond=0),
        "distance_unit": "mi" if imperial else "km",
    }
    form = ManualEntryForm(request.POST or None, initial=initial)
    exercises = ExerciseFormSet(request.POST or None, prefix="ex")
    if request.method == "POST" and form.is_valid() and exercises.is_valid():
        sets = (
            sets_from_exercises(exercises.cleaned_data, imperial)
            if form.cleaned_data["sport"] == Sport.GYM
            else []
        )
        try:
            activity = services.activity_create_manual(
                owner=user,
                sport=form.cleaned_data["sport"],
                start_time=form.start_time(zone),
                duration_s=form.cleaned_data["duration"],
                distance_m=form.distance_m(),
                name=form.cleaned_data["name"] or None,
                description=form.cleaned_data["description"],
                visibility=form.cleaned_data["visibility"],
                sets=sets,
            )
        except services.ActivityInvalid as exc:
            field = {"duration_s": "duration", "distance_m": "distance", "start_time": "date"}.get(
                exc.field, exc.field
            )
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": activity.name})
            return redirect("activities:detail", activity_id=activity.pk)
    return _render(
        request,
        "activities/manual.html",
        {"form": form, "exercises": exercises, "weight_unit": _("lb") if imperial else _("kg")},
        status=400 if request.method == "POST" else 200,
    )


# --- one activity ----------------------------------------------------------------------------


def _stats(activity: Activity, units: str, owner: bool) -> list[dict[str, str]]:
    """The headline figures, in the order a runner reads them; unknown ones left out."""
    sport = activity.sport
    out: list[dict[str, str]] = []

    def add(label: str, value: str, unit: str = "", note: str = "") -> None:
        if value and value != fmt.UNKNOWN:
            out.append({"label": label, "value": value, "unit": unit, "note": note})

    if sport == Sport.SWIMMING:
        add(_("Distance"), *fmt.distance_parts(activity.distance_m, units, "swimming"))
    else:
        add(_("Distance"), *fmt.distance_parts(activity.distance_m, units))
    add(_("Moving time"), fmt.duration(activity.moving_s))
    add(
        fmt.pace_or_speed_label(sport),
        *fmt.pace_or_speed_parts(activity.avg_speed_mps, units, sport),
    )
    if activity.ascent_m:
        add(_("Elevation gain"), fmt.elevation(activity.ascent_m, units))
    if owner:
        add(_("Avg heart rate"), fmt.whole(activity.avg_hr), _("bpm"))
    add(_("Avg power"), fmt.whole(activity.avg_power_w), _("W"))
    add(_("Elapsed time"), fmt.duration(activity.elapsed_s))
    return out


def _details(
    activity: Activity, units: str, owner: bool, analysis: page_data.Analysis
) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []

    def add(label: str, value: str) -> None:
        if value and value != fmt.UNKNOWN:
            rows.append((label, value))

    sport = activity.sport
    if fmt.uses_pace(sport):
        add(_("Best pace"), fmt.pace_or_speed(activity.max_speed_mps, units, sport))
    else:
        add(_("Max speed"), fmt.speed(activity.max_speed_mps, units))
    add(_("Descent"), fmt.elevation(activity.descent_m, units) if activity.descent_m else "")
    if owner:
        add(_("Max heart rate"), fmt.whole(activity.max_hr, _("bpm")))
        add(_("TRIMP"), fmt.whole(activity.trimp))
    add(_("Cadence"), fmt.cadence(activity.avg_cadence, sport))
    add(_("Normalized power"), fmt.whole(activity.normalized_power_w, _("W")))
    add(_("Training stress"), fmt.whole(activity.tss))
    add(_("Steps"), fmt.whole(activity.steps))
    extra = analysis.extra
    if fmt.uses_pace(sport) and sport != "swimming":
        add(_("Grade-adjusted pace"), fmt.pace_or_speed(extra.get("gap_speed_mps"), units, sport))
    add(_("Max power"), fmt.whole(extra.get("max_power_w"), _("W")))
    add(_("VDOT"), fmt.number(extra["vdot"], 1) if "vdot" in extra else "")
    return rows


def calories_method_text(method: str) -> str:
    """The analysis's method name (imas.track.metrics.energy) as a person reads it."""
    if method == "device":
        return _("recorded by the device")
    if method.startswith("power_work"):
        return _("from the mechanical work (power meter)")
    if method.startswith("keytel"):
        return _("from heart rate, age, weight and sex (Keytel 2005)")
    if method.startswith("met_compendium"):
        return _("from sport, speed and weight (Compendium of Physical Activities)")
    if "weight_kg" in method:
        return _("IMAS needs your weight (and, for heart rate, birthday and sex), with consent")
    if "no MET value" in method:  # stored cut at 40 characters, so matched on its start
        return _("no typical energy cost is known for this sport at this speed")
    return method.removeprefix("unknown: ")


def _calories(activity: Activity) -> dict[str, Any] | None:
    if activity.calories_kcal is None and not activity.calories_method:
        return None
    return {
        "known": activity.calories_kcal is not None,
        "value": fmt.whole(activity.calories_kcal, _("kcal")),
        "method": calories_method_text(activity.calories_method),
        "needs_body_data": "weight_kg" in activity.calories_method,
    }


def _map_config(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    from imas.tiles.cache import tiles_enabled

    tiles_on = tiles_enabled()
    return {
        "activityId": activity.pk,
        "streamsUrl": f"/api/v1/activities/{activity.pk}/streams?resolution={CHART_RESOLUTION}",
        "sport": activity.sport,
        "units": _units(request.user),
        "tileUrl": reverse("tiles:tile", args=[0, 0, 0]).replace("0/0/0", "{z}/{x}/{y}")
        if tiles_on
        else "",
        "attribution": str(getattr(settings, "IMAS_TILE_ATTRIBUTION", "")) if tiles_on else "",
        "maxZoom": int(getattr(settings, "IMAS_TILE_MAX_ZOOM", 19)),
        "labels": {
            "distance": _("Distance"),
            "time": _("Time"),
            "elevation": _("Elevation"),
            "pace": _("Pace"),
            "speed": _("Speed"),
            "heartrate": _("Heart rate"),
            "watts": _("Power"),
            "cadence": _("Cadence"),
            "start": _("Start"),
            "finish": _("Finish"),
            "noData": _("No recorded data to chart."),
            "loadFailed": _("The charts could not be loaded. Reload the page to try again."),
        },
    }


@require_http_methods(["GET"])
def activity_detail_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        activity = selectors.activity_get_for_viewer(request.user, activity_id)
    except Activity.DoesNotExist:
        raise Http404(_("No such activity.")) from None
    owner = request.user.is_authenticated and activity.owner_id == request.user.pk
    units = _units(request.user)
    route_polyline = route_polyline_for_viewer(activity, request.user)
    analysis = page_data.analysis_for_page(activity, units, with_health=owner)
    context: dict[str, Any] = {
        "activity": activity,
        "is_owner": owner,
        "analysis": analysis,
        "stats": _stats(activity, units, owner),
        "details": _details(activity, units, owner, analysis),
        # Energy comes from body data or heart rate: only the owner sees it (as in the API).
        "calories": _calories(activity) if owner else None,
        "curve": page_data.power_curve_svg(analysis.power_curve),
        "map_config": _map_config(request, activity),
        # The streams API answers visitors of a public activity too, without the samples in
        # the owner's privacy zones and hidden ends (imas.sharing.zones); so does the preview.
        "has_streams": activity.points > 0,
        "route_polyline": route_polyline,
        "route_path": page_data.route_svg_path(route_polyline, 320, 200),
    }
    if owner:
        context["edit_form"] = ActivityEditForm(
            initial={
                "name": activity.name,
                "sport": activity.sport,
                "description": activity.description,
                "visibility": activity.visibility,
            }
        )
        context["near_duplicates"] = list(selectors.activity_near_duplicates(activity))
    return _render(request, "activities/detail.html", context)


@login_required
@require_POST
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _own_activity(request, activity_id)
    form = ActivityEditForm(request.POST)
    if form.is_valid():
        try:
            services.activity_update(activity=activity, **form.cleaned_data)
        except services.ActivityInvalid as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your changes have been saved."))
    else:
        problems = "; ".join(
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        )
        messages.error(request, _("Nothing was changed. %(problems)s") % {"problems": problems})
    return redirect("activities:detail", activity_id=activity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _own_activity(request, activity_id)
    if request.method == "POST":
        name = activity.name
        services.activity_delete(activity=activity)
        messages.success(request, _("Deleted: %(name)s.") % {"name": name})
        return redirect("activities:list")
    return _render(request, "activities/delete.html", {"activity": activity})


@login_required
@require_POST
def activity_keep(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Of a near-duplicate pair, keep this one; the other copies are deleted."""
    activity = _own_activity(request, activity_id)
    removed = services.activity_near_duplicate_keep(activity=activity)
    messages.success(request, _("Kept this one; %(n)d copy deleted.") % {"n": len(removed)})
    return redirect("activities:detail", activity_id=activity.pk)


@login_required
@require_POST
def activity_not_duplicate(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _own_activity(request, activity_id)
    services.activity_near_duplicate_dismiss(activity=activity)
    messages.success(request, _("Both activities are kept as different ones."))
    return redirect("activities:detail", activity_id=activity.pk)
