from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.partnerships.audit import AuditEvent, verify_chain


class Command(BaseCommand):
    help = "Verify audit hash chains; report the first broken link. Exit code 1 if any is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", type=int, help="Only this partnership's chain.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["partnership"] is not None:
            chains = [("partnership", opts["partnership"])]
        else:
            partnerships = AuditEvent.objects.filter(partnership__isnull=False)
            organizations = AuditEvent.objects.filter(partnership__isnull=True)
            chains = [
                ("partnership", pk)
                for pk in partnerships.values_list("partnership_id", flat=True)
                .order_by()
                .distinct()
            ] + [
                ("organization", pk)
                for pk in organizations.values_list("organization_id", flat=True)
                .order_by()
                .distinct()
            ]
        broken = 0
        for kind, pk in chains:
            found = verify_chain(**{f"{kind}_id": pk})
            if found is not None:
                broken += 1
                self.stderr.write(
                    f"{kind} {pk}: chain broken at event #{found.seq} (id {found.event_id}): "
                    f"{found.reason}."
                )
        if broken:
            raise CommandError(f"{broken} of {len(chains)} chains are broken.")
        self.stdout.write(self.style.SUCCESS(f"All {len(chains)} audit chains are intact."))
