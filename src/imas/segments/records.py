"""Personal records: rebuilt from a person's activities whenever one is added, edited or deleted.

Per sport family:
- longest distance, longest moving time, biggest climb (ascent) of one activity;
- fastest best efforts (400 m ... marathon; the analysis finds them, imas.track.metrics.
  best_efforts, for runs), lower is better;
- best power per duration (the analysis's power curve, 5 s ... 60 min).
The activities are walked in the order they happened; each value that beats the best so far
is a record row with the value it broke, so the history ("records over time") is kept and an
activity that set a record can be marked. Hand-entered activities are left out: nobody
measured them. Rebuilding is one query over the person's activities (only the columns and
analysis keys needed), a few milliseconds per thousand activities, and makes the result
right after any edit or deletion without bookkeeping.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from imas.activities.models import Activity, Source
from imas.segments.models import PersonalRecord, RecordKind, RecordsState

# A burst of events (an import) is gathered for this long before the rebuild runs.
COALESCE_S = 3.0
# A rebuild asked for longer ago than this and still pending was lost (a broker restart).
PENDING_STALE = dt.timedelta(minutes=10)

# (kind, key, value, higher_is_better)
_Candidate = tuple[str, str, float, bool]


def _positive(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) and value > 0 else None


def _candidates(row: dict[str, Any]) -> Iterator[_Candidate]:
    distance = _positive(row["distance_m"])
    if distance is not None:
        yield RecordKind.LONGEST_DISTANCE, "", distance, True
    moving = _positive(row["moving_s"])
    if moving is not None:
        yield RecordKind.LONGEST_TIME, "", moving, True
    climb = _positive(row["ascent_m"])
    if climb is not None:
        yield RecordKind.BIGGEST_CLIMB, "", climb, True
    efforts = row["best_efforts"]
    if isinstance(efforts, dict):
        for name, effort in efforts.items():
            seconds = _positive(effort.get("time_s")) if isinstance(effort, dict) else None
            if seconds is not None:
                yield RecordKind.BEST_EFFORT, str(name)[:32], seconds, False
    curve = row["power_curve"]
    if isinstance(curve, dict):
        for seconds_key, watts in curve.items():
            value = _positive(watts)
            if value is not None:
                yield RecordKind.BEST_POWER, str(seconds_key)[:32], value, True


def records_compute(rows: list[dict[str, Any]], owner_id: int) -> list[PersonalRecord]:
    """The record chain of one person from their activity rows (any order)."""
    rows = sorted(rows, key=lambda r: (r["start_time"], r["id"]))
    best: dict[tuple[str, str, str], PersonalRecord] = {}
    out: list[PersonalRecord] = []
    for row in rows:
        for kind, key, value, higher in _candidates(row):
            slot = (row["sport"], kind, key)
            current = best.get(slot)
            if current is not None:
                beaten = value > current.value if higher else value < current.value
                if not beaten:
                    continue
            record = PersonalRecord(
                owner_id=owner_id,
                sport=row["sport"],
                kind=kind,
                key=key,
                value=round(value, 2),
                previous_value=None if current is None else current.value,
                activity_id=row["id"],
                achieved_at=row["start_time"],
            )
            best[slot] = record
            out.append(record)
    for record in best.values():
        record.is_current = True
    return out


def records_request(*, owner_id: int) -> bool:
    """Ask for a rebuild of the person's records (after an activity was added, edited or
    deleted); True when a rebuild was queued, False when one is already on its way."""
    now = timezone.now()
    try:
        with transaction.atomic():
            _state, created = RecordsState.objects.get_or_create(
                owner_id=owner_id, defaults={"pending": True, "pending_since": now}
            )
    except IntegrityError:  # another event created the row at the same moment
        created = False
    if not created:
        claimed = (
            RecordsState.objects.filter(owner_id=owner_id)
            .filter(Q(pending=False) | Q(pending_since__lt=now - PENDING_STALE))
            .update(pending=True, pending_since=now)
        )
        if not claimed:
            return False
    from imas.segments.tasks import records_recompute_task

    records_recompute_task.apply_async((owner_id,), countdown=COALESCE_S)
    return True


def records_recompute(*, owner_id: int) -> int:
    """Rebuild every personal record of one person; returns how many rows there are.

    One transaction from the read to the write, holding the person's RecordsState row: two
    rebuilds of one person (a retried task, the command) run one after the other, never
    interleaved into duplicates or an older result written last.
    """
    try:
        with transaction.atomic():
            RecordsState.objects.get_or_create(owner_id=owner_id)
    except IntegrityError:  # created by a concurrent rebuild or event meanwhile
        pass
    with transaction.atomic():
        # The UPDATE locks the row until the end. Cleared before reading: an activity event
        # from now on asks for another rebuild (its claim waits for this commit).
        RecordsState.objects.filter(owner_id=owner_id).update(
            pending=False, computed_at=timezone.now()
        )
        rows: list[dict[str, Any]] = [
            dict(row)
            for row in Activity.objects.filter(owner_id=owner_id)
            .exclude(source=Source.MANUAL)
            .values(
                "id",
                "sport",
                "start_time",
                "distance_m",
                "moving_s",
                "ascent_m",
                best_efforts=_key("best_efforts"),
                power_curve=_key("power_curve"),
            )
        ]
        records = records_compute(rows, owner_id)
        PersonalRecord.objects.filter(owner_id=owner_id).delete()
        PersonalRecord.objects.bulk_create(records, batch_size=1000)
    return len(records)


def _key(name: str) -> Any:
    """One top-level key of the analysis JSON, read in the database (not the whole blob)."""
    from django.db.models.fields.json import KeyTransform

    return KeyTransform(name, "analysis")
