from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "accord.communication"
    verbose_name = "Communication"
    # (order, label, URL name taking the partnership's pk) shown as a tab on partnership pages
    partnership_tabs: list[tuple[int, str, str]] = [(14, "Communication", "communication:overview")]

    def ready(self) -> None:
        from accord.communication import demo, digest, evidence  # noqa: F401  (register the extensions)
