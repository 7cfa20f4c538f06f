from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seed_builtin_instruments(sender: Any, **kwargs: Any) -> None:
    """The built-in questionnaires come back after a flush, as the catalog does."""
    from accord.trust.services import ensure_builtin_instruments

    ensure_builtin_instruments()


class TrustConfig(AppConfig):
    name = "accord.trust"
    verbose_name = "Trust"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(10, "Trust", "trust:overview")]

    def ready(self) -> None:
        from accord.trust import demo, evidence, instrument_import, passes  # noqa: F401

        post_migrate.connect(
            seed_builtin_instruments, sender=self, dispatch_uid="trust.seed_builtin_instruments"
        )
