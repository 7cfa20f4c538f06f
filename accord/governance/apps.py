from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "accord.governance"
    verbose_name = "Governance"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(50, "Governance", "governance:overview")]

    def ready(self) -> None:
        from accord.governance import demo  # noqa: F401
