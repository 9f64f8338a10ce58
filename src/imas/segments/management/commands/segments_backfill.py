"""`imas segments_backfill`: index and match the activities that were never matched.

Activities uploaded before the segments app existed have no cells, so new segments cannot find
them; this fills their cells and matches them against every segment, then rebuilds everyone's
records. Safe to run again: it only picks up activities without a match.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imas.activities.models import Activity
from imas.segments.models import ActivityMatchState
from imas.segments.records import records_recompute
from imas.segments.services import activity_match_segments


class Command(BaseCommand):
    help = "Store cells of, and match against segments, every activity not matched yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="re-match every activity")
        parser.add_argument("--no-records", action="store_true", help="skip rebuilding records")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Activity.objects.order_by("pk")
        if not options["all"]:
            qs = qs.exclude(pk__in=ActivityMatchState.objects.values("activity_id"))
        ids = list(qs.values_list("pk", "owner_id"))
        efforts = 0
        for done, (activity_id, _owner) in enumerate(ids, start=1):
            efforts += activity_match_segments(activity_id=activity_id)
            if done % 100 == 0 or done == len(ids):
                self.stdout.write(f"\r{done}/{len(ids)} activities", ending="")
                self.stdout.flush()
        if ids:
            self.stdout.write("")
        owners = sorted({owner for _a, owner in ids})
        if not options["no_records"]:
            for owner_id in owners:
                records_recompute(owner_id=owner_id)
        self.stdout.write(
            self.style.SUCCESS(
                f"matched {len(ids)} activities ({efforts} efforts); records of "
                f"{0 if options['no_records'] else len(owners)} people rebuilt"
            )
        )
