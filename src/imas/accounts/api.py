"""API endpoints about the caller: GET/PATCH /me and personal access tokens."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from imas.accounts import selectors, services
from imas.accounts.models import ActivityType, Gender, PersonalAccessToken, Units, User
from imas.api.auth import request_user
from imas.api.errors import ApiError, django_validation_error

router = Router(tags=["accounts"])

GenderName = Literal["female", "male", "another", "prefer_not_to_say"]
ActivityName = Literal["running", "walking", "cycling", "swimming", "hiking", "gym", "other"]
UnitsName = Literal["metric", "imperial"]
ConsentName = Literal["body_data", "health_data"]
assert set(GenderName.__args__) == set(Gender.values)  # type: ignore[attr-defined]
assert set(ActivityName.__args__) == set(ActivityType.values)  # type: ignore[attr-defined]
assert set(UnitsName.__args__) == set(Units.values)  # type: ignore[attr-defined]


class MeOut(Schema):
    id: int
    email: str
    email_verified: bool
    name: str
    birthday: dt.date | None
    height_cm: float | None
    weight_kg: float | None
    gender: GenderName | None
    activity_type: ActivityName | None
    units: UnitsName
    time_zone: str
    resting_hr: int | None
    max_hr: int | None
    consents: dict[str, bool]


class MePatch(Schema):
    """Any subset of the profile; null clears an optional value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=150)
    birthday: dt.date | None = None
    height_cm: float | None = None
    weight_kg: float | None = None
    gender: GenderName | None = None
    activity_type: ActivityName | None = None
    units: UnitsName | None = None
    time_zone: str | None = Field(default=None, max_length=64)
    resting_hr: int | None = None
    max_hr: int | None = None
    consents: dict[ConsentName, bool] | None = Field(
        default=None, description="Give or withdraw consent; each change is recorded."
    )


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class TokenCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)


class TokenCreatedOut(TokenOut):
    token: str


def _me(user: User) -> MeOut:
    from imas.privacy.selectors import consent_states

    return MeOut(
        id=user.pk,
        email=user.email,
        email_verified=selectors.user_email_verified(user),
        name=user.name,
        birthday=user.birthday,
        height_cm=user.height_cm,
        weight_kg=user.weight_kg,
        gender=user.gender or None,  # type: ignore[arg-type]
        activity_type=user.activity_type or None,  # type: ignore[arg-type]
        units=user.units,  # type: ignore[arg-type]
        time_zone=user.time_zone,
        resting_hr=user.resting_hr,
        max_hr=user.max_hr,
        consents={k: v for k, v in consent_states(user).items() if k != "privacy_policy"},
    )


@router.get("/me", response=MeOut, summary="The signed-in person's profile")
def me_get(request: HttpRequest) -> MeOut:
    return _me(request_user(request))


# Fields that cannot be empty: null for them is a mistake, not "clear the value".
_NOT_NULLABLE = {"name", "units", "time_zone"}
# Choice fields store "" for "not given".
_BLANK_FOR_NULL = {"gender", "activity_type"}


@router.patch("/me", response=MeOut, summary="Change some of the profile fields")
def me_patch(request: HttpRequest, payload: MePatch) -> MeOut:
    from imas.privacy.models import Channel
    from imas.privacy.services import consent_set_many

    user = request_user(request)
    data = payload.model_dump(exclude_unset=True)
    consents = data.pop("consents", None)
    for field, value in list(data.items()):
        if value is None and field in _NOT_NULLABLE:
            raise ApiError(422, "invalid", f"{field} cannot be null.", field)
        if value is None and field in _BLANK_FOR_NULL:
            data[field] = ""
    try:
        with transaction.atomic():
            user = services.user_profile_update(user=user, data=data)
            if consents:
                consent_set_many(user=user, granted=dict(consents), channel=Channel.API)
    except ValidationError as exc:
        raise django_validation_error(exc) from exc
    return _me(user)


class MeDeleteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(max_length=4096)


@router.delete(
    "/me",
    response={204: None},
    summary="Erase your account and everything in it (send your password again)",
)
def me_delete(request: HttpRequest, payload: MeDeleteIn) -> Status[None]:
    from imas.privacy.api import EraseIn, me_erase

    return me_erase(request, EraseIn(password=payload.password))


def _token_out(row: PersonalAccessToken) -> TokenOut:
    return TokenOut(
        id=row.pk,
        name=row.name,
        hint=row.hint,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
    )


@router.get("/tokens", response=list[TokenOut], summary="Your active personal access tokens")
def tokens_list(request: HttpRequest) -> list[TokenOut]:
    return [_token_out(row) for row in selectors.tokens_of(request_user(request))]


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    summary="Create a personal access token (shown once)",
)
def tokens_create(request: HttpRequest, payload: TokenCreateIn) -> Status[TokenCreatedOut]:
    try:
        row, secret = services.token_create(user=request_user(request), name=payload.name)
    except ValidationError as exc:
        raise django_validation_error(exc) from exc
    return Status(201, TokenCreatedOut(**_token_out(row).model_dump(), token=secret))


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke a token")
def tokens_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    if not services.token_revoke(user=request_user(request), token_id=token_id):
        raise ApiError(404, "not_found", "No such token.")
    return Status(204, None)
