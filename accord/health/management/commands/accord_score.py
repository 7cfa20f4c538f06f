"""Score partnerships' health now: `manage.py accord_score [--partnership ID ...]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.health.services import score_partnerships
from accord.partnerships.models import Partnership

BATCH = 500


class Command(BaseCommand):
    help = "Compute and store health scores and alerts (all partnerships, or the ones given)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnership", type=int, action="append", dest="ids", default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        ids = opts["ids"]
        if ids:
            known = set(Partnership.objects.filter(pk__in=ids).values_list("pk", flat=True))
            unknown = sorted(set(ids) - known)
            if unknown:
                raise CommandError(f"No partnership with id {', '.join(map(str, unknown))}.")
        else:
            ids = list(Partnership.objects.order_by("pk").values_list("pk", flat=True))
        stored = 0
        for i in range(0, len(ids), BATCH):
            stored += score_partnerships(ids[i : i + BATCH])
        self.stdout.write(f"Scored {len(ids)} partnership(s): {stored} weekly row(s) stored.")
