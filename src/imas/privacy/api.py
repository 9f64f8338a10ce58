"""Privacy endpoints: consents, exports, and what erasing the account needs.

DELETE /api/v1/me lives in the accounts router (the /me path is theirs) and calls
`me_erase` here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from imas.api.auth import request_user
from imas.api.errors import ApiError
from imas.privacy import selectors
from imas.privacy.models import Channel, ExportJob, Purpose

router = Router(tags=["privacy"])
API_PREFIX = "/privacy"

ChoicePurpose = Literal["body_data", "health_data", "aggregate_analytics", "strava", "garmin"]


class ConsentOut(Schema):
    purpose: str
    label: str
    granted: bool
    decided: bool
    enables: str


class ConsentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    purpose: ChoicePurpose
    granted: bool


class ExportOut(Schema):
    id: int
    status: str
    progress: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None
    download: str | None
    error: str


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: str


def _consents(user: Any) -> list[ConsentOut]:
    from imas.privacy.views import consent_rows

    return [
        ConsentOut(
            purpose=row["purpose"],
            label=str(row["label"]),
            granted=row["granted"],
            decided=row["decided"],
            enables=str(row["enables"]),
        )
        for row in consent_rows(user)
    ]


@router.get("/consents", response=list[ConsentOut], summary="Your consents, as in effect now")
def consents_list(request: HttpRequest) -> list[ConsentOut]:
    return _consents(request_user(request))


@router.post(
    "/consents",
    response={201: list[ConsentOut]},
    summary="Give or withdraw one consent (recorded in the ledger; takes effect at once)",
)
def consents_set(request: HttpRequest, payload: ConsentIn) -> Status[list[ConsentOut]]:
    from imas.privacy.services import consent_record

    user = request_user(request)
    assert payload.purpose in Purpose.values
    consent_record(user=user, purpose=payload.purpose, granted=payload.granted, channel=Channel.API)
    return Status(201, _consents(user))


@router.post(
    "/policy/accept",
    response={200: dict[str, list[str]]},
    summary="Accept a version in force (the one thing that lifts the acceptance gate)",
)
def policy_accept(request: HttpRequest, payload: AcceptIn) -> dict[str, list[str]]:
    from imas.privacy.services import policy_accept as accept

    user = request_user(request)
    pending = {p.version: p for p in selectors.policies_to_accept(user)}
    policy = pending.get(payload.version)
    if policy is None:
        raise ApiError(
            422, "invalid", "That version is not one waiting for your acceptance.", "version"
        )
    accept(user=user, policy=policy, channel=Channel.API)
    return {"pending": [p.version for p in selectors.policies_to_accept(user)]}


def _export_out(job: ExportJob) -> ExportOut:
    from imas.privacy.exports import export_available

    return ExportOut(
        id=job.pk,
        status=job.status,
        progress=job.progress,
        created_at=job.created_at,
        finished_at=job.finished_at,
        expires_at=job.expires_at,
        download=f"/api/v1/privacy/exports/{job.pk}?download=1" if export_available(job) else None,
        error=job.error,
    )


@router.post("/exports", response={202: ExportOut}, summary="Ask for an export of all your data")
def exports_create(request: HttpRequest) -> Status[ExportOut]:
    from imas.privacy.exports import export_request

    job = export_request(user=request_user(request))
    job.refresh_from_db()
    return Status(202, _export_out(job))


@router.get(
    "/exports/{export_id}",
    response={200: ExportOut},
    summary="An export's status; with ?download=1 the zip itself once it is ready",
)
def exports_get(request: HttpRequest, export_id: int, download: bool = False) -> Any:
    from imas.privacy.exports import export_available

    try:
        job = selectors.export_get_for_owner(request_user(request), export_id)
    except ExportJob.DoesNotExist:
        raise ApiError(404, "not_found", "No such export.") from None
    if not download:
        return _export_out(job)
    if not export_available(job):
        raise ApiError(404, "not_found", "This export has expired or is not ready yet.")
    stamp = job.created_at.strftime("%Y%m%d")
    return FileResponse(
        default_storage.open(job.file_name, "rb"),
        as_attachment=True,
        filename=f"imas-export-{stamp}.zip",
        content_type="application/zip",
    )


class EraseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    password: str


def me_erase(request: HttpRequest, payload: EraseIn) -> Status[None]:
    """DELETE /api/v1/me: erase the account after checking the password again."""
    from imas.privacy.erasure import WrongPassword, account_erase

    try:
        account_erase(user=request_user(request), password=payload.password)
    except WrongPassword as exc:
        raise ApiError(403, "wrong_password", str(exc), "password") from None
    return Status(204, None)
