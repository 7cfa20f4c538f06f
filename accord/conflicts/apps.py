from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "accord.conflicts"
    verbose_name = "Conflicts"
    # (order, label, URL name taking the partnership's pk, need) shown as a tab on partnership
    # pages; facilitators open the conflicts overview too (they run tier-4 conflicts)
    partnership_tabs: list[tuple[int, str, str, str]] = [
        (60, "Conflicts", "conflicts:overview", "view")
    ]

    def ready(self) -> None:
        from accord.conflicts import demo, passes  # noqa: F401  (register the demo and the pass)
