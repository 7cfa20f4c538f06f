from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accord.partnerships.periodic import PASSES, PassesFailedError, UnknownPassError, run_passes


def aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Run every periodic pass once (escalations, missed commitments, …) and report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", help="Run only this pass (repeatable).")
        parser.add_argument("--now", type=aware, help="Pretend it is this moment (ISO 8601).")
        parser.add_argument("--list", action="store_true", help="List the passes and exit.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["list"]:
            for name in sorted(PASSES):
                self.stdout.write(name)
            return
        try:
            results = run_passes(now=opts["now"], only=opts["only"])
        except UnknownPassError as error:
            raise CommandError(str(error)) from None
        except PassesFailedError as error:
            for name, summary in error.results:
                self.stdout.write(f"{name}: {summary}")
            raise CommandError(str(error)) from None
        for name, summary in results:
            self.stdout.write(f"{name}: {summary}")
        if not results:
            self.stdout.write("No periodic passes are registered.")
