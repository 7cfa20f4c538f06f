from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accord.demo.cast import DEMO_PASSWORD
from accord.demo.generator import load_portfolio
from accord.partnerships.models import Organization


class Command(BaseCommand):
    help = "Load the deterministic demo portfolio (healthy, drifting, one-sided, recovering, …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnerships", type=int, default=8, help="How many (default 8).")
        parser.add_argument("--seed", type=int, default=7, help="Same seed, same data.")
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="The demo's 'today' (YYYY-MM-DD); defaults to today.",
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="Erase the database first.")
        group.add_argument(
            "--if-empty", action="store_true", help="Do nothing if data already exists."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["partnerships"] < 1:
            raise CommandError("--partnerships must be at least 1.")
        if Organization.objects.exists():
            if opts["if_empty"]:
                self.stdout.write("Demo data already loaded; leaving it as it is.")
                self._print_logins(None)
                return
            if not opts["reset"]:
                raise CommandError("The database already has data: add --reset to replace it.")
            call_command("flush", interactive=False, verbosity=0)
        n = opts["partnerships"]
        bar = (
            (lambda it: tqdm(it, total=n, desc="partnerships", unit="p"))
            if n > 20
            else (lambda it: it)
        )
        ctx = load_portfolio(n, opts["seed"], opts["anchor"] or date.today(), progress=bar)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(ctx.partnerships)} partnerships across "
                f"{len(ctx.organizations)} organizations (seed {opts['seed']})."
            )
        )
        self._print_logins(ctx.logins)

    def _print_logins(self, logins: list[tuple[str, str, str]] | None) -> None:
        if logins is None:
            from accord.demo.cast import EMAIL_DOMAIN, ORGANIZATIONS

            logins = [
                (f"{p.first}.{p.last}@{o.key}.{EMAIL_DOMAIN}".lower(), o.name, p.role)
                for o in ORGANIZATIONS
                for p in o.people
            ]
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, org, role in logins[:40]:
            self.stdout.write(f"  {email:<40} {org:<26} {role.replace('_', ' ')}")
