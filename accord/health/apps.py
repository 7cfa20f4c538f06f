from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "accord.health"
    verbose_name = "Health"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(5, "Health", "health:overview")]

    def ready(self) -> None:
        from accord.health import (
            demo,  # noqa: F401  (registers the demo's scoring step)
            hooks,
            sources,
            stage,  # noqa: F401  (registers the trust-stage providers)
            tasks,  # noqa: F401  (registers the nightly pass)
        )

        sources.register_communication()
        hooks.connect()
