from django.apps import AppConfig


class EconomicsConfig(AppConfig):
    name = "accord.economics"
    verbose_name = "Economics"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(30, "Economics", "economics:overview")]

    def ready(self) -> None:
        from accord.economics import demo, importers  # noqa: F401  (registrations)
