from __future__ import annotations

from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.partnerships.periodic import run_periodic_passes


class Command(BaseCommand):
    help = "Enqueue the periodic passes on a cron schedule; a db_worker runs them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cron", default="*/5 * * * *", help="Crontab expression (default: every 5 minutes)."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            trigger = CronTrigger.from_crontab(opts["cron"])
        except ValueError as error:
            raise CommandError(f"Bad --cron {opts['cron']!r}: {error}") from None
        scheduler = BlockingScheduler()
        scheduler.add_job(run_periodic_passes.enqueue, trigger, id="periodic-passes")
        self.stdout.write(f"Scheduler enqueues periodic passes on '{opts['cron']}'.")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
