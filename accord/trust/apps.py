from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "accord.trust"
    verbose_name = "Trust"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(10, "Trust", "trust:overview")]

    def ready(self) -> None:
        from accord.trust import demo, evidence, instrument_import, passes  # noqa: F401
