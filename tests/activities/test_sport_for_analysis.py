"""An activity is analysed as the sport it is filed under, not as the file's missing sport.

Many GPX files name no sport. IMAS files them under the person's main sport (or the sport
given with the upload), and the analysis must use that sport too: stop thresholds and the
MET table (Compendium of Physical Activities) are chosen by sport, so a sportless hike
analysed as "generic" got no calories at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from imas.accounts.models import User
from imas.activities import services
from tests.activities.files import gpx_run

BODY = {
    "birthday": dt.date(1985, 5, 1),
    "gender": "male",
    "weight_kg": 75,
    "height_cm": 180,
}


def test_sportless_gpx_is_analysed_as_the_persons_main_sport(
    make_user: Callable[..., User],
) -> None:
    hiker = make_user(consents=("body_data",), activity_type="hiking", **BODY)
    data = gpx_run(1800, sport=None, hr=False)

    activity, created = services.activity_upload(owner=hiker, data=data, filename="walk.gpx")

    assert created
    assert activity.sport == "hiking"
    assert activity.file_sport == "generic"
    assert activity.calories_kcal is not None
    assert activity.calories_kcal > 0
    assert activity.calories_method.startswith("met")


def test_sport_given_with_the_upload_drives_the_analysis(
    make_user: Callable[..., User],
) -> None:
    person = make_user(consents=("body_data",), activity_type="running", **BODY)
    data = gpx_run(1800, sport=None, hr=False, seed=3)

    walked, _ = services.activity_upload(owner=person, data=data, filename="a.gpx", sport="walking")
    ran, _ = services.activity_upload(
        owner=person,
        data=gpx_run(1800, sport=None, hr=False, seed=3, start=1717315200.0),
        filename="b.gpx",
    )

    assert (walked.sport, ran.sport) == ("walking", "running")
    # The same path at the same speed costs a different MET value as a walk than as a run.
    assert walked.calories_kcal != ran.calories_kcal
