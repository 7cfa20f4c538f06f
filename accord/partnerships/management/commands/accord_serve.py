"""One command for a demo machine: the web server with the background worker beside it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the app on 127.0.0.1 and run the task worker beside it (for demos)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker"])
        try:
            call_command("runserver", f"127.0.0.1:{opts['port']}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
