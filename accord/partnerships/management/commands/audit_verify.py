from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.partnerships.audit import all_chains, verify_chain


class Command(BaseCommand):
    help = (
        "Verify every audit hash chain (each partnership's joint chain, each organization's "
        "internal chain in it, each organization's own); report the first broken link of each. "
        "Exit code 1 if any is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--partnership", type=int, help="Only this partnership's chains (joint and internal)."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        chains = all_chains()
        if opts["partnership"] is not None:
            chains = [c for c in chains if c.partnership_id == opts["partnership"]]
        broken = 0
        for chain in chains:
            found = verify_chain(
                partnership_id=chain.partnership_id,
                organization_id=chain.organization_id,
                audience_org_id=chain.audience_org_id,
            )
            if found is not None:
                broken += 1
                self.stderr.write(
                    f"{chain}: chain broken at event #{found.seq} (id {found.event_id}): "
                    f"{found.reason}."
                )
        if broken:
            raise CommandError(f"{broken} of {len(chains)} chains are broken.")
        self.stdout.write(self.style.SUCCESS(f"All {len(chains)} audit chains are intact."))
