from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seed_catalog(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Put the starter catalog back after a flush (which emits post_migrate, as after migrate):
    a database emptied by ``flush`` — or by a test that flushes — keeps offering it."""
    from accord.performance.catalog import starter_rows
    from accord.performance.models import CatalogMetric

    if CatalogMetric.objects.using(using).exists():
        return
    for row in starter_rows():
        CatalogMetric.objects.using(using).update_or_create(key=row["key"], defaults=row)


class PerformanceConfig(AppConfig):
    name = "accord.performance"
    verbose_name = "Performance"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(60, "Performance", "performance:overview")]

    def ready(self) -> None:
        from accord.performance import demo, importer  # noqa: F401  (registration)

        post_migrate.connect(seed_catalog, sender=self, dispatch_uid="performance.seed_catalog")
