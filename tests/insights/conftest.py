from __future__ import annotations

import datetime as dt
import random
from typing import Any

from imas.accounts.models import User
from imas.activities.models import Activity
from tests.goals.conftest import person  # noqa: F401  (a fixture: a person in a time zone)
from tests.goals.helpers import activity

SPORTS = ("running", "cycling", "walking", "swimming")


def random_history(owner: User, seed: int, n: int, first: dt.datetime, days: int) -> list[Activity]:
    """n activities spread over `days` days from `first`, some of them right at local midnights
    and at the daylight-saving changes, with some values missing as real files have them."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        start = first + dt.timedelta(seconds=rng.randint(0, days * 86400))
        if i % 7 == 0:  # on the minute around a local midnight
            local = start.astimezone(_zone(owner))
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            start = midnight + dt.timedelta(minutes=rng.choice([-1, 0, 1]))
        fields: dict[str, Any] = {
            "sport": rng.choice(SPORTS),
            "distance_m": rng.choice([None, rng.uniform(500, 50_000)]),
            "moving_s": rng.choice([None, rng.uniform(600, 9000)]),
            "elapsed_s": rng.uniform(600, 10_000),
            "ascent_m": rng.choice([None, rng.uniform(0, 900)]),
            "calories_kcal": rng.choice([None, rng.uniform(50, 2000)]),
            "trimp": rng.choice([None, rng.uniform(5, 250)]),
            "tss": rng.choice([None, None, rng.uniform(5, 200)]),
            "avg_speed_mps": rng.uniform(1, 10),
        }
        rows.append(activity(owner, start, **fields))
    return rows


def _zone(owner: User) -> Any:
    from imas.goals.periods import zone_of

    return zone_of(owner.time_zone)
