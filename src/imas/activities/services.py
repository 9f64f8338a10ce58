"""Writes of activities: upload, manual entry, edit, delete, near-duplicate choices.

The way of an upload (DESIGN.md §4): size cap -> empty? -> SHA-256 -> already there? return it
-> archive? hand over to an import job -> decode with imas.track -> analyse with the owner's
profile (body data only with consent) -> store the original -> one transaction writes the
Activity rows and their streams -> after commit, one `activity_created` event per activity.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

import imas.track
from imas.activities import storage
from imas.activities.events import (
    activity_created,
    activity_deleted,
    activity_updated,
    send_after_commit,
)
from imas.activities.models import (
    Activity,
    ActivityStreams,
    ImportJob,
    Source,
    Sport,
    Visibility,
)
from imas.activities.streams import FloatArray, polyline_encode, route_simplify, streams_pack
from imas.track.metrics.distance import build_path
from imas.track.metrics.moving import detect_moving
from imas.track.metrics.timeline import build_timeline

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 50 * 1000 * 1000  # 50 MB (decimal, as pages and messages say)
NEAR_DUPLICATE_WINDOW = dt.timedelta(seconds=60)


def upload_max_bytes() -> int:
    """The per-file size cap (IMAS_UPLOAD_MAX_BYTES; the issue's default is 50 MB)."""
    return int(getattr(settings, "IMAS_UPLOAD_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def too_large_message(limit: int) -> str:
    size = f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} KB"
    return _("The file is larger than %(size)s, the most IMAS accepts.") % {"size": size}


class UploadError(Exception):
    """An upload IMAS refuses; `code` is stable for clients, `message` says what to do."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class ActivityInvalid(Exception):
    """An edit or a manual entry with a bad field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class UploadResult:
    """What an upload made: the activities (one per activity in the file) and whether new."""

    activities: list[Activity]
    created: bool
    job: Any = None  # an ImportJob when the upload was an archive
    warnings: list[str] = field(default_factory=list)

    @property
    def activity(self) -> Activity:
        return self.activities[0]


# --- sport families -----------------------------------------------------------------------------

_SPORT_FAMILY = {
    "running": Sport.RUNNING,
    "run": Sport.RUNNING,
    "trail_running": Sport.RUNNING,
    "walking": Sport.WALKING,
    "walk": Sport.WALKING,
    "cycling": Sport.CYCLING,
    "biking": Sport.CYCLING,
    "bike": Sport.CYCLING,
    "ride": Sport.CYCLING,
    "e_biking": Sport.CYCLING,
    "mountain_biking": Sport.CYCLING,
    "swimming": Sport.SWIMMING,
    "swim": Sport.SWIMMING,
    "hiking": Sport.HIKING,
    "hike": Sport.HIKING,
    "mountaineering": Sport.HIKING,
    "snowshoeing": Sport.HIKING,
    "training": Sport.GYM,
    "fitness_equipment": Sport.GYM,
    "strength_training": Sport.GYM,
    "gym": Sport.GYM,
}


def sport_family(sport: str | None, sub_sport: str | None = None) -> str:
    """The IMAS sport family for a file's sport (FIT names, GPX/TCX words)."""
    for word in (sub_sport, sport):
        if word:
            family = _SPORT_FAMILY.get(word.strip().lower().replace(" ", "_"))
            if family is not None:
                return family.value
    return Sport.OTHER.value


def activity_family(track: imas.track.Track, sport: str | None, owner: Any) -> str:
    """The sport family an activity is filed under: the person's choice, else the file's
    sport, else (a file that names none, like many GPX files) the person's main sport."""
    family = sport or sport_family(track.sport, track.sub_sport)
    main_sport = getattr(owner, "activity_type", "")
    if family == Sport.OTHER and not sport and main_sport and track.sport in ("generic", ""):
        family = str(main_sport)
    return family


# imas.track picks stop thresholds, pace formulas and MET values by FIT sport name.
_TRACK_SPORT = {
    Sport.RUNNING.value: "running",
    Sport.WALKING.value: "walking",
    Sport.CYCLING.value: "cycling",
    Sport.SWIMMING.value: "swimming",
    Sport.HIKING.value: "hiking",
    Sport.GYM.value: "training",
}


def _as_filed(track: imas.track.Track, sport: str | None, owner: Any) -> imas.track.Track:
    """The track as the analysis should see it: of the sport the activity is filed under, so
    that a GPX hike that names no sport gets a hike's thresholds and calories, not none."""
    family = activity_family(track, sport, owner)
    wanted = _TRACK_SPORT.get(family)
    if wanted is None or sport_family(track.sport, track.sub_sport) == family:
        return track
    return dataclasses.replace(track, sport=wanted, sub_sport=None)


def _clean_sport(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value not in Sport.values:
        raise UploadError(
            "invalid_sport",
            _("Unknown sport %(sport)s; use one of: %(choices)s.")
            % {"sport": value[:40], "choices": ", ".join(Sport.values)},
            status=400,
        )
    return value


# --- the owner's profile for the analysis --------------------------------------------------------


def analysis_profile(owner: Any) -> imas.track.Profile:
    """The Profile the analysis may use for this person.

    Body data (birthday, sex, weight, height) only with the person's consent to use it in
    calculations (DESIGN.md §8); without it those stay None and the results that need them are
    null. Heart-rate settings are the person's own training settings, always used.
    """
    birthday = sex = weight_kg = height_cm = None
    if _body_data_allowed(owner):
        gender = getattr(owner, "gender", "") or ""
        birthday = getattr(owner, "birthday", None)
        sex = gender if gender in ("female", "male") else None
        weight_kg = _float_or_none(getattr(owner, "weight_kg", None))
        height_cm = _float_or_none(getattr(owner, "height_cm", None))
    max_hr = _float_or_none(getattr(owner, "max_hr", None))
    resting_hr = _float_or_none(getattr(owner, "resting_hr", None))
    ftp_w = _float_or_none(getattr(owner, "ftp_w", None))
    try:
        return imas.track.Profile(
            birthday=birthday,
            sex=sex,
            weight_kg=weight_kg,
            height_cm=height_cm,
            max_hr=max_hr,
            resting_hr=resting_hr,
            ftp_w=ftp_w,
        )
    except ValueError:
        # A value the analysis rejects (an account made before a validator existed): analyse
        # without the profile rather than refuse the upload.
        logger.warning(
            "profile of user %s rejected by the analysis; analysing without it", owner.pk
        )
        return imas.track.Profile()


def _body_data_allowed(owner: Any) -> bool:
    try:
        from imas.privacy.selectors import body_data_allowed
    except ImportError:  # a platform without the privacy app uses no body data at all
        return False
    return bool(body_data_allowed(owner))


def _health_data_allowed(owner: Any) -> bool:
    try:
        from imas.privacy.selectors import health_data_allowed
    except ImportError:  # a platform without the privacy ledger: heart rate is analysed
        return True
    return bool(health_data_allowed(owner))


def _without_heart_rate(track: imas.track.Track) -> imas.track.Track:
    """The track with its heart-rate stream and the device's heart-rate totals blanked."""
    track.hr = np.full(len(track), np.nan)
    if track.session is not None:
        track.session = dataclasses.replace(track.session, avg_hr=None, max_hr=None)
    for i, lap in enumerate(track.laps):
        track.laps[i] = dataclasses.replace(lap, avg_hr=None, max_hr=None)
    return track


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


# --- upload -----------------------------------------------------------------------------------


def upload_allowed(owner: Any) -> None:
    """Raise UploadError(403) unless the person has verified their email address."""
    from imas.accounts.selectors import user_email_verified

    if not user_email_verified(owner):
        raise UploadError(
            "email_unverified",
            _("Verify your email address before uploading: follow the link we sent you."),
            status=403,
        )


def is_archive(data: bytes) -> bool:
    """A zip archive (of many files) becomes an import job; gzip of one file is read inline."""
    from imas.track.formats.sniff import sniff

    return sniff(data[:4096]).kind == "zip"


def activity_upload(
    *,
    owner: Any,
    data: bytes,
    filename: str = "",
    sport: str | None = None,
    name: str | None = None,
    source: str = Source.UPLOAD,
) -> tuple[Activity, bool]:
    """Upload one activity file; (first activity, created). See activity_upload_file."""
    result = activity_upload_file(
        owner=owner, data=data, filename=filename, sport=sport, name=name, source=source
    )
    return result.activity, result.created


def activity_upload_file(
    *,
    owner: Any,
    data: bytes,
    filename: str = "",
    sport: str | None = None,
    name: str | None = None,
    source: str = Source.UPLOAD,
    allow_archive: bool = False,
) -> UploadResult:
    """Upload one file: every activity in it is created, or the existing ones are returned.

    An archive (zip) becomes an import job when allow_archive is set, else it is refused.
    Raises UploadError with a code and a message for anything IMAS cannot use.
    """
    if allow_archive and data and len(data) <= upload_max_bytes() and is_archive(data):
        from imas.activities.imports import import_job_create_archive

        job = import_job_create_archive(
            owner=owner, data=data, filename=filename, sport=_clean_sport(sport), source=source
        )
        return UploadResult([], created=True, job=job)
    prepared = upload_prepare(
        owner=owner, data=data, filename=filename, sport=sport, name=name, source=source
    )
    return upload_write(prepared)


@dataclass
class PreparedUpload:
    """A file checked, decoded, analysed and stored, ready to be written in one transaction."""

    owner: Any
    sha: str
    size: int
    filename: str
    sport: str | None
    name: str | None
    source: str
    activities: list[_Prepared]
    existing: list[Activity]


def upload_prepare(
    *,
    owner: Any,
    data: bytes,
    filename: str = "",
    sport: str | None = None,
    name: str | None = None,
    source: str = Source.UPLOAD,
) -> PreparedUpload:
    """Everything of an upload that needs no database write: the slow part, done outside
    any transaction so that (on SQLite) the write lock is held only for the inserts."""
    limit = upload_max_bytes()
    if len(data) > limit:
        raise UploadError(
            "file_too_large",
            too_large_message(limit),
            status=413,
        )
    if not data:
        raise UploadError("empty_file", _("The file is empty."), status=400)
    sport = _clean_sport(sport)
    name = _clean_name(name)
    sha = storage.sha256_hex(data)
    common = {
        "owner": owner,
        "sha": sha,
        "size": len(data),
        "filename": filename,
        "sport": sport,
        "name": name,
        "source": source,
    }
    existing = _existing(owner, sha)
    if existing:
        return PreparedUpload(**common, activities=[], existing=existing)
    if is_archive(data):
        raise UploadError(
            "archive_not_allowed",
            _("This is an archive; import it to bring in every file in it."),
            status=400,
        )
    tracks = _decode(data)
    profile = analysis_profile(owner)
    if not _health_data_allowed(owner):
        # Consent to analyse heart rate withdrawn: the new activity is analysed, stored and
        # shown without it from the start (DESIGN.md §8), not scrubbed afterwards.
        tracks = [_without_heart_rate(track) for track in tracks]
        profile = dataclasses.replace(profile, max_hr=None, resting_hr=None)
    activities = [analysis_prepare(track, profile, owner, sport) for track in tracks]
    storage.blob_store(storage.ORIGINALS, sha, data)
    return PreparedUpload(**common, activities=activities, existing=[])


def upload_write(prepared: PreparedUpload) -> UploadResult:
    """Write a prepared upload: all its activities in one transaction, or the existing ones."""
    if prepared.existing:
        return UploadResult(prepared.existing, created=False)
    count = len(prepared.activities)
    name = prepared.name
    try:
        with transaction.atomic():
            activities = [
                _write_activity(
                    owner=prepared.owner,
                    prepared=p,
                    index=i,
                    sha=prepared.sha,
                    size=prepared.size,
                    filename=prepared.filename,
                    sport=prepared.sport,
                    name=name if count == 1 or name is None else f"{name} ({i + 1})",
                    source=prepared.source,
                )
                for i, p in enumerate(prepared.activities)
            ]
    except IntegrityError:
        # The same person sent the same file at the same moment: theirs won, answer with it.
        existing = _existing(prepared.owner, prepared.sha)
        if not existing:
            raise
        return UploadResult(existing, created=False)

    for activity in activities:
        send_after_commit(activity_created, activity_id=activity.pk, owner_id=activity.owner_id)
    warnings = [w for p in prepared.activities for w in p.track.warnings]
    return UploadResult(activities, created=True, warnings=warnings)


def _existing(owner: Any, sha: str) -> list[Activity]:
    return list(Activity.objects.filter(owner=owner, original_sha256=sha).order_by("file_index"))


def _clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = name.strip()
    if len(name) > 200:
        raise UploadError("invalid_name", _("The name is longer than 200 characters."), 400)
    if "\x00" in name:  # PostgreSQL cannot store it (a DataError, not a clear answer)
        raise UploadError("invalid_name", _("The name must not contain a NUL character."), 400)
    return name or None


_ERROR_CODES: tuple[tuple[type[imas.track.TrackError], str, int], ...] = (
    (imas.track.UnsupportedFormat, "unsupported_format", 415),
    (imas.track.LimitExceeded, "limit_exceeded", 413),
    (imas.track.HostileInput, "hostile_input", 422),
    (imas.track.NoActivity, "no_activity", 422),
    (imas.track.CorruptFile, "corrupt_file", 422),
)


def _decode(data: bytes) -> list[imas.track.Track]:
    try:
        tracks = imas.track.read(data)
    except imas.track.TrackError as exc:
        for kind, code, status in _ERROR_CODES:
            if isinstance(exc, kind):
                raise UploadError(code, str(exc), status) from exc
        raise UploadError("unreadable_file", str(exc), 422) from exc
    except (
        ValueError,
        MemoryError,
        RecursionError,
        ArithmeticError,
        LookupError,
        TypeError,
    ) as exc:
        # A decoder bug must cost one file, not the page or the rest of an import: the log
        # names the failure (never the file's content) so it gets fixed.
        logger.exception("decoder failed on a %d-byte file", len(data))
        raise UploadError(
            "unreadable_file",
            _("IMAS could not read this file; the operators have been told."),
            422,
        ) from exc
    if not tracks:
        raise UploadError("no_activity", _("The file holds no activity."), 422)
    return tracks


@dataclass
class _Prepared:
    track: imas.track.Track
    summary: dict[str, Any]
    arrays: dict[str, FloatArray]
    start: dt.datetime


def analysis_prepare(
    track: imas.track.Track, profile: imas.track.Profile, owner: Any, sport: str | None = None
) -> _Prepared:
    """Analyse one decoded track for its owner: the summary, start time and stored arrays."""
    try:
        summary = imas.track.analyze(_as_filed(track, sport, owner), profile).as_dict()
    except imas.track.TrackError as exc:
        raise UploadError("unreadable_file", str(exc), 422) from exc
    except Exception as exc:
        # A bug in the analysis must not take the upload page down with a traceback; the log
        # names the file's shape but never its content.
        logger.exception("analysis failed (format=%s, points=%d)", track.source_format, len(track))
        raise UploadError(
            "analysis_failed",
            _("IMAS could not analyse this file; the operators have been told."),
            422,
        ) from exc
    start = _start_time(track, summary)
    if start is None:
        raise UploadError(
            "no_time",
            _("The file has no timestamps, so IMAS cannot tell when the activity happened."),
            422,
        )
    return _Prepared(track, summary, _stream_arrays(track, summary), start)


def _start_time(track: imas.track.Track, summary: Mapping[str, Any]) -> dt.datetime | None:
    value = summary.get("start_time")
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    finite = track.time[np.isfinite(track.time)] if len(track) else track.time
    if finite.size:
        return dt.datetime.fromtimestamp(float(finite[0]), tz=dt.UTC)
    if track.session is not None and track.session.start_time is not None:
        return dt.datetime.fromtimestamp(track.session.start_time, tz=dt.UTC)
    return None


def _stream_arrays(track: imas.track.Track, summary: Mapping[str, Any]) -> dict[str, FloatArray]:
    """The arrays kept per activity: the decoded streams plus what the analysis derived."""
    arrays: dict[str, FloatArray] = {
        name: getattr(track, name) for name in imas.track.track.STREAMS
    }
    derived = _derived_streams(track)
    for name, values in derived.items():
        if not bool(np.isfinite(arrays[name]).any()):
            arrays[name] = values
    return arrays


def _derived_streams(track: imas.track.Track) -> dict[str, FloatArray]:
    """Cumulative distance and speed from positions, for files whose device recorded neither.

    The distance is the one the summary reports (imas.track.metrics: smoothed geodesic steps,
    counted only while moving), so the chart's last value equals the activity's distance.
    Speed is the distance over a centred 5-sample window, like Strava's velocity_smooth.
    """
    if track.has("dist") or not (track.has("lat") and track.has("lon")) or len(track) < 2:
        return {}
    timeline = build_timeline(track)
    if not timeline.timed:
        return {}
    path = build_path(timeline.take(track.lat), timeline.take(track.lon), timeline.t)
    if not path.has_positions:
        return {}
    moving = detect_moving(timeline, path, None, None, track.sport or "generic").moving
    counted = np.where(moving & np.isfinite(path.step), path.step, 0.0)
    cumulative = np.concatenate(([0.0], np.cumsum(counted)))
    dist = np.full(len(track), np.nan)
    dist[timeline.index] = cumulative
    out = {"dist": dist}
    if not track.has("speed") and cumulative.size >= 5:
        t = timeline.t
        k = 2
        ahead = np.concatenate((cumulative[k:], np.repeat(cumulative[-1], k)))
        behind = np.concatenate((np.repeat(cumulative[0], k), cumulative[:-k]))
        t_ahead = np.concatenate((t[k:], np.repeat(t[-1], k)))
        t_behind = np.concatenate((np.repeat(t[0], k), t[:-k]))
        with np.errstate(divide="ignore", invalid="ignore"):
            windowed = (ahead - behind) / (t_ahead - t_behind)
        speed = np.full(len(track), np.nan)
        speed[timeline.index] = np.where(np.isfinite(windowed), windowed, np.nan)
        out["speed"] = speed
    return out


def _number(summary: Mapping[str, Any], key: str) -> float | None:
    value = summary.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _default_name(sport: str, start: dt.datetime, owner: Any) -> str:
    try:
        zone = zoneinfo.ZoneInfo(getattr(owner, "time_zone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    hour = start.astimezone(zone).hour
    if 5 <= hour < 12:
        part = _("Morning")
    elif 12 <= hour < 14:
        part = _("Lunch")
    elif 14 <= hour < 18:
        part = _("Afternoon")
    elif 18 <= hour < 22:
        part = _("Evening")
    else:
        part = _("Night")
    label = str(Sport(sport).label).lower() if sport != Sport.OTHER else _("activity")
    return f"{part} {label}"


def _write_activity(
    *,
    owner: Any,
    prepared: _Prepared,
    index: int,
    sha: str,
    size: int,
    filename: str,
    sport: str | None,
    name: str | None,
    source: str,
) -> Activity:
    track, summary = prepared.track, prepared.summary
    family = activity_family(track, sport, owner)
    activity = Activity(
        owner=owner,
        name=name
        or (track.name or "").strip()[:200]
        or _default_name(family, prepared.start, owner),
        sport=family,
        file_sport=(track.sport or "")[:40],
        file_sub_sport=(track.sub_sport or "")[:40],
        start_time=prepared.start,
        **analysis_fields(summary),
        points=len(track),
        device=str(summary.get("device") or track.device or "")[:200],
        source=source,
        original_sha256=sha,
        original_name=filename.replace("\\", "/").rsplit("/", 1)[-1][:255],
        original_size=size,
        original_format=track.source_format,
        file_index=index,
        route_polyline=polyline_encode(route_simplify(track.lat, track.lon)),
    )
    activity.near_duplicate_of = _near_duplicate(owner, family, prepared.start, sha)
    activity.save()
    blob, names, n = streams_pack(prepared.arrays)
    ActivityStreams.objects.create(activity=activity, data=blob, names=",".join(names), points=n)
    return activity


# Summary keys (imas.track, DESIGN.md §7) stored as Activity columns of the same name.
_SUMMARY_NUMBERS = (
    "elapsed_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "avg_speed_mps",
    "max_speed_mps",
    "avg_hr",
    "max_hr",
    "avg_cadence",
    "avg_power_w",
    "normalized_power_w",
    "calories_kcal",
    "trimp",
)


def analysis_fields(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The Activity columns an analysis fills: one mapping for the upload and for every later
    re-analysis (privacy's recompute when a consent changes)."""
    steps = _number(summary, "steps")
    fields: dict[str, Any] = {name: _number(summary, name) for name in _SUMMARY_NUMBERS}
    fields["calories_method"] = str(summary.get("calories_method") or "")[:40]
    fields["steps"] = None if steps is None else round(steps)
    fields["tss"] = _number(summary, "tss") or _number(summary, "hr_tss")
    fields["analysis"] = _json_safe(summary)
    return fields


def _json_safe(value: Any) -> Any:
    """The analysis as JSON: NaN and infinities become null, numpy scalars plain numbers."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_json_safe(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _near_duplicate(owner: Any, sport: str, start: dt.datetime, sha: str) -> Activity | None:
    """Another activity of the same person starting within 60 s, same sport family."""
    qs = Activity.objects.filter(
        owner=owner,
        sport=sport,
        start_time__gte=start - NEAR_DUPLICATE_WINDOW,
        start_time__lte=start + NEAR_DUPLICATE_WINDOW,
    )
    if sha:
        qs = qs.exclude(original_sha256=sha)
    return qs.order_by("created_at", "id").first()


# --- manual entry -----------------------------------------------------------------------------

MAX_MANUAL_DURATION = dt.timedelta(days=7)
MAX_MANUAL_DISTANCE_M = 2_000_000.0
MAX_SETS = 300


def activity_create_manual(
    *,
    owner: Any,
    sport: str,
    start_time: dt.datetime,
    duration_s: float,
    distance_m: float | None = None,
    name: str | None = None,
    description: str = "",
    sets: Iterable[Mapping[str, Any]] = (),
    visibility: str = Visibility.PRIVATE,
) -> Activity:
    """An activity no device recorded: a gym session (sets), a swim, a walk."""
    if sport not in Sport.values:
        raise ActivityInvalid("sport", _("Choose one of: %s.") % ", ".join(Sport.values))
    if start_time.tzinfo is None:
        raise ActivityInvalid("start_time", _("Give the start time with its time zone."))
    if start_time > timezone.now() + dt.timedelta(days=1):
        raise ActivityInvalid("start_time", _("The start time is in the future."))
    if not math.isfinite(duration_s) or not 0 < duration_s <= MAX_MANUAL_DURATION.total_seconds():
        raise ActivityInvalid("duration_s", _("The duration must be between 1 second and 7 days."))
    if distance_m is not None and (
        not math.isfinite(distance_m) or not 0 <= distance_m <= MAX_MANUAL_DISTANCE_M
    ):
        raise ActivityInvalid("distance_m", _("The distance must be between 0 and 2000 km."))
    if visibility not in Visibility.values:
        raise ActivityInvalid("visibility", _("Choose one of: %s.") % ", ".join(Visibility.values))
    clean_sets = _clean_sets(sets)
    name = (name or "").strip()
    if len(name) > 200:
        raise ActivityInvalid("name", _("The name is longer than 200 characters."))
    if len(description) > 20_000:
        raise ActivityInvalid("description", _("The description is longer than 20,000 characters."))
    start_time = start_time.astimezone(dt.UTC)
    analysis: dict[str, Any] = {"manual": True}
    if clean_sets:
        analysis["sets"] = clean_sets
    with transaction.atomic():
        activity = Activity.objects.create(
            owner=owner,
            name=name or _default_name(sport, start_time, owner),
            sport=sport,
            start_time=start_time,
            elapsed_s=float(duration_s),
            moving_s=float(duration_s),
            distance_m=distance_m,
            avg_speed_mps=(distance_m / duration_s) if distance_m else None,
            source=Source.MANUAL,
            visibility=visibility,
            description=description,
            analysis=analysis,
            near_duplicate_of=_near_duplicate(owner, sport, start_time, ""),
        )
    send_after_commit(activity_created, activity_id=activity.pk, owner_id=activity.owner_id)
    return activity


def _clean_sets(sets: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, item in enumerate(sets):
        if i >= MAX_SETS:
            raise ActivityInvalid("sets", _("At most %d sets.") % MAX_SETS)
        number = i + 1
        exercise = str(item.get("exercise") or "").strip()
        if not exercise or len(exercise) > 100:
            raise ActivityInvalid(
                "sets", _("Set %d needs an exercise name (1-100 characters).") % number
            )
        reps = item.get("repetitions")
        if reps is not None and not (_is_number(reps, whole=True) and 0 <= reps <= 10_000):
            raise ActivityInvalid(
                "sets", _("Set %d: repetitions must be a whole number 0-10000.") % number
            )
        weight = item.get("weight_kg")
        if weight is not None and not (_is_number(weight) and 0 <= weight <= 1000):
            raise ActivityInvalid("sets", _("Set %d: weight must be 0-1000 kg.") % number)
        out.append({"exercise": exercise, "repetitions": reps, "weight_kg": weight})
    return out


def _is_number(value: Any, *, whole: bool = False) -> bool:
    if isinstance(value, bool):
        return False
    if whole:
        return isinstance(value, int)
    return isinstance(value, int | float) and math.isfinite(value)


# --- edit and delete ---------------------------------------------------------------------------


def activity_update(
    *,
    activity: Activity,
    name: str | None = None,
    sport: str | None = None,
    description: str | None = None,
    visibility: str | None = None,
) -> Activity:
    """Change what the person may change; fields left None stay as they are."""
    changed: list[str] = []
    if name is not None:
        name = name.strip()
        if not name or len(name) > 200:
            raise ActivityInvalid("name", _("The name must be 1-200 characters."))
        activity.name = name
        changed.append("name")
    if sport is not None:
        if sport not in Sport.values:
            raise ActivityInvalid("sport", _("Choose one of: %s.") % ", ".join(Sport.values))
        activity.sport = sport
        changed.append("sport")
    if description is not None:
        if len(description) > 20_000:
            raise ActivityInvalid(
                "description", _("The description is longer than 20,000 characters.")
            )
        activity.description = description
        changed.append("description")
    if visibility is not None:
        if visibility not in Visibility.values:
            raise ActivityInvalid(
                "visibility", _("Choose one of: %s.") % ", ".join(Visibility.values)
            )
        activity.visibility = visibility
        changed.append("visibility")
    if changed:
        with transaction.atomic():
            activity.save(update_fields=[*changed, "updated_at"])
        send_after_commit(
            activity_updated, activity_id=activity.pk, owner_id=activity.owner_id, fields=changed
        )
    return activity


def activity_delete(*, activity: Activity) -> None:
    """Delete the activity, its streams, and its original file unless another activity uses it
    (the file goes in `files_follow_rows`, which also covers deletions by cascade)."""
    activity_id, owner_id = activity.pk, activity.owner_id
    with transaction.atomic():
        activity.delete()  # streams go with it (CASCADE); flags and import items are cleared
    send_after_commit(activity_deleted, activity_id=activity_id, owner_id=owner_id)


def _original_delete_if_unused(sha: str) -> None:
    if not Activity.objects.filter(original_sha256=sha).exists():
        storage.blob_delete(storage.ORIGINALS, sha)


def files_follow_rows(sender: Any, instance: Any, **_kwargs: Any) -> None:
    """post_delete of an Activity or an ImportJob, however it happens (the service, a person's
    account erased with everything by cascade, staff in the admin): once the deletion commits,
    remove the stored file that no remaining row refers to."""
    if isinstance(instance, Activity) and instance.original_sha256:
        sha = instance.original_sha256
        transaction.on_commit(lambda: _original_delete_if_unused(sha))
    elif isinstance(instance, ImportJob) and instance.archive_sha256:
        from imas.activities.imports import archive_delete_if_unused

        archive = instance.archive_sha256
        transaction.on_commit(lambda: archive_delete_if_unused(archive))


def activity_near_duplicate_keep(*, activity: Activity) -> list[int]:
    """The person keeps this one of a near-duplicate pair: the others are deleted; their ids."""
    others = list(
        Activity.objects.filter(owner_id=activity.owner_id)
        .filter(Q(near_duplicate_of_id=activity.pk) | Q(pk=activity.near_duplicate_of_id or 0))
        .exclude(pk=activity.pk)
    )
    for other in others:
        activity_delete(activity=other)
    Activity.objects.filter(pk=activity.pk).update(near_duplicate_of=None)
    activity.near_duplicate_of = None
    return [o.pk for o in others]


def activity_near_duplicate_dismiss(*, activity: Activity) -> None:
    """The person says these are different activities: clear the flag both ways."""
    Activity.objects.filter(
        Q(pk=activity.pk) | Q(near_duplicate_of_id=activity.pk), owner_id=activity.owner_id
    ).update(near_duplicate_of=None)
    activity.near_duplicate_of = None
