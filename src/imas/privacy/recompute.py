"""Analyse a person's activities again after a change of body or health data consent.

Withdrawing takes effect at once (issue 7): results derived from the withdrawn data are
recomputed without it. Body data: the analysis profile (activities' `analysis_profile`) already
leaves birthday, sex, weight and height out without consent, so calories fall back to the
device's figure or become null with a method saying which value is missing. Health data: the
heart-rate stream is blanked before the analysis and every heart-rate figure (averages, zones,
TRIMP, hrTSS, lap and split heart rates) is scrubbed, and the stored streams lose their `hr`
column, so no page, chart, API answer or GPX can show it. Granting again analyses the stored
original file afresh, which brings everything back.

This module re-analyses with the activities app's own pieces (the stored original through
`storage`, `analysis_prepare` and `analysis_fields` as at upload, the streams packer) and
writes the re-analysed fields; then it sends `activity_updated`, so that goals, insights and
segments follow.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np

import imas.track

logger = logging.getLogger(__name__)

_HR_FIELDS = ("avg_hr", "max_hr", "trimp")


def is_heart_rate_key(key: str) -> bool:
    """Keys of the analysis that carry heart rate or what is computed from it."""
    key = key.lower()
    return (
        "hr" in key.split("_")
        or any(word in key for word in ("heart", "trimp", "zone"))
        or key in ("hr_tss", "lthr")
    )


def scrub_heart_rate(value: Any) -> Any:
    """The analysis without any heart-rate figure, at any depth (laps and splits too)."""
    if isinstance(value, dict):
        return {k: scrub_heart_rate(v) for k, v in value.items() if not is_heart_rate_key(str(k))}
    if isinstance(value, list):
        return [scrub_heart_rate(v) for v in value]
    return value


def _without_heart_rate(track: imas.track.Track) -> imas.track.Track:
    track.hr = np.full(len(track), np.nan)
    if track.session is not None:
        fields = {f.name for f in dataclasses.fields(track.session)}
        blank = {name: None for name in ("avg_hr", "max_hr") if name in fields}
        if blank:
            track.session = dataclasses.replace(track.session, **blank)
    return track


def activities_recompute(*, user_id: int) -> int:
    """Analyse every activity of the person again under their consents now; how many changed."""
    from imas.accounts.models import User
    from imas.activities.models import Activity
    from imas.privacy.selectors import health_data_allowed

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    with_health = health_data_allowed(user)
    changed = 0
    for activity_id in Activity.objects.filter(owner_id=user_id).values_list("pk", flat=True):
        try:
            if activity_recompute(activity_id=activity_id, owner=user, with_health=with_health):
                changed += 1
        except Exception:  # one unreadable file must not leave the others as they were
            logger.exception("recomputing activity %s failed", activity_id)
    return changed


def activity_recompute(*, activity_id: int, owner: Any, with_health: bool) -> bool:
    """Analyse one activity again from its original file; False when there was nothing to do."""
    from django.db import transaction

    from imas.activities import services, storage
    from imas.activities.events import activity_updated, send_after_commit
    from imas.activities.models import Activity, ActivityStreams
    from imas.activities.streams import streams_pack

    activity = Activity.objects.filter(pk=activity_id, owner=owner).first()
    if activity is None:
        return False
    if not activity.original_sha256:
        return _scrub_without_original(activity, with_health)
    try:
        data = storage.blob_read(storage.ORIGINALS, activity.original_sha256)
        tracks = imas.track.read(data)
        track = tracks[activity.file_index]
    except (OSError, IndexError, imas.track.TrackError):
        logger.warning("activity %s: original unreadable; scrubbing only", activity_id)
        return _scrub_without_original(activity, with_health)
    profile = services.analysis_profile(owner)
    if not with_health:
        track = _without_heart_rate(track)
        profile = dataclasses.replace(profile, max_hr=None, resting_hr=None, lthr=None)
    prepared = services.analysis_prepare(track, profile, owner)
    summary = prepared.summary if with_health else scrub_heart_rate(prepared.summary)
    updates = services.analysis_fields(summary)
    blob, names, n = streams_pack(prepared.arrays)
    with transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(**updates)
        ActivityStreams.objects.update_or_create(
            activity_id=activity.pk, defaults={"data": blob, "names": ",".join(names), "points": n}
        )
    send_after_commit(
        activity_updated,
        activity_id=activity.pk,
        owner_id=activity.owner_id,
        fields=sorted(updates),
    )
    return True


def _scrub_without_original(activity: Any, with_health: bool) -> bool:
    """No file to analyse again (a manual entry): only heart-rate figures can be taken away."""
    from imas.activities.models import Activity

    if with_health:
        return False
    updates = dict.fromkeys(_HR_FIELDS)
    updates["analysis"] = scrub_heart_rate(activity.analysis or {})
    Activity.objects.filter(pk=activity.pk).update(**updates)
    return True
