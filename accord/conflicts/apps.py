from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "accord.conflicts"
    verbose_name = "Conflicts"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(60, "Conflicts", "conflicts:overview")]

    def ready(self) -> None:
        from accord.conflicts import demo, passes  # noqa: F401  (register the demo and the pass)
