"""The sharing API: privacy zones, following, blocks, sharing settings.

    GET/POST  /api/v1/privacy/zones            your zones (lat, lon, radius_m as you drew them)
    DELETE    /api/v1/privacy/zones/{id}
    GET/PATCH /api/v1/privacy/sharing          profile choices, hidden first/last metres
    GET/PATCH /api/v1/activities/{id}/sharing  hide the map, show heart rate (owner only)
    GET       /api/v1/people/{id}              a profile, as you may see it
    POST/DELETE /api/v1/people/{id}/follow     ask to follow / stop following
    POST/DELETE /api/v1/people/{id}/block      block / unblock
    GET       /api/v1/followers                your followers and requests
    POST      /api/v1/followers/{id}/approve   approve a request
    DELETE    /api/v1/followers/{id}           remove a follower or decline a request
    GET       /api/v1/following                whom you follow

A zone answer never holds the hidden circle (its secret centre offset and radius). Unknown ids
and ids the caller may not reach answer 404 alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from imas.activities.models import Activity
from imas.activities.selectors import activity_get_for_owner
from imas.api.auth import request_user
from imas.api.errors import ApiError
from imas.sharing import selectors, services
from imas.sharing.auth import PUBLIC_READ_AUTH, request_viewer
from imas.sharing.models import FollowStatus, PrivacyZone
from imas.sharing.zones import activity_sharing

router = Router(tags=["sharing"])
API_PREFIX = ""  # the paths below name their own roots (/privacy/zones, /people, /followers)

PERSON_NOT_FOUND = ApiError(404, "not_found", "No such person.")


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorDetail


class ZoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    lat: float
    lon: float
    radius_m: float
    name: str = ""


class ZoneOut(Schema):
    id: int
    name: str
    lat: float
    lon: float
    radius_m: float
    created_at: dt.datetime


class SharingSettingsIO(Schema):
    model_config = ConfigDict(extra="forbid")

    profile_visibility: str | None = None
    profile_shows_activities: bool | None = None
    profile_shows_totals: bool | None = None
    profile_shows_follow_counts: bool | None = None
    hide_ends_m: int | None = None


class ActivitySharingIO(Schema):
    model_config = ConfigDict(extra="forbid")

    hide_map: bool | None = None
    show_heartrate: bool | None = None


class PersonOut(Schema):
    id: int
    name: str
    follow_state: str
    profile_url: str


class ProfileOut(PersonOut):
    followers: int | None
    activities: int | None


class FollowOut(Schema):
    person: PersonOut
    status: str
    created_at: dt.datetime


def _invalid(exc: services.SharingInvalid) -> ApiError:
    return ApiError(422, "invalid", exc.message, exc.field)


def _zone_out(zone: PrivacyZone) -> dict[str, Any]:
    # Only what the person drew: the hidden circle stays on the server.
    return {
        "id": zone.pk,
        "name": zone.name,
        "lat": zone.lat,
        "lon": zone.lon,
        "radius_m": zone.radius_m,
        "created_at": zone.created_at,
    }


def _person_out(person: Any, viewer: Any) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "follow_state": selectors.follow_state(viewer, int(person.pk)),
        "profile_url": f"/people/{person.pk}/",
    }


# --- zones ------------------------------------------------------------------------------------


@router.get("/privacy/zones", response=list[ZoneOut], summary="Your privacy zones")
def zone_list(request: HttpRequest) -> Any:
    user = request_user(request)
    return [_zone_out(z) for z in PrivacyZone.objects.filter(owner_id=user.pk)]


@router.post(
    "/privacy/zones",
    response={201: ZoneOut, 422: ErrorOut},
    summary="Draw a privacy zone: nobody else sees any point inside it",
)
def zone_create(request: HttpRequest, payload: ZoneIn) -> Any:
    try:
        zone = services.privacy_zone_create(
            owner=request_user(request),
            lat=payload.lat,
            lon=payload.lon,
            radius_m=payload.radius_m,
            name=payload.name,
        )
    except services.SharingInvalid as exc:
        raise _invalid(exc) from exc
    return Status(201, _zone_out(zone))


@router.delete("/privacy/zones/{zone_id}", response={204: None, 404: ErrorOut})
def zone_delete(request: HttpRequest, zone_id: int) -> Any:
    if not services.privacy_zone_delete(owner=request_user(request), zone_id=zone_id):
        raise ApiError(404, "not_found", "No such privacy zone.")
    return Status(204, None)


# --- settings ---------------------------------------------------------------------------------


def _settings_out(user_id: int) -> dict[str, Any]:
    row = selectors.settings_of(user_id)
    return {
        "profile_visibility": row.profile_visibility,
        "profile_shows_activities": row.profile_shows_activities,
        "profile_shows_totals": row.profile_shows_totals,
        "profile_shows_follow_counts": row.profile_shows_follow_counts,
        "hide_ends_m": row.hide_ends_m,
    }


@router.get("/privacy/sharing", response=SharingSettingsIO)
def sharing_settings_get(request: HttpRequest) -> Any:
    return _settings_out(int(request_user(request).pk))


@router.patch("/privacy/sharing", response={200: SharingSettingsIO, 422: ErrorOut})
def sharing_settings_patch(request: HttpRequest, payload: SharingSettingsIO) -> Any:
    user = request_user(request)
    try:
        services.sharing_settings_update(user=user, **payload.model_dump(exclude_unset=True))
    except services.SharingInvalid as exc:
        raise _invalid(exc) from exc
    return _settings_out(int(user.pk))


def _own_activity(request: HttpRequest, activity_id: int) -> Activity:
    try:
        return activity_get_for_owner(request_user(request), activity_id)
    except Activity.DoesNotExist:
        raise ApiError(404, "not_found", "No such activity.") from None


@router.get("/activities/{activity_id}/sharing", response={200: ActivitySharingIO, 404: ErrorOut})
def activity_sharing_get(request: HttpRequest, activity_id: int) -> Any:
    row = activity_sharing(_own_activity(request, activity_id))
    return {"hide_map": row.hide_map, "show_heartrate": row.show_heartrate}


@router.patch("/activities/{activity_id}/sharing", response={200: ActivitySharingIO, 404: ErrorOut})
def activity_sharing_patch(
    request: HttpRequest, activity_id: int, payload: ActivitySharingIO
) -> Any:
    activity = _own_activity(request, activity_id)
    row = services.activity_sharing_update(
        activity=activity, **payload.model_dump(exclude_unset=True)
    )
    return {"hide_map": row.hide_map, "show_heartrate": row.show_heartrate}


# --- people, following, blocks --------------------------------------------------------------


@router.get(
    "/people/{person_id}",
    auth=PUBLIC_READ_AUTH,
    response={200: ProfileOut, 404: ErrorOut},
    summary="A person's profile, as far as they chose to show it to you",
)
def person_detail(request: HttpRequest, person_id: int) -> Any:
    viewer = request_viewer(request)
    try:
        view = selectors.profile_get_for_viewer(viewer, person_id)
    except selectors.ProfileNotFound:
        raise PERSON_NOT_FOUND from None
    out = _person_out(view.person, viewer)
    chosen = view.settings
    out["followers"] = (
        selectors.followers_of(view.person).count()
        if view.is_self or chosen.profile_shows_follow_counts
        else None
    )
    out["activities"] = (
        selectors.profile_activities(view, viewer).count()
        if view.is_self or chosen.profile_shows_totals
        else None
    )
    return out


@router.post(
    "/people/{person_id}/follow",
    response={201: FollowOut, 404: ErrorOut, 422: ErrorOut},
    summary="Ask to follow someone; it takes effect when they approve",
)
def follow_create(request: HttpRequest, person_id: int) -> Any:
    user = request_user(request)
    try:
        follow = services.follow_request(follower=user, followee_id=person_id)
    except services.PersonNotFound:
        raise PERSON_NOT_FOUND from None
    except services.SharingInvalid as exc:
        raise _invalid(exc) from exc
    return Status(
        201,
        {
            "person": _person_out(follow.followee, user),
            "status": follow.status,
            "created_at": follow.created_at,
        },
    )


@router.delete("/people/{person_id}/follow", response={204: None, 404: ErrorOut})
def follow_delete(request: HttpRequest, person_id: int) -> Any:
    if not services.follow_cancel(follower=request_user(request), followee_id=person_id):
        raise ApiError(404, "not_found", "You do not follow this person.")
    return Status(204, None)


@router.post("/people/{person_id}/block", response={204: None, 404: ErrorOut, 422: ErrorOut})
def block_create(request: HttpRequest, person_id: int) -> Any:
    try:
        services.block_create(blocker=request_user(request), blocked_id=person_id)
    except services.PersonNotFound:
        raise PERSON_NOT_FOUND from None
    except services.SharingInvalid as exc:
        raise _invalid(exc) from exc
    return Status(204, None)


@router.delete("/people/{person_id}/block", response={204: None, 404: ErrorOut})
def block_delete(request: HttpRequest, person_id: int) -> Any:
    if not services.block_remove(blocker=request_user(request), blocked_id=person_id):
        raise ApiError(404, "not_found", "You have not blocked this person.")
    return Status(204, None)


@router.get("/followers", response={200: list[FollowOut], 422: ErrorOut})
def follower_list(request: HttpRequest, status: str = FollowStatus.APPROVED) -> Any:
    """Your approved followers, or with ?status=requested the requests waiting for you."""
    user = request_user(request)
    if status not in FollowStatus.values:
        raise ApiError(
            422, "invalid", f"status must be one of {', '.join(FollowStatus.values)}.", "status"
        )
    return [
        {
            "person": _person_out(f.follower, user),
            "status": f.status,
            "created_at": f.created_at,
        }
        for f in selectors.followers_of(user, status=status)[:1000]
    ]


@router.post("/followers/{person_id}/approve", response={200: FollowOut, 404: ErrorOut})
def follower_approve(request: HttpRequest, person_id: int) -> Any:
    user = request_user(request)
    try:
        follow = services.follow_approve(owner=user, follower_id=person_id)
    except services.PersonNotFound:
        raise ApiError(404, "not_found", "No request from this person.") from None
    return {
        "person": _person_out(follow.follower, user),
        "status": follow.status,
        "created_at": follow.created_at,
    }


@router.delete("/followers/{person_id}", response={204: None, 404: ErrorOut})
def follower_delete(request: HttpRequest, person_id: int) -> Any:
    if not services.follower_remove(owner=request_user(request), follower_id=person_id):
        raise ApiError(404, "not_found", "This person does not follow you.")
    return Status(204, None)


@router.get("/following", response=list[FollowOut])
def following_list(request: HttpRequest) -> Any:
    user = request_user(request)
    return [
        {
            "person": _person_out(f.followee, user),
            "status": f.status,
            "created_at": f.created_at,
        }
        for f in selectors.following_of(user)[:1000]
    ]
