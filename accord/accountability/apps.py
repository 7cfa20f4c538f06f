from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accord.accountability"
    verbose_name = "Accountability"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [
        (50, "Accountability", "accountability:overview")
    ]

    def ready(self) -> None:
        from accord.accountability import demo, passes  # noqa: F401  (registrations)
