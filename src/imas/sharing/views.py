"""Sharing pages: a person's public profile, the sharing settings (followers, requests,
blocks, profile choices, hidden ends), the privacy-zones page with its map, and an activity's
sharing options. Views stay thin: reads through selectors, writes through services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imas.activities import page_data
from imas.activities.models import Activity
from imas.activities.selectors import activity_get_for_owner
from imas.sharing import selectors, services
from imas.sharing.forms import ActivitySharingForm, SharingSettingsForm, ZoneForm
from imas.sharing.models import FollowStatus, PrivacyZone
from imas.sharing.zones import activity_sharing, route_polyline_for_viewer

PROFILE_PAGE_SIZE = 20


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault(
        "units", "imperial" if getattr(request.user, "units", "") == "imperial" else "metric"
    )
    with timezone.override(page_data.user_zone(request.user)):
        return render(request, template, context, status=status)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(default)


# --- profile ------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def profile_page(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        view = selectors.profile_get_for_viewer(request.user, person_id)
    except selectors.ProfileNotFound:
        raise Http404(_("No such person.")) from None
    chosen = view.settings
    context: dict[str, Any] = {"view": view, "person": view.person, "chosen": chosen}
    visible = selectors.profile_activities(view, request.user)
    if view.is_self or chosen.profile_shows_activities:
        page = Paginator(visible, PROFILE_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["cards"] = [
            page_data.ActivityCard(
                a, page_data.route_svg_path(route_polyline_for_viewer(a, request.user))
            )
            for a in page.object_list
        ]
    if view.is_self or chosen.profile_shows_totals:
        context["activity_count"] = visible.count()
    if view.is_self or chosen.profile_shows_follow_counts:
        context["follower_count"] = selectors.followers_of(view.person).count()
    return _render(request, "sharing/profile.html", context)


@login_required
@require_POST
def follow(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        services.follow_request(follower=request.user, followee_id=person_id)
    except services.PersonNotFound:
        raise Http404(_("No such person.")) from None
    except services.SharingInvalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Asked to follow. They will see your request."))
    return _back(request, reverse("sharing:profile", args=[person_id]))


@login_required
@require_POST
def unfollow(request: HttpRequest, person_id: int) -> HttpResponse:
    services.follow_cancel(follower=request.user, followee_id=person_id)
    messages.success(request, _("You no longer follow this person."))
    return _back(request, reverse("sharing:settings"))


@login_required
@require_POST
def block(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        services.block_create(blocker=request.user, blocked_id=person_id)
    except services.PersonNotFound:
        raise Http404(_("No such person.")) from None
    except services.SharingInvalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Blocked. This person sees nothing of yours any more."))
    return _back(request, reverse("sharing:settings"))


@login_required
@require_POST
def unblock(request: HttpRequest, person_id: int) -> HttpResponse:
    services.block_remove(blocker=request.user, blocked_id=person_id)
    messages.success(request, _("Unblocked."))
    return _back(request, reverse("sharing:settings"))


# --- sharing settings ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sharing_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = selectors.settings_of(int(user.pk))
    initial = {
        "profile_visibility": current.profile_visibility,
        "profile_shows_activities": current.profile_shows_activities,
        "profile_shows_totals": current.profile_shows_totals,
        "profile_shows_follow_counts": current.profile_shows_follow_counts,
        "hide_ends_m": current.hide_ends_m,
    }
    form = SharingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing_settings_update(user=user, **form.cleaned_data)
        except services.SharingInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your sharing settings have been saved."))
            return redirect("sharing:settings")
    return _render(
        request,
        "sharing/settings.html",
        {
            "form": form,
            "requests": list(selectors.followers_of(user, status=FollowStatus.REQUESTED)[:200]),
            "followers": list(selectors.followers_of(user)[:500]),
            "following": list(selectors.following_of(user)[:500]),
            "blocks": list(selectors.blocks_of(user)[:500]),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def approve(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        services.follow_approve(owner=request.user, follower_id=person_id)
    except services.PersonNotFound:
        raise Http404(_("No request from this person.")) from None
    messages.success(request, _("Approved: they now see what you share with followers."))
    return redirect("sharing:settings")


@login_required
@require_POST
def remove(request: HttpRequest, person_id: int) -> HttpResponse:
    services.follower_remove(owner=request.user, follower_id=person_id)
    messages.success(request, _("Removed. They no longer see what you share with followers."))
    return redirect("sharing:settings")


# --- privacy zones ------------------------------------------------------------------------------


def _map_config() -> dict[str, Any]:
    from imas.tiles.cache import tiles_enabled

    tiles_on = tiles_enabled()
    return {
        "tileUrl": reverse("tiles:tile", args=[0, 0, 0]).replace("0/0/0", "{z}/{x}/{y}")
        if tiles_on
        else "",
        "attribution": str(getattr(settings, "IMAS_TILE_ATTRIBUTION", "")) if tiles_on else "",
        "maxZoom": int(getattr(settings, "IMAS_TILE_MAX_ZOOM", 19)),
        "minRadius": services.ZONE_MIN_RADIUS_M,
        "maxRadius": services.ZONE_MAX_RADIUS_M,
    }


@login_required
@require_http_methods(["GET", "POST"])
def zones_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.privacy_zone_create(owner=user, **form.cleaned_data)
        except services.SharingInvalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Zone saved. Nobody else sees any point inside it."))
            return redirect("sharing:zones")
    zones = list(PrivacyZone.objects.filter(owner_id=user.pk))
    config = _map_config()
    # The person's own zones as they drew them (never the hidden circles).
    config["zones"] = [
        {"lat": z.lat, "lon": z.lon, "radius": z.radius_m, "name": z.name} for z in zones
    ]
    return _render(
        request,
        "sharing/zones.html",
        {
            "form": form,
            "zones": zones,
            "map_config": config,
            "hide_ends_m": selectors.settings_of(int(user.pk)).hide_ends_m,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def zone_delete(request: HttpRequest, zone_id: int) -> HttpResponse:
    if not services.privacy_zone_delete(owner=request.user, zone_id=zone_id):
        raise Http404(_("No such privacy zone."))
    messages.success(request, _("Zone deleted."))
    return redirect("sharing:zones")


# --- an activity's sharing options ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def activity_sharing_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    try:
        activity = activity_get_for_owner(request.user, activity_id)
    except Activity.DoesNotExist:
        raise Http404(_("No such activity.")) from None
    current = activity_sharing(activity)
    form = ActivitySharingForm(
        request.POST or None,
        initial={"hide_map": current.hide_map, "show_heartrate": current.show_heartrate},
    )
    if request.method == "POST" and form.is_valid():
        services.activity_sharing_update(activity=activity, **form.cleaned_data)
        messages.success(request, _("Sharing options saved."))
        return redirect("activities:detail", activity_id=activity.pk)
    return _render(request, "sharing/activity.html", {"activity": activity, "form": form})
