from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "accord.performance"
    verbose_name = "Performance"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(60, "Performance", "performance:overview")]

    def ready(self) -> None:
        from accord.performance import demo, importer  # noqa: F401  (registration)
