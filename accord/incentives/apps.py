from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "accord.incentives"
    verbose_name = "Incentives"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(35, "Incentives", "incentives:overview")]

    def ready(self) -> None:
        from accord.incentives import demo  # noqa: F401  (registers the demo extension)
