"""One command for a demo machine: the web server with the background worker beside it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the app on 127.0.0.1 with the task worker and the scheduler beside it (demos)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        helpers = [
            subprocess.Popen([sys.executable, "manage.py", command])  # noqa: S603 (fixed argv)
            for command in ("db_worker", "accord_scheduler")
        ]
        try:
            call_command("runserver", f"127.0.0.1:{opts['port']}", use_reloader=False)
        finally:
            for process in helpers:
                process.terminate()
                process.wait(timeout=10)
