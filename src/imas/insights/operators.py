"""Aggregate usage trends for operators (issue 7): anonymous counts, for staff only.

Only people whose current decision about `aggregate_analytics` is a grant are counted (the
latest row of the consent ledger, so a withdrawal takes effect at the next page load), and no
cell that rests on fewer than MIN_PEOPLE people is shown: such a cell becomes None and the page
says "fewer than 10". Counts are of rows (activities) or of distinct people, never names, ids or
values of any one person.

- active people per week: distinct people with an activity starting that week (UTC, Monday);
- activities per sport per week: activities, shown where at least MIN_PEOPLE people made them;
- upload sources: activities per source over the period, with the same rule;
- feature use: how many counted people use each feature (ever), with the same rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from imas.activities.models import Activity, Source, Sport

# The smallest group a shown number may describe (k-anonymity with k = 10).
MIN_PEOPLE = 10
DEFAULT_WEEKS = 12
MAX_WEEKS = 104
AGGREGATE_ANALYTICS = "aggregate_analytics"


def counted_people() -> QuerySet[Any]:
    """Ids of active people whose latest aggregate_analytics decision is a grant."""
    from django.contrib.auth import get_user_model

    consent_model = apps.get_model("privacy", "ConsentRecord")
    latest = consent_model.objects.filter(
        user=OuterRef("pk"), purpose=AGGREGATE_ANALYTICS
    ).order_by("-created_at", "-id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(analytics=Subquery(latest.values("granted")[:1]))
        .filter(analytics=True)
        .values("pk")
    )


def _shown(value: int, people: int) -> int | None:
    return value if people >= MIN_PEOPLE else None


@dataclass(frozen=True)
class SportRow:
    sport: str
    label: str
    per_week: list[int | None]


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    value: int | None


@dataclass
class UsageTrends:
    weeks: list[dt.date]
    active_people: list[int | None]
    sports: list[SportRow] = field(default_factory=list)
    sources: list[CountRow] = field(default_factory=list)
    features: list[CountRow] = field(default_factory=list)
    min_people: int = MIN_PEOPLE


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _week_of(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _features() -> list[tuple[str, str, QuerySet[Any], str]]:
    """(key, label, rows, the field naming their person) for each feature counted."""
    features: list[tuple[str, str, QuerySet[Any], str]] = []

    def add(key: str, label: str, app: str, model: str, person: str, **filters: Any) -> None:
        try:
            rows = apps.get_model(app, model).objects.filter(**filters)
        except LookupError:  # an app that is not installed on this platform
            return
        features.append((key, label, rows, person))

    add("goals", _("Goals"), "goals", "Goal", "owner_id")
    add("segments", _("Segments created"), "segments", "Segment", "owner_id")
    add("manual", _("Manual entries"), "activities", "Activity", "owner_id", source=Source.MANUAL)
    add("imports", _("Archive imports"), "activities", "ImportJob", "owner_id")
    add("tokens", _("API tokens"), "accounts", "PersonalAccessToken", "user_id")
    add("follows", _("Following someone"), "sharing", "Follow", "follower_id", status="approved")
    add("zones", _("Privacy zones"), "sharing", "PrivacyZone", "owner_id")
    add("public", _("Public activities"), "activities", "Activity", "owner_id", visibility="public")
    return features


def usage_trends(*, weeks: int = DEFAULT_WEEKS, now: dt.datetime | None = None) -> UsageTrends:
    """The trends over the last `weeks` whole and current weeks (UTC)."""
    weeks = max(1, min(int(weeks), MAX_WEEKS))
    today = (now or timezone.now()).astimezone(dt.UTC).date()
    first = _monday(today) - dt.timedelta(weeks=weeks - 1)
    week_list = [first + dt.timedelta(weeks=i) for i in range(weeks)]
    index = {w: i for i, w in enumerate(week_list)}
    since = dt.datetime.combine(first, dt.time(0), tzinfo=dt.UTC)

    people = counted_people()
    rows = Activity.objects.filter(owner_id__in=people, start_time__gte=since).annotate(
        week=TruncWeek("start_time", tzinfo=dt.UTC)
    )

    active: list[int | None] = [None] * weeks
    for row in rows.values("week").annotate(people=Count("owner_id", distinct=True)):
        i = index.get(_week_of(row["week"]))
        if i is not None:
            active[i] = _shown(row["people"], row["people"])

    per_sport: dict[str, list[int | None]] = {}
    for row in rows.values("week", "sport").annotate(
        n=Count("id"), people=Count("owner_id", distinct=True)
    ):
        i = index.get(_week_of(row["week"]))
        if i is None:
            continue
        per_sport.setdefault(row["sport"], [None] * weeks)[i] = _shown(row["n"], row["people"])
    labels = dict(Sport.choices)
    sports = [
        SportRow(sport, str(labels.get(sport, sport)), values)
        for sport, values in sorted(per_sport.items())
        if any(v is not None for v in values)
    ]

    source_labels = dict(Source.choices)
    sources = [
        CountRow(
            row["source"],
            str(source_labels.get(row["source"], row["source"])),
            _shown(row["n"], row["people"]),
        )
        for row in rows.values("source")
        .annotate(n=Count("id"), people=Count("owner_id", distinct=True))
        .order_by("source")
    ]

    features = []
    for key, label, feature_rows, person in _features():
        users = feature_rows.filter(**{f"{person}__in": people}).values(person).distinct().count()
        features.append(CountRow(key, label, _shown(users, users)))

    return UsageTrends(
        weeks=week_list, active_people=active, sports=sports, sources=sources, features=features
    )
