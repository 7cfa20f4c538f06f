"""One command for a demo machine: the web server with the background worker beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def site_url_for(port: int) -> str:
    """E-mailed links must reach this server: SITE_URL follows the port unless set explicitly."""
    return os.environ.get("SITE_URL", "").rstrip("/") or f"http://127.0.0.1:{port}"


class Command(BaseCommand):
    help = "Serve the app on 127.0.0.1 with the task worker and the scheduler beside it (demos)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        site_url = site_url_for(opts["port"])
        settings.SITE_URL = site_url  # the web process's invitation e-mails
        env = {**os.environ, "SITE_URL": site_url}  # the worker's survey and reminder e-mails
        helpers = [
            subprocess.Popen([sys.executable, "manage.py", command], env=env)  # noqa: S603
            for command in ("db_worker", "accord_scheduler")
        ]
        try:
            call_command("runserver", f"127.0.0.1:{opts['port']}", use_reloader=False)
        finally:
            for process in helpers:
                process.terminate()
                process.wait(timeout=10)
